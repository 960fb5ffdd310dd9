"""What a party may do with a deal now (core.deals.steps.possible_now): the deal process's steps
from the state for the role, less those the deal's facts rule out. The buttons of notices and
cards, the dashboard's next step and the guards all ask it, so these are their cases."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.deals.dashboard import next_step
from core.deals.notices.parties import next_steps
from core.deals.steps import possible_now
from core.deals.tables import Deal
from core.process.deals import DEAL_PROCESS


def deal(status: str, *, due: date | None = None, paid: datetime | None = None) -> Deal:
    return Deal(id=7, status=status, buyer_id=1, seller_id=2, payment_days=30 if due else None,
                payment_due_on=due, terms_paid_at=paid)


def names(status: str, role: str, rated: bool = False, **facts: object) -> list[str]:
    return [t.name for t in possible_now(deal(status, **facts), role, rated)]  # type: ignore[arg-type]


def test_agreed_both_parties_read_and_accept_the_terms_or_change_them_or_cancel():
    for role in ("buyer", "seller"):
        assert names("agreed", role) == ["sign-terms", "change-terms", "cancel-deal"]
    assert names("agreed", "admin") == []


def test_only_the_buyer_pays_and_only_an_invoice_still_due():
    assert names("awaiting_payment", "buyer") == ["pay", "cancel-deal"]
    assert names("awaiting_payment", "seller") == ["cancel-deal"]
    escrow = names("delivered", "buyer")
    assert "pay-invoice" not in escrow
    assert names("delivered", "buyer", due=date(2026, 12, 1))[0] == "pay-invoice"
    assert "pay-invoice" not in names("delivered", "buyer", due=date(2026, 12, 1),
                                      paid=datetime(2026, 11, 30))
    assert "pay-invoice" not in names("refunded", "buyer", due=date(2026, 12, 1))


def test_the_seller_updates_a_shipment_only_while_it_travels():
    assert "update-shipment" in names("shipped", "seller")
    assert "update-shipment" not in names("delivered", "seller")
    assert "update-shipment" not in names("shipped", "buyer")


def test_a_party_rates_a_completed_deal_once():
    assert names("completed", "buyer") == ["rate"]
    assert names("completed", "buyer", rated=True) == []
    assert names("closed", "seller") == []


@pytest.mark.parametrize(("status", "role", "rated", "says"), [
    ("agreed", "seller", False, "Read and accept the terms"),
    ("awaiting_payment", "buyer", False, "Pay into escrow"),
    ("awaiting_payment", "seller", False, "nothing for you now"),
    ("to_ship", "seller", False, "Mark shipped"),
    ("completed", "buyer", False, "Rate the other party"),
    ("completed", "buyer", True, "nothing for you now"),
])
def test_the_dashboard_s_next_step_is_the_first_possible_one(status, role, rated, says):
    assert next_step(deal(status), role, rated) == says


def test_a_notice_s_buttons_are_the_possible_steps_then_the_deal_and_the_rare_ones_stay_on_the_card():
    rows = next_steps(deal("agreed"), "buyer")
    assert [row[0].arg for row in rows] == ["7:sign-terms", "7"]  # not change-terms, not cancel
    rows = next_steps(deal("shipped", due=date(2026, 12, 1)), "buyer")
    assert [row[0].arg for row in rows] == ["7:pay-invoice", "7:mark-delivered",
                                            "7:confirm-receipt", "7:report-quality", "7"]


def test_every_step_that_keeps_the_deal_s_state_is_guarded_by_the_same_declaration():
    assert DEAL_PROCESS.allows("change-terms", "agreed", "seller")
    assert not DEAL_PROCESS.allows("change-terms", "awaiting_payment", "seller")
    assert not DEAL_PROCESS.allows("rate", "delivered", "buyer")
    assert not DEAL_PROCESS.allows("update-shipment", "shipped", "buyer")
