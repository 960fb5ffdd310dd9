"""Paying goods by bank transfer: the reference, and each incoming transfer matched by it — a
short payment asks for the rest, an exact one holds the payment, too much or too late goes
back — once per bank transaction, with a ledger that balances at every step."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from conversations.messages import Choice
from core.errors import DomainError, NotAllowed, NotFound
from core.money.model import Money
from payments import ledger, transfer_rules
from payments.tables import IncomingTransfer, LedgerJournal
from payments.transfer_matching import waiting_account
from tests.payments.helpers import BUYER, people
from tests.payments.test_direct_payment import texts_to

# --- the rules, without a database --------------------------------------------------------


def test_a_reference_has_check_digits_and_survives_how_people_type_it():
    ref = transfer_rules.reference_for(42)
    assert ref == "RF83AGORA42" and transfer_rules.shown(ref) == "RF83 AGOR A42"
    assert transfer_rules.escrow_of("rf83 agor a42") == 42
    assert transfer_rules.escrow_of("RF83-AGORA-42") == 42
    assert transfer_rules.escrow_of("RF84AGORA42") is None  # one digit wrong: no payment
    assert transfer_rules.escrow_of("RF83AGORA43") is None
    assert transfer_rules.escrow_of("") is None and transfer_rules.escrow_of("💥" * 50) is None


@pytest.mark.parametrize(("before", "amount", "open_", "expected"), [
    (0, 4_000, True, ("short", 4_000, 0, 6_000)),
    (4_000, 6_000, True, ("paid", 6_000, 0, 0)),
    (0, 10_000, True, ("paid", 10_000, 0, 0)),
    (4_000, 7_500, True, ("over", 6_000, 1_500, 0)),
    (0, 10_000, False, ("late", 0, 10_000, 0)),
])
def test_a_transfer_is_matched_against_what_is_still_due(before, amount, open_, expected):
    got = transfer_rules.match(10_000, before, amount, open_)
    assert (got.outcome, got.applied, got.back, got.missing) == expected


def test_a_transfer_may_arrive_two_business_days_after_the_deadline():
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert transfer_rules.counts_until(friday) == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert transfer_rules.counts_until(monday) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


# --- the service, on the ledger -----------------------------------------------------------


async def _goods(app, amount=10_000):
    buyer, seller = await people(app)
    return await app.payments.open("goods", "bioenergy", "deal:7", buyer, seller,
                                   Money(amount, "EUR"), BUYER)


async def _balance(app, ref):
    async with app.uow() as uow:
        return await ledger.balance(uow, ref, "EUR")


async def _journals_balance(app):
    async with app.uow() as uow:
        assert await ledger.unbalanced_journals(uow) == []


async def test_a_short_transfer_asks_for_the_rest_and_the_rest_holds_the_payment(app):
    view = await _goods(app)
    details = await app.payments.transfer_details(view.id, view.payer_id)
    assert details is not None
    assert (details.iban, details.bank_reference, details.missing) == (
        "DE89370400440532013000", transfer_rules.shown_for(view.id), Money(10_000, "EUR"))
    first = await app.payments.send_test_transfer(view.id, view.payer_id, Money(4_000, "EUR"),
                                                  "bank-1")
    assert (first.outcome, first.missing, first.escrow.state) == (
        "short", Money(6_000, "EUR"), "awaiting_payment")
    told = (await texts_to(app, view.payer_id))[-1]
    assert "60.00" in told and "still missing" in told and details.bank_reference in told
    again = await app.payments.send_test_transfer(view.id, view.payer_id, Money(4_000, "EUR"),
                                                  "bank-1")  # the same bank transaction, twice
    assert again.outcome == "short" and again.missing == Money(6_000, "EUR")
    assert await _balance(app, waiting_account(view.payer_id, view.id)) == 4_000
    rest = await app.payments.receive_transfer("bank-2", details.bank_reference.lower(),
                                               Money(6_000, "EUR"))
    assert (rest.outcome, rest.escrow.state) == ("paid", "held")
    assert await _balance(app, waiting_account(view.payer_id, view.id)) == 0
    assert await _balance(app, ledger.user(view.payer_id, "escrow", str(view.id))) == 10_000
    await _journals_balance(app)


async def test_too_much_pays_and_the_extra_goes_back_once(app):
    view = await _goods(app)
    over = await app.payments.send_test_transfer(view.id, view.payer_id, Money(12_500, "EUR"),
                                                 "bank-9")
    assert (over.outcome, over.applied, over.back, over.escrow.state) == (
        "over", Money(10_000, "EUR"), Money(2_500, "EUR"), "held")
    assert "25.00" in (await texts_to(app, view.payer_id))[-1]
    await app.payments.send_test_transfer(view.id, view.payer_id, Money(12_500, "EUR"), "bank-9")
    returns = [c for c in app.payments.provider.calls if c[0] == "return"]
    assert len(returns) == 1
    async with app.uow() as uow:
        row = (await uow.session.execute(select(IncomingTransfer))).scalar_one()
        assert row.returned_ref == f"sbx_return_transfer-back:{row.id}" == \
            f"sbx_return_{returns[0][1]}"
    await _journals_balance(app)


async def test_a_transfer_after_the_payment_closed_goes_back_in_full(app):
    view = await _goods(app)
    await app.payments.pay_with_test_card(view.id, "4242424242424242")
    late = await app.payments.send_test_transfer(view.id, view.payer_id, Money(10_000, "EUR"),
                                                 "bank-late")
    assert (late.outcome, late.back, late.escrow.state) == ("late", Money(10_000, "EUR"), "held")
    assert "after the payment was complete" in (await texts_to(app, view.payer_id))[-1]
    await _journals_balance(app)


async def test_a_cancelled_payment_returns_what_had_arrived(app):
    view = await _goods(app)
    await app.payments.send_test_transfer(view.id, view.payer_id, Money(3_000, "EUR"), "b-1")
    assert await app.payments.cancel_unpaid(view.id, BUYER) is True
    assert await _balance(app, waiting_account(view.payer_id, view.id)) == 0
    assert "30.00 you transferred is being returned" in (await texts_to(app, view.payer_id))[-1]
    async with app.uow() as uow:
        row = (await uow.session.execute(select(IncomingTransfer))).scalar_one()
        kinds = sorted((await uow.session.execute(select(LedgerJournal.kind).where(
            LedgerJournal.escrow_id == view.id))).scalars())
        assert (row.outcome, row.applied, row.back) == ("returned", 0, 3_000)
        assert row.returned_ref is not None  # sent after the cancellation committed
    assert kinds == ["fund", "refund"]
    await _journals_balance(app)


async def test_only_the_payer_sees_the_details_and_wrong_references_match_nothing(app):
    view = await _goods(app)
    with pytest.raises(NotAllowed):
        await app.payments.transfer_details(view.id, view.payee_id)
    with pytest.raises(NotAllowed):
        await app.payments.send_test_transfer(view.id, view.payee_id, Money(1, "EUR"), "x")
    with pytest.raises(NotFound):
        await app.payments.receive_transfer("b", "RF00 NOPE", Money(1_000, "EUR"))
    with pytest.raises(DomainError):
        await app.payments.receive_transfer("b", transfer_rules.reference_for(view.id),
                                            Money(1_000, "SEK"))


# --- a deal paid by transfer, in chat -------------------------------------------------------


def plain(text):
    """A text without spaces and separators, so amounts compare in any reader's format."""
    return re.sub(r"[\s,.]", "", text)


