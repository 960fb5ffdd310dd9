"""A company's billing details and its audit trail on an in-memory roster (no database): any
colleague gives the details the first time, only finance or an admin changes them; a person
outside a company keeps their own; the trail is for admins and finance; only an admin routes
the approval cards to a team chat. On the database:
`test_purchase_approval.py` (a deal billed to the company), `tests/deals/test_pay_on_terms.py`,
the decisions in chat (in memory: `test_company_in_chat.py`) and the cards in the team chat
(`test_approvals_chat.py`)."""

from __future__ import annotations

import pytest

from core.accounts.events import ProfileUpdated
from core.companies import approvals_chat, audit_trail, billing
from core.companies import service as companies
from core.companies.events import ApprovalsChatChosen
from core.errors import DomainError, NotAllowed, NotFound
from tests.companies.fakes import MemoryRoster

ALICE, ANNA, FRED, BOB = 1, 2, 3, 4
CHAT = "slack:C0BUYING"
ADDRESS = {"street": "Pärnu mnt 10", "postcode": "10148", "town": "Tallinn", "country": "EE"}


@pytest.fixture
async def roster() -> MemoryRoster:
    """Baltic Heat: Alice (admin), Anna (buyer), Fred (finance); Bob on his own."""
    roster = MemoryRoster()
    for account_id, name in ((ALICE, "Alice"), (ANNA, "Anna"), (FRED, "Fred"), (BOB, "Bob")):
        roster.person(account_id, name)
    await companies.found(roster, ALICE, "Baltic Heat AS")
    for who, roles in ((ANNA, ["buyer"]), (FRED, ["finance"])):
        await companies.join(roster, who, (await companies.invite(roster, ALICE, roles, None)).code)
    return roster


async def test_any_colleague_gives_the_companys_details_once_and_finance_changes_them(roster):
    assert await billing.missing(roster, ANNA) and await billing.missing(roster, ALICE)
    given = await billing.give(roster, ANNA, legal_name=" Baltic  Heat AS ", vat_id="EE100931558",
                               **ADDRESS)
    assert (given.legal_name, given.vat_id) == ("Baltic Heat AS", "EE100931558")
    assert await billing.billed(roster, ALICE) == given  # one set for all colleagues
    assert not await billing.missing(roster, FRED)
    entry = roster.audited[-1]
    assert (entry.actor_id, entry.action, entry.detail) == (
        ANNA, "billing", {"legal_name": "Baltic Heat AS", "vat_id": "EE100931558"})
    with pytest.raises(NotAllowed, match="Only finance or an admin"):
        await billing.give(roster, ANNA, legal_name="Other", **ADDRESS)
    changed = await billing.give(roster, FRED, legal_name="Baltic Heat Group AS", **ADDRESS)
    assert await billing.billed(roster, ANNA) == changed
    assert roster.own == {}  # no one's own details were touched


async def test_details_are_checked_before_they_are_kept(roster):
    with pytest.raises(DomainError):
        await billing.give(roster, ANNA, legal_name="Baltic Heat AS", street="Pärnu mnt 10",
                           postcode="10148", town="Tallinn", country="XX")
    assert await billing.billed(roster, ANNA) is None
    assert [e.action for e in roster.audited].count("billing") == 0


async def test_someone_outside_a_company_gives_their_own_details(roster):
    assert await billing.missing(roster, BOB)
    given = await billing.give(roster, BOB, legal_name="Bob Kalns", **ADDRESS)
    assert await billing.billed(roster, BOB) == given and roster.own == {BOB: given}
    assert roster.events[-1] == ProfileUpdated(BOB, ("billing",))
    assert await billing.billed(roster, ANNA) is None  # the company's are still to give
    with pytest.raises(NotAllowed, match="register"):
        await billing.billed(roster, 999)


async def test_the_trail_is_for_admins_and_finance_the_latest_first(roster):
    await companies.set_limit(roster, ALICE, ANNA, None)
    for who in (ALICE, FRED):
        latest = await audit_trail.trail(roster, who, limit=3)
        assert [(d.actor_id, d.action, d.subject) for d in latest] == [
            (ALICE, "limit", f"account:{ANNA}"), (ALICE, "joined", f"account:{FRED}"),
            (ALICE, "invited", latest[2].subject)]
        assert latest[0].at == roster.now()
    assert len(await audit_trail.trail(roster, ALICE)) == 6  # founded, invited and joined twice, limit
    with pytest.raises(NotAllowed):
        await audit_trail.trail(roster, ANNA)
    with pytest.raises(NotFound):
        await audit_trail.trail(roster, BOB)


async def test_a_person_outside_the_company_cannot_choose_a_chat(roster):
    with pytest.raises(DomainError, match="not in a company"):
        await approvals_chat.choose(roster, BOB, CHAT, "en")


async def test_only_an_admin_routes_the_approval_cards_to_a_named_chat_and_it_is_audited(roster):
    with pytest.raises(NotAllowed):
        await approvals_chat.choose(roster, ANNA, CHAT, "en")
    with pytest.raises(DomainError):
        await approvals_chat.choose(roster, ALICE, "slack:#buying; drop", "en")
    company = await approvals_chat.choose(roster, ALICE, CHAT, "de")
    assert (company.approvals_chat, company.approvals_language) == (CHAT, "de")
    assert (await companies_seat(roster, FRED)).approvals_chat == CHAT  # the whole company's
    assert (roster.audited[-1].action, roster.audited[-1].subject) == ("approvals_chat", CHAT)
    assert roster.events[-1] == ApprovalsChatChosen(company.id, CHAT)
    again = len(roster.audited)
    assert await approvals_chat.choose(roster, ALICE, CHAT, "en") == company  # no change
    assert len(roster.audited) == again
    back = await approvals_chat.choose(roster, ALICE, None, "de")
    assert (back.approvals_chat, back.approvals_language) == (None, None)
    assert roster.audited[-1].subject == "dm"


async def companies_seat(roster: MemoryRoster, account_id: int):
    """The company as a colleague's seat shows it."""
    seat = await roster.seat(account_id)
    assert seat is not None
    return seat.company
