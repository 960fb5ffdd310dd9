"""A Telegram seller's certificate and ways to pay reach a Slack buyer: Sam adds his ENplus
certificate to his profile in Telegram (scheme, a number typed loosely and checked against the
scheme's format, holder, last day, the PDF) and accepts card and bank transfer only, lists
pellets picking the certificate as the listing's claim — published with no document of the
listing's own — and Bob, in Slack, reads “ENplus certified, valid until …” on the listing's
card, gets the certificate's PDF with its documents, and is not offered to pay directly when he
buys."""

from __future__ import annotations

from sqlalchemy import select

from core.catalog.tables import Listing
from core.certificates.tables import Certificate
from tests.catalog.helpers import PELLETS
from tests.slack.conftest import _settle
from tests.support.accounts import registered
from tests.support.two_channels import SLACK_USER, TELEGRAM_USER

PDF = b"%PDF-1.7 an ENplus certificate"


async def test_a_certificate_added_in_telegram_is_picked_by_a_listing_and_read_in_slack(world):
    app, sam = world.app, world.sam
    await registered(app, str(TELEGRAM_USER), channel="telegram", address=str(TELEGRAM_USER),
                     roles=("seller",), display_name="Sam", country="LV", city="Riga")
    await registered(app, f"T0AGORA:{SLACK_USER}", channel="slack", address=SLACK_USER,
                     display_name="Bob", country="EE", city="Tallinn")

    # Sam adds the certificate from his profile: a number not in ENplus's format is refused.
    await sam.say("/profile", "Linked chats")
    await sam.tap("📜 Certificates", "None yet")
    await sam.tap("Add a certificate", "Scheme")
    await sam.tap("ENplus", "Certificate number")
    await sam.say("EU-ISCC-Cert-DE100-1", "It looks like “DE 301 1234”")
    await sam.say("lv 012 0042", "Holder")
    await sam.say("Sam Pellets SIA", "Valid until")
    await sam.say("2027-06-30", "Send the certificate itself")
    world.telegram.files[f"D{TELEGRAM_USER}"] = PDF
    document = world.telegram.document(TELEGRAM_USER, "enplus.pdf", "application/pdf", len(PDF))
    await sam.send(document, "Saved: ENplus · LV 012 0042 · Sam Pellets SIA · valid until")
    async with app.uow() as uow:
        kept = (await uow.session.execute(select(Certificate))).scalar_one()
        assert (kept.number, kept.file_name) == ("LV 012 0042", "enplus.pdf")

    # He takes card and bank transfer only (nothing chosen: everything, as before).
    await sam.say("/profile", "Accepted: EUR · Card, Bank transfer, Crypto, Paid directly")
    await sam.tap("Edit ways to pay you accept", "Ways to pay you accept")
    await sam.tap("Card", "Ways to pay you accept")
    await sam.tap("Bank transfer", "Ways to pay you accept")
    await sam.tap("Done", "Accepted: EUR · Card, Bank transfer\n")

    # He lists pellets, picking the certificate as the listing's claim, and publishes.
    await sam.say("/sell", "Product type?")
    await sam.tap("Wood pellets", "Quantity available?")
    for value in PELLETS:
        if isinstance(value, list):
            for label in value:
                await sam.tap(label, "Delivery options")
            await sam.tap("Done", "?")
        elif value == "Fixed price":
            await sam.tap(value, "?")
        else:
            await sam.say(value, "Preview" if value == PELLETS[-1] else "?")
    await sam.tap("Edit a field", "Which field")
    await sam.tap("Certifications", "Certificates on your profile come first")
    await sam.tap("LV 012 0042", "Certifications")
    await sam.tap("Done", "ENplus certified, valid until 30 Jun 2027")  # the preview
    await sam.tap("Publish", "Published")
    async with app.uow() as uow:
        listing = (await uow.session.execute(select(Listing))).scalar_one()
    assert (listing.status, listing.certifications) == ("published", ["enplus"])

    # Bob, on Slack, reads the certificate on the listing's card.
    await world.bob.command(f"view {listing.id}")
    await _settle()
    card = await world.bob_sees("ENplus certified, valid until")
    assert "30 Jun 2027" in str(card)
    await world.bob_presses("Documents")  # the certificate's PDF, from Sam's profile
    await world.slack.wait_for("files.completeUploadExternal")
    assert PDF in world.slack.uploads.values()

    # Buying, he is offered escrow (paid by card or transfer), never paying directly.
    await world.bob_presses("Buy now")
    view = world.slack.calls_to("views.open")[-1]["view"]
    [payment] = [b for b in view["blocks"] if b.get("block_id") == "payment_method"]
    offered = [o["value"] for o in payment["element"]["options"]]
    assert offered == ["escrow"]