@pytest.mark.journey
async def test_in_chat_a_buyer_pays_a_deal_by_transfer_in_two_parts_within_the_longer_deadline(
        app, clock):
    from tests.deals.timer_support import escrow_of, run_timers, status_of, terms_accepted
    from tests.support.chat import ChatUser

    __, bob_account, deal_id = await terms_accepted(app)  # 100 t at 220.00 EUR: 22,000.00
    escrow_id, *__ = await escrow_of(app, deal_id)
    bob = ChatUser(app, "bob")
    await bob.send(Choice(f"@go:pay:{escrow_id}"))
    await bob.tap("Pay by bank transfer")
    details = bob.texts()
    reference = transfer_rules.shown_for(escrow_id)
    for line in ("IBAN: DE89 3704 0044 0532 0130 00", "BIC: COBADEFFXXX",
                 f"Reference: {reference}", "must arrive by", "TEST MODE"):
        assert line in details
    await bob.say("12abc")
    assert "must be a number" in bob.texts()  # asked again, at the amount
    await bob.say("2000")
    assert "Testtransferof200000€sent" in plain(bob.texts())  # bob reads euros the Latvian way
    assert "2000000€isstillmissing" in plain((await texts_to(app, bob_account.id))[-1])
    clock.advance(days=3, seconds=1)  # the card deadline has passed: a transfer has longer
    assert await run_timers(app) == []
    await bob.send(Choice(f"@go:transfer:{escrow_id}"))
    assert "Receivedsofar:200000€of2200000€" in plain(bob.texts())
    await bob.tap("Send")
    assert "Your payment is held" in (await texts_to(app, bob_account.id))[-1]
    assert await status_of(app, deal_id) == "to_ship"
    await bob.send(Choice(f"@go:transfer:{escrow_id}"))
    assert "This payment is already held." in bob.texts()
    assert bob_account.id == (await app.payments.get(escrow_id)).payer_id


@pytest.mark.one_database  # the timers and the ledger are tested on both above
async def test_a_deal_paid_in_part_by_transfer_is_cancelled_at_its_deadline_and_repaid(app, clock):
    from tests.deals.timer_support import escrow_of, run_timers, status_of, terms_accepted

    __, bob, deal_id = await terms_accepted(app)
    escrow_id, *__ = await escrow_of(app, deal_id)
    details = await app.payments.transfer_details(escrow_id, bob.id)
    await app.payments.send_test_transfer(escrow_id, bob.id, Money(500_000, "EUR"), "b-1")
    clock.advance(days=3, seconds=1)
    assert await run_timers(app) == []
    clock.advance(seconds=(details.arrive_by - clock.now()).total_seconds())
    assert await run_timers(app) == [("deal", deal_id, "cancel-unpaid")]
    assert await status_of(app, deal_id) == "cancelled"
    assert "500000€youtransferredisbeingreturned" in plain((await texts_to(app, bob.id))[-1])
    await _journals_balance(app)
