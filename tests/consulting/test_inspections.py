"""An inspection booked into a deal, on SQLite and PostgreSQL: the party who books it pays the
inspector's fixed fee as a session is paid (authorised, then captured with the consulting
commission once the results are in, the ledger balanced); a decline or a missed deadline
voids it; only the deal's parties book, one inspection open at a time, and only while the
goods' quality is unconfirmed; only the booked inspector answers and reports."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from core.consulting.inspections import rules
from core.consulting.inspections import service as inspections
from core.consulting.inspections.rules import InspectionState
from core.consulting.profiles import service as profiles
from core.deals.after_sale import quality_report
from core.deals.threads.service import SharedFile
from core.errors import Conflict, NotAllowed, NotFound
from core.money.model import Money
from payments.bridges.inspections import InspectionPayments
from tests.catalog.helpers import make_account
from tests.consulting.inspection_helpers import CARD, balanced, inspector, shipped_deal
from tests.support.accounts import registered
from tests.support.outbox import told_texts

FEE = Money(15000, "EUR")
RECORD = SharedFile("records/sampling.pdf", "sampling.pdf", "application/pdf")


async def booked(app, deal_id: int, payer_id: int, inspector_id: int, authorise: bool = True):
    """The party books the inspector (committed) and, with `authorise`, authorises the fee."""
    async with app.uow() as uow:
        facts = await inspections.book(uow, deal_id, payer_id, inspector_id)
        await uow.commit()
    fee = await app.payments.by_reference(rules.reference(facts.id))
    assert fee is not None and (fee.state, fee.amount, fee.payer_id) == (
        "awaiting_authorisation", FEE, payer_id)
    if authorise:
        await app.payments.pay_with_test_card(fee.id, CARD)
    return facts.id, fee.id


async def state_of(app, inspection_id: int, actor_id: int) -> InspectionState:
    async with app.uow() as uow:
        return (await inspections.get(uow, inspection_id, actor_id)).state


async def test_the_results_capture_the_fee_less_the_commission_and_the_ledger_balances(app):
    sam, bob, deal_id = await shipped_deal(app)
    ines = await inspector(app, "ines")
    inspection_id, fee_id = await booked(app, deal_id, bob.id, ines.id)
    assert await state_of(app, inspection_id, ines.id) == InspectionState.BOOKED
    assert any("booked for an inspection" in t for t in await told_texts(app, ines.id))
    [authorised] = await told_texts(app, ines.id, "authorised (not charged yet)")
    assert authorised.startswith("💰 The inspection fee of 150,00\xa0€ for inspection #1 is")
    async with app.uow() as uow:
        await inspections.answer(uow, inspection_id, ines.id, accept=True)
        await inspections.keep_record(uow, inspection_id, ines.id, RECORD)
        await inspections.deliver(uow, inspection_id, ines.id, {
            "moisture": Decimal("11.5"), "ash": Decimal("0.8"), "ncv": Decimal("17.1")})
        await uow.commit()
    captured = await app.payments.get(fee_id)
    commission = app.payments.commission_for("consulting", FEE)
    assert (captured.state, captured.commission) == ("captured", commission)
    wallet = await app.payments.wallet(ines.id)
    assert sum(m.amount for m in wallet.pending + wallet.paid_out) == (FEE - commission).amount
    assert await balanced(app)
    for party in (bob.id, sam.id):  # both are shown what the figures take off: 660 €
        assert any("660" in t for t in await told_texts(app, party))
    async with app.uow() as uow:
        assert await quality_report.preview(uow, deal_id, {"moisture": Decimal("11.5")}) \
            == Money(66000, "EUR")
    await InspectionPayments(app.payments).catch_up()  # a repeat moves nothing
    assert (await app.payments.get(fee_id)).state == "captured" and await balanced(app)


async def test_the_figures_reach_each_party_in_their_own_numbers(app):
    """The inspector's figures, in the results and in the seller's adjustment notice once the
    buyer reports them: “11,5 %” to a German seller, “11.5%” to a buyer in Ireland."""
    sam = await registered(app, "sam", roles=("seller",), language="de", country="DE",
                           city="Berlin")
    bob = await registered(app, "bob", language="en", country="IE", city="Dublin")
    sam, bob, deal_id = await shipped_deal(app, sam, bob)
    ines = await inspector(app, "ines")
    inspection_id, __ = await booked(app, deal_id, bob.id, ines.id)
    async with app.uow() as uow:
        await inspections.answer(uow, inspection_id, ines.id, accept=True)
        await inspections.keep_record(uow, inspection_id, ines.id, RECORD)
        await inspections.deliver(uow, inspection_id, ines.id, {
            "moisture": Decimal("11.5"), "ncv": Decimal("17.1")})
        await uow.commit()
    assert await told_texts(app, sam.id, "Feuchte 11,5\xa0%, Heizwert 17,1 MJ/kg")
    assert await told_texts(app, bob.id, "Moisture 11.5%, NCV 17.1 MJ/kg")
    async with app.uow() as uow:
        await quality_report.report(uow, deal_id, bob.id, {"moisture": "11.5", "ncv": "17.1"},
                                    measured_by="Ines Prüf")
        await uow.commit()
    assert await told_texts(app, sam.id, "Gemessen: Feuchte 11,5\xa0%, Heizwert 17,1 MJ/kg")


async def test_a_decline_voids_the_fee_and_frees_the_deal_for_another_inspector(app):
    sam, bob, deal_id = await shipped_deal(app)
    ines, otto = await inspector(app, "ines"), await inspector(app, "otto", fee="120.00",
                                                        display_name="Otto Labor")
    inspection_id, fee_id = await booked(app, deal_id, sam.id, ines.id)  # the seller books
    async with app.uow() as uow:
        with pytest.raises(Conflict):  # one open inspection at a time
            await inspections.book(uow, deal_id, bob.id, otto.id)
    async with app.uow() as uow:
        await inspections.answer(uow, inspection_id, ines.id, accept=False)
        await uow.commit()
    assert (await app.payments.get(fee_id)).state == "voided"
    assert any("declined the inspection" in t for t in await told_texts(app, bob.id))
    async with app.uow() as uow:
        with pytest.raises(Conflict):  # answered once
            await inspections.answer(uow, inspection_id, ines.id, accept=True)
    async with app.uow() as uow:
        again = await inspections.book(uow, deal_id, bob.id, otto.id)
        await uow.commit()
    assert again.fee == Money(12000, "EUR") and await balanced(app)


async def test_an_inspection_without_results_by_its_deadline_lapses_and_its_fee_is_voided(
        app, clock):
    __, bob, deal_id = await shipped_deal(app)
    ines = await inspector(app, "ines")
    inspection_id, fee_id = await booked(app, deal_id, bob.id, ines.id)
    clock.advance(days=rules.DELIVER_DAYS, seconds=1)
    async with app.uow() as uow:
        assert await inspections.lapse_due(uow) == [inspection_id]
        await uow.commit()
    assert (await app.payments.get(fee_id)).state == "voided"
    assert await state_of(app, inspection_id, bob.id) == InspectionState.LAPSED


async def test_a_fee_voided_as_its_card_hold_nears_expiry_lapses_the_open_inspection(app, clock):
    __, bob, deal_id = await shipped_deal(app)
    ines = await inspector(app, "ines")
    inspection_id, fee_id = await booked(app, deal_id, bob.id, ines.id)
    clock.advance(minutes=1)
    assert (await app.payments.get(fee_id)).state == "authorised"
    assert await app.payments.settle_expiring(older_than_days=0) == 1
    assert await state_of(app, inspection_id, ines.id) == InspectionState.LAPSED
    assert any("lapsed" in t for t in await told_texts(app, ines.id))


async def test_only_the_deal_s_parties_book_and_only_the_booked_inspector_reports(app):
    __, bob, deal_id = await shipped_deal(app)
    ines = await inspector(app, "ines")
    otto = await inspector(app, "otto", display_name="Otto Labor")
    eve = await make_account(app, "eve")
    async with app.uow() as uow:
        with pytest.raises(NotFound):
            await inspections.book(uow, deal_id, eve.id, ines.id)
        with pytest.raises(NotFound):
            await inspections.book(uow, deal_id, ines.id, ines.id)
    inspection_id, __ = await booked(app, deal_id, bob.id, ines.id)
    async with app.uow() as uow:
        with pytest.raises(NotFound):  # another inspector does not see it
            await inspections.answer(uow, inspection_id, otto.id, accept=True)
        with pytest.raises(NotAllowed):  # the buyer reads it, but does not report it
            await inspections.answer(uow, inspection_id, bob.id, accept=True)
        await inspections.answer(uow, inspection_id, ines.id, accept=True)
        with pytest.raises(NotAllowed):
            await inspections.deliver(uow, inspection_id, bob.id, {"moisture": Decimal(9)})
        with pytest.raises(NotFound):
            await inspections.keep_record(uow, inspection_id, otto.id, RECORD)


async def test_once_the_quality_is_confirmed_no_inspection_is_offered(app):
    __, bob, deal_id = await shipped_deal(app)
    await inspector(app, "ines")
    async with app.uow() as uow:
        assert [o.name for o in (await inspections.inspectors(uow, deal_id, bob.id)).offers] == [
            "Ines Prüf"]
        await quality_report.report(uow, deal_id, bob.id, {"moisture": "9"})  # within limits
        await uow.commit()
    async with app.uow() as uow:
        with pytest.raises(Conflict):
            await inspections.inspectors(uow, deal_id, bob.id)


async def test_the_inspectors_serving_the_goods_country_are_offered_or_every_one_if_none_is(app):
    __, bob, deal_id = await shipped_deal(app)  # the goods in Latvia
    ines = await inspector(app, "ines", countries=("LV", "EE"))
    otto = await inspector(app, "otto", display_name="Otto Labor", countries=("DE",))
    async with app.uow() as uow:
        offered = await inspections.inspectors(uow, deal_id, bob.id)
        assert ([o.name for o in offered.offers], offered.country, offered.local) == (
            ["Ines Prüf"], "LV", True)
        with pytest.raises(NotFound):  # one serving elsewhere is not booked for these goods
            await inspections.book(uow, deal_id, bob.id, otto.id)
        await profiles.save(uow, ines.id, countries_served=["EE"])  # no longer in Latvia
        offered = await inspections.inspectors(uow, deal_id, bob.id)
    assert ({o.name for o in offered.offers}, offered.local) == ({"Ines Prüf", "Otto Labor"},
                                                                 False)


async def test_two_parties_booking_at_once_book_one_inspection(app):
    sam, bob, deal_id = await shipped_deal(app)
    ines = await inspector(app, "ines")
    otto = await inspector(app, "otto", display_name="Otto Labor")

    async def book(party_id: int, inspector_id: int) -> str:
        try:
            async with app.uow() as uow:
                await inspections.book(uow, deal_id, party_id, inspector_id)
                await uow.commit()
            return "booked"
        except Conflict:
            return "refused"

    results = await asyncio.gather(book(bob.id, ines.id), book(sam.id, otto.id))
    assert sorted(results) == ["booked", "refused"]
