"""A German public buyer's Leitweg-ID, which its XRechnung e-invoices carry as the buyer
reference (payments.xrechnung): its company's, given by finance or an admin once the billing
details are, checked and audited; forgotten when given empty (on the in-memory roster; the
SQL one is held to it by test_roster_contract.py, the chat by test_cross_channel_xrechnung)."""

from __future__ import annotations

import pytest

from core.accounts.billing import Billing
from core.companies import billing
from core.errors import DomainError, NotAllowed
from tests.companies.fakes import MemoryRoster
from tests.companies.test_roster_contract import new

BERLIN = Billing("Bezirksamt Mitte von Berlin", "Karl-Marx-Allee 31", "10178", "Berlin", "DE")


async def test_finance_or_an_admin_gives_it_once_the_billing_details_are_given():
    roster = MemoryRoster()
    alice, bob, nina = (roster.person(n, name) for n, name in ((1, "Alice"), (2, "Bob"),
                                                                (3, "Nina")))
    company = await roster.put_company(new("Bezirksamt Mitte", alice))
    await roster.seat_member(company.id, bob, ["buyer"], None)
    with pytest.raises(DomainError, match="billing details first"):
        await billing.give_leitweg_id(roster, alice, "991-33333TEST-33")
    await roster.set_billing(company.id, BERLIN)
    with pytest.raises(NotAllowed):
        await billing.give_leitweg_id(roster, bob, "991-33333TEST-33")
    with pytest.raises(DomainError, match="check digits"):
        await billing.give_leitweg_id(roster, alice, "991-33333TEST-34")
    assert await billing.give_leitweg_id(roster, alice, " 991-33333test-33 ") == "991-33333TEST-33"
    assert (await roster.seat(bob)).company.billing.leitweg_id == "991-33333TEST-33"
    assert (await roster.decisions(company.id, 5))[0].action == "leitweg_id"
    assert await billing.give_leitweg_id(roster, alice, "") is None  # forgotten
    assert (await roster.company(company.id)).billing == BERLIN
    with pytest.raises(DomainError, match="set up its company"):
        await billing.give_leitweg_id(roster, nina, "991-33333TEST-33")
