"""A seller on Slack lists a product through modals; a buyer searches with the filter modal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bots.slack.live import is_prompt
from core.catalog import media
from core.catalog.tables import Listing, ListingMedia
from tests.catalog.helpers import make_account, publish
from tests.slack.conftest import SlackWorld
from tests.support.two_channels import modal_defaults

DETAILS = {
    "product_type": "chips", "quantity": "900 loose m3", "unit": None, "price": "18",
    "negotiable": "no",
    "location": "Kaunas", "delivery": ["delivery"], "delivery_radius_km": "120",
    "incoterm_place": "",
}


def button_value(message: dict[str, Any], label: str) -> str:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or [block.get("accessory") or {}]:
            if label in str((element.get("text") or {}).get("text", "")):
                return str(element["value"])
    raise AssertionError(f"no button {label!r}")


async def test_a_seller_lists_chips_in_one_modal_then_previews_adds_a_document_and_publishes(
        slack: SlackWorld):
    await slack.register()
    await slack.user.command("sell")
    view = (await slack.fake.wait_for("views.open", lambda p: "quick_any" in str(p)))["view"]
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    assert kinds["location"] == "plain_text_input" and kinds["product_type"] == "static_select"
    assert kinds["unit"] == "static_select" and kinds["delivery"] == "checkboxes"
    optional = {b["block_id"] for b in view["blocks"] if b.get("optional")}
    assert {"unit", "delivery_radius_km", "incoterm_place"} <= optional  # asked only if needed

    wrong = await slack.user.submit(view, {**DETAILS, "location": "Qzxwv", "quantity": "-3 t"})
    assert set(wrong.json()["errors"]) == {"location", "quantity"}

    done = await slack.user.submit(view, DETAILS)
    assert done.content in (b"", b"{}"), done.text
    preview = await slack.posted("Preview")
    await slack.user.click(button_value(preview, "Add photos or documents"))
    await slack.posted("Send photos and documents")
    pdf = b"%PDF-1.7 lab report"
    slack.fake.user_files["F0LAB"] = ("lab-report.pdf", "application/pdf", pdf)
    await slack.user.dm("", files=[{"id": "F0LAB", "name": "lab-report.pdf",
                                    "mimetype": "application/pdf", "size": len(pdf)}])
    await slack.posted("Added lab-report.pdf")
    await slack.settle()
    again = slack.fake.calls_to("chat.postMessage")[-1]
    await slack.user.click(button_value(again, "Done"))
    await slack.settle()
    preview = slack.fake.calls_to("chat.postMessage")[-1]  # the preview again, now with the file
    assert preview["text"].startswith("Preview")
    await slack.user.click(button_value(preview, "Publish"))
    await slack.posted("Published")
    async with slack.app.uow() as uow:
        listing = (await uow.session.execute(select(Listing))).scalar_one()
        assert (listing.status, listing.city, listing.unit) == ("published", "Kaunas", "loose_m3")
        assert listing.price_mwh_minor == 2400  # 18 EUR ÷ 0.75 MWh per loose m³
        media = (await uow.session.execute(select(ListingMedia))).scalar_one()
        assert (media.kind, media.size) == ("document", len(pdf))


async def test_every_detail_of_a_listing_is_edited_in_one_modal_with_its_current_values(
        slack: SlackWorld):
    await slack.register()
    await slack.user.command("sell")
    view = (await slack.fake.wait_for("views.open", lambda p: "quick_any" in str(p)))["view"]
    await slack.user.submit(view, DETAILS)
    await slack.posted("Preview")
    edit = slack.fake.newest_button(slack.user.user_id, "Edit the details")
    assert edit is not None
    await slack.user.click(edit[0], message=edit[1])
    details = (await slack.fake.wait_for("views.open", lambda p: "edit_details" in str(p)))["view"]
    inputs = {b["block_id"]: b for b in details["blocks"] if b["type"] == "input"}
    assert {"title", "price", "quantity", "location", "moisture", "description"} <= set(inputs)
    assert inputs["location"]["element"].get("initial_value") == "Kaunas"  # as it stands
    answer = await slack.user.submit(details, {**modal_defaults(details), "price": "19",
                                               "moisture": "25"})
    assert answer.content in (b"", b"{}"), answer.text
    await slack.posted("Saved")
    async with slack.app.uow() as uow:
        listing = (await uow.session.execute(select(Listing))).scalar_one()
        assert listing.price_minor == 1900 and listing.specs.get("moisture") in ("25", 25)
        assert listing.city == "Kaunas"  # what was not changed stays


async def test_a_buyer_searches_with_the_filter_modal_and_gets_block_kit_results(
        slack: SlackWorld):
    seller = await make_account(slack.app, "sam")
    await publish(slack.app, seller)
    await publish(slack.app, seller, title="Industrial pellets", grade="Industrial",
                  price="150")
    await slack.register()
    await slack.user.command("search")
    view = (await slack.fake.wait_for("views.open", lambda p: '"search"' in str(p)))["view"]
    names = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert names[:2] == ["text", "product_type"] and "max_km" in names and "sort" in names
    assert len(names) <= 6  # the rest behind "More filters" on the results
    answer = await slack.user.submit(view, {"text": "peletts", "product_type": "pellets",
                                            "price_mwh_max": "40", "sort": "price"})
    assert answer.content in (b"", b"{}"), answer.text
    results = await slack.posted("1 result(s)")
    assert "Industrial pellets" in str(results["blocks"])
    await slack.settle()
    more = slack.fake.newest_button(slack.user.user_id, "More filters")
    assert more is not None
    await slack.user.click(more[0], message=more[1])
    filters = (await slack.fake.wait_for("views.open", lambda p: "search_filters" in str(p)))
    assert {"price_max", "certification", "qty_min"} <= {
        b["block_id"] for b in filters["view"]["blocks"] if b["type"] == "input"}
    await slack.settle()  # the results' buttons went with the turn the modal opened
    assert not [m for m in slack.fake.shown(slack.user.user_id) if is_prompt(m["blocks"])]


async def test_a_slack_buyer_searches_in_one_line_and_removes_a_filter_with_its_chip(
        slack: SlackWorld):
    seller = await make_account(slack.app, "sam")
    await publish(slack.app, seller)  # 230 EUR/t
    await publish(slack.app, seller, title="Premium pellets", price="320")
    await slack.register()
    await slack.user.command("search pellets under 250 eur")
    results = await slack.posted("1 result(s) for “pellets”, ≤ 250 EUR/unit")
    await slack.settle()
    chips = slack.fake.calls_to("chat.postMessage")[-1]
    await slack.user.click(button_value(chips, "✕ ≤ 250 EUR/unit"))
    await slack.posted("2 result(s) for “pellets”")
    assert "Premium" not in str(results["blocks"])


async def test_a_photo_uploaded_on_telegram_is_uploaded_to_the_slack_buyers_dm(slack: SlackWorld):
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4
    seller = await make_account(slack.app, "sam")
    listing_id = await publish(slack.app, seller)
    async with slack.app.uow() as uow:
        await media.attach(uow, slack.app.engine.services.files, listing_id,
                           kind="photo", name="pellets.jpg", mime="image/jpeg", data=jpeg,
                           channel_ref="telegram:P1s1280")
        await uow.commit()
    await make_account(slack.app, "T0AGORA:U1ANN", channel="slack", address="U1ANN",
                       roles=("buyer",))
    await slack.user.click(f"@go:listing_view:{listing_id}")
    await slack.posted("ENplus A1 wood pellets")
    done = await slack.fake.wait_for("files.completeUploadExternal")
    assert "pellets.jpg" in str(done["files"])
    assert list(slack.fake.uploads.values()) == [jpeg]
