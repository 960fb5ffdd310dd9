"""Slack's own surfaces, through the real bolt app with signed requests: an Agora address pasted
in a channel unfurls into its public card, in the sharer's language; "Open in Agora" opens it
in the presser's DM; the shortcuts "Search Agora" and "Ask a consultant about this" — the
message becomes the topic of the booking requested from the directory."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.consulting.tables import Booking
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import consultant
from tests.support.fake_slack import button_values, section_texts

ASK = "Could someone check the ash content of our pellets against ENplus A1?"


def _link_shared(world, *urls: str, user: str | None = None) -> dict:
    return {"type": "link_shared", "channel": "C0GENERAL", "is_bot_user_member": True,
            "user": user or world.user.user_id, "message_ts": "1700000300.000100",
            "unfurl_id": "Uxyz", "source": "conversations_history",
            "event_ts": "1700000300.000200",
            "links": [{"domain": url.split("/")[2], "url": url} for url in urls]}


async def test_a_pasted_listing_consultant_or_market_address_unfurls_into_its_public_card(slack):
    base = slack.app.settings.public_url.rstrip("/")
    seller = await make_account(slack.app, "sam", rating_x10=47)
    listing_id = await publish(slack.app, seller)
    cora = await consultant(slack.app, "cora")
    ours = [f"{base}/listings/{listing_id}", f"{base}/consultants/{cora.id}", f"{base}/market"]
    others = ["https://example.org/listings/1", f"{base}/listings/999999", f"{base}/admin"]
    response = await slack.user.event(_link_shared(slack, *ours, *others))
    assert response.status_code == 200
    call = await slack.fake.wait_for("chat.unfurl")
    assert (call["unfurl_id"], call["source"]) == ("Uxyz", "conversations_history")
    assert set(call["unfurls"]) == set(ours)  # another site, a gone listing, a private page: none
    listing = "\n".join(section_texts(call["unfurls"][ours[0]]["blocks"]))
    for shown in ("ENplus A1 wood pellets", "€230.00 per t", "€47.92 per MWh", "Riga, Latvia",
                  "★ 4.7 from 12 ratings · 9 deals completed"):
        assert shown in listing, shown
    assert button_values(call["unfurls"][ours[0]]["blocks"])["Open in Agora"] == \
        f"view-{listing_id}"
    person = "\n".join(section_texts(call["unfurls"][ours[1]]["blocks"]))
    assert "Cora" in person and "€80.00 per 60-minute session" in person
    assert "Next free time: <!date^" in person  # each reader sees it in their own time zone
    assert "Agora market prices" in "\n".join(section_texts(call["unfurls"][ours[2]]["blocks"]))


async def test_a_card_is_unfurled_in_the_sharers_slack_language(slack):
    base = slack.app.settings.public_url.rstrip("/")
    listing_id = await publish(slack.app, await make_account(slack.app, "sam"))
    slack.fake.locales["U2PIOTR"] = "pl-PL"
    await slack.user.event(_link_shared(slack, f"{base}/listings/{listing_id}", user="U2PIOTR"))
    call = await slack.fake.wait_for("chat.unfurl")
    blocks = call["unfurls"][f"{base}/listings/{listing_id}"]["blocks"]
    assert "Otwórz w Agora" in button_values(blocks)
    assert "Ryga, Łotwa" in "\n".join(section_texts(blocks))


async def test_open_in_agora_opens_the_listing_in_the_pressers_dm(slack):
    await slack.register()
    listing_id = await publish(slack.app, await make_account(slack.app, "sam"))
    response = await slack.user.click(f"view-{listing_id}", action_id="agora_open",
                                      container="message")
    assert response.status_code == 200
    await slack.posted("ENplus A1 wood pellets")


async def test_search_agora_opens_the_search_from_anywhere_in_slack(slack):
    await slack.register()
    response = await slack.user.interact({**slack.user._who(), "type": "shortcut",
                                          "callback_id": "search_agora",
                                          "action_ts": "1700000400.000001"})
    assert response.status_code == 200
    modal = await slack.fake.wait_for(
        "views.open", lambda p: p["view"]["title"]["text"] == "Search bioenergy")
    assert modal["view"]["blocks"][0]["type"] == "input"  # what to search for, first


async def test_asking_a_consultant_about_a_message_books_with_the_message_as_its_topic(
        slack, clock):
    cora = await consultant(slack.app, "cora")
    await slack.register(roles=["buyer"])
    response = await slack.user.interact({
        **slack.user._who(), "type": "message_action", "callback_id": "ask_consultant",
        "channel": {"id": "C0GENERAL", "name": "general"}, "message_ts": "1700000500.000001",
        "message": {"type": "message", "user": "U9OTHER", "ts": "1700000500.000001",
                    "text": ASK}, "response_url": "https://hooks.slack.com/app/x"})
    assert response.status_code == 200
    results = await slack.posted("Consultants (")
    before = len(slack.fake.calls_to("chat.postMessage"))
    await slack.user.click(button_values(results["blocks"])["View"])
    card = next(p for p in await slack.new_posts(before)
                if "📅 Book a time" in button_values(p.get("blocks")))
    assert "⚡ Talk now" not in button_values(card["blocks"])  # a booking carries the topic
    await slack.user.click(button_values(card["blocks"])["📅 Book a time"])
    slots = await slack.posted("Free times with Cora")
    first = next(value for label, value in button_values(slots["blocks"]).items()
                 if "Propose" not in label)
    await slack.user.click(first)
    await slack.posted("Requested.")
    async with slack.app.uow() as uow:
        booking = (await uow.session.execute(select(Booking))).scalar_one()
        assert booking.topic == ASK and booking.consultant_id == cora.id
        assert booking.starts_at - clock.now() < timedelta(days=8)
