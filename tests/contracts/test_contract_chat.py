"""A framework contract in chat on the terminal, through the engine: the buyer offers 3 monthly
call-offs from the preview, the seller accepts, both accept the terms once, call-off 1 is paid;
call-off 2 is called on its date and paid from its notice; the contract card lists the
schedule; Renew before the end opens an offer prefilled from the old terms to the seller."""

from __future__ import annotations

from sqlalchemy import select

from conversations.messages import Choice, ListPage
from core.deals import contract_due
from core.deals.contracts.tables import Contract
from core.deals.terms.pdf import terms_pdf
from core.deals.terms.tables import DealTerms
from tests.deals.chat_helpers import give_billing, last_notice, trading_pair
from tests.support.pdf import pdf_text

CARD = "4242 4242 4242 4242"


async def test_a_contract_of_three_monthly_call_offs_is_offered_accepted_once_and_renewed(
        app, clock):
    sam, bob, listing_id = await trading_pair(app, quantity="800")
    await bob.say(f"/view {listing_id}")
    await bob.tap("Make an offer")
    await bob.say("100")
    await bob.say("200")
    await bob.tap("Deliver in call-offs")  # offered on the preview, not asked
    await bob.say("3")
    await bob.tap("Monthly")
    assert "In 3 call-offs, monthly: 300 t, 60\xa0000,00\xa0€ in all" in bob.texts(), bob.texts()
    await bob.tap("Send")
    card = await last_notice(app, sam, "Offer #")
    assert "📑 Deliver in call-offs: 3 call-offs, monthly, from 20 Nov 2026, 300 t" in card
    await sam.tap("Accept")

    told = await last_notice(app, bob, "accepted: deal #")
    assert "call-off 1 of contract #1" in told and "accepts the whole contract" in told
    await bob.tap("accept the terms")
    await give_billing(bob, "Pärnu mnt 10", "10148")
    await bob.tap("Accept version 1")
    await last_notice(app, sam, "accepted: deal #")
    await sam.tap("accept the terms")
    await give_billing(sam, "Brīvības iela 1", "LV-1010", "LV40003521600")
    await sam.tap("Accept version 1")
    assert "running: 3 call-offs, monthly" in await last_notice(app, bob, "is running")
    await last_notice(app, bob, "Pay 24\xa0200,00\xa0€ into escrow")  # with Latvian VAT, 21 %
    await bob.tap("Pay")
    await bob.say(CARD)
    assert "Paid" in bob.texts()
    async with app.uow() as uow:
        pdf = pdf_text(await terms_pdf(uow, 1, None))
    assert "Deliver in call-offs" in pdf and "Call-off 3" in pdf and "20 Jan 2027" in pdf

    clock.advance(days=30)  # 20 Dec: call-off 2
    assert await contract_due.run_all(app.uow) == [2]
    assert await contract_due.run_all(app.uow) == []
    notice = await last_notice(app, bob, "Called off")
    assert notice.startswith("Deal #2 (call-off 2 of 3, contract #1): 📦 Called off")
    await bob.tap("Pay")
    await bob.say(CARD)
    assert "Paid" in bob.texts()

    await bob.say("/deals")  # the contract is listed with the deals; its card has the schedule
    [page] = [r for r in bob.last if isinstance(r, ListPage)]
    [item] = [i for i in page.items if i.title.startswith("📑 Contract #1")]
    assert "2 of 3 call-offs called" in item.subtitle
    await bob.send(Choice(item.button.data))
    card = bob.texts()
    assert "3 call-offs, monthly of 100 t × 200,00\xa0€ = 20\xa0000,00\xa0€ each" in card
    assert "Delivered: 0 t of 300 t (0 of 3 call-offs)" in card
    assert "1. 20 Nov 2026 — deal #1: paid — waiting for the seller to ship" in card
    assert "2. 20 Dec 2026 — deal #2: paid — waiting for the seller to ship" in card
    assert "3. 20 Jan 2027: scheduled" in card
    await bob.tap("Call-off 2")  # and back from a call-off's card to its contract
    assert "Call-off 2 of contract #1" in bob.texts()
    await bob.tap("Contract #1")
    assert "📑 Contract #1" in bob.texts()

    clock.advance(days=17)  # 6 Jan: 14 days before the last call-off
    await contract_due.remind_all(app.uow)
    ending = await last_notice(app, bob, "ends with its last call-off")
    assert "Renew" in " ".join(bob.labels()), ending
    await bob.tap("Renew")
    await bob.tap("Keep")  # quantity, prefilled
    await bob.tap("Keep")  # price, prefilled
    preview = bob.texts()
    assert "Renewal on" in preview and "100 t × 200,00\xa0€" in preview
    assert "In 3 call-offs, monthly" in preview and "20 Feb 2027" in preview, preview
    await bob.tap("Send")
    assert "Sent (offer #2)" in bob.texts(), bob.texts()
    renewal = await last_notice(app, sam, "💶 Offer #2")
    assert "3 call-offs, monthly, from 20 Feb 2027" in renewal
    async with app.uow() as uow:
        assert len((await uow.session.execute(select(Contract))).all()) == 1
        assert len((await uow.session.execute(select(DealTerms))).all()) == 2
