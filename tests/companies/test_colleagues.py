"""A company's use cases on an in-memory roster (no database): founding one, inviting and
letting colleagues in, their roles and limits, the last admin, requests to join from the Slack
workspace. The chat reaches the same use cases in memory (`test_company_in_chat.py`) and on
the database (`test_company_chat.py`, `tests/test_cross_channel_company.py`), and a seat read
early in a transaction follows them there (`test_purchase_approval.py`);
`test_roster_contract.py` holds the two rosters alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.companies import rules
from core.companies import service as companies
from core.companies.events import JoinRefused, JoinRequested, MemberJoined
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.money.model import Money
from tests.companies.fakes import MemoryRoster

ALICE, ANNA, FRED, BOB, SAM = 1, 2, 3, 4, 5
LIMIT = Money.parse("10000", "EUR")


@pytest.fixture
def roster() -> MemoryRoster:
    """Alice, Anna, Fred, Bob and Sam are registered; Bob and Sam's Slack is Baltic Heat's."""
    roster = MemoryRoster()
    for account_id, name in ((ALICE, "Alice"), (ANNA, "Anna"), (FRED, "Fred")):
        roster.person(account_id, name)
    roster.person(BOB, "Bob", currency="SEK", slack=("T0AGORA:U4",))
    roster.person(SAM, "Sam", slack=("T0OTHER:U5",))
    return roster


async def baltic_heat(roster: MemoryRoster, limit: Money | None = LIMIT) -> int:
    """Alice founds Baltic Heat from its Slack workspace; Anna joins as a buyer with a limit,
    Fred as finance."""
    company = await companies.found(roster, ALICE, "  Baltic   Heat AS ", slack_team="T0AGORA")
    for who, roles, their_limit in ((ANNA, ["buyer"], limit), (FRED, ["finance"], None)):
        invitation = await companies.invite(roster, ALICE, roles, their_limit)
        await companies.join(roster, who, invitation.code.lower())
    return company.id


async def test_the_founder_is_admin_with_every_role_and_the_founding_is_audited(roster):
    company = await companies.found(roster, ALICE, "  Baltic   Heat AS ", slack_team="T0AGORA")
    assert (company.name, company.slack_team) == ("Baltic Heat AS", "T0AGORA")
    seat = await roster.seat(ALICE)
    assert seat.company == company and seat.roles == rules.ROLES and seat.limit is None
    [entry] = roster.audited
    assert (entry.actor_id, entry.action, entry.subject, entry.detail) == (
        ALICE, "founded", f"company:{company.id}", {"name": "Baltic Heat AS"})
    with pytest.raises(Conflict, match="already in a company"):
        await companies.found(roster, ALICE, "Another One")
    with pytest.raises(DomainError, match="company's name"):
        await companies.found(roster, ANNA, " x ")
    assert await companies.workspace_company(roster, "T0AGORA") == company
    assert await companies.workspace_company(roster, "T0OTHER") is None


async def test_an_invitation_gives_its_roles_and_limit_for_seven_days(roster):
    company_id = await baltic_heat(roster)
    invitation = await companies.invite(roster, ALICE, ["approver", "buyer"], LIMIT)
    assert len(invitation.code) == rules.INVITE_LENGTH
    assert set(invitation.code) <= set(rules.INVITE_ALPHABET)
    assert (invitation.roles, invitation.limit) == (("buyer", "approver"), LIMIT)
    assert invitation.expires_at == roster.now() + timedelta(days=7)
    invited = roster.audited[-1]
    assert (invited.action, invited.subject, invited.detail) == (
        "invited", f"invite:{invitation.code}",
        {"roles": ["buyer", "approver"], "limit": str(LIMIT)})
    joined = await companies.join(roster, BOB, f"  {invitation.code.lower()} ")
    assert joined.id == company_id
    seat = await roster.seat(BOB)
    assert (seat.roles, seat.limit) == (("buyer", "approver"), LIMIT)
    assert roster.events[-1] == MemberJoined(company_id, BOB)
    assert (roster.audited[-1].actor_id, roster.audited[-1].action) == (ALICE, "joined")


async def test_only_an_admin_invites_with_known_roles_and_no_negative_limit(roster):
    await baltic_heat(roster)
    for who in (ANNA, FRED):
        with pytest.raises(NotAllowed, match="does not allow"):
            await companies.invite(roster, who, ["buyer"], None)
    with pytest.raises(NotFound, match="not in a company"):
        await companies.invite(roster, BOB, ["buyer"], None)
    with pytest.raises(DomainError, match="at least one role"):
        await companies.invite(roster, ALICE, ["buyer", "owner"], None)
    with pytest.raises(DomainError, match="negative"):
        await companies.invite(roster, ALICE, ["buyer"], Money.parse("-1", "EUR"))


async def test_joining_is_once_per_code_and_the_last_admin_stays(roster):
    await baltic_heat(roster)
    code = (await companies.invite(roster, ALICE, ["buyer"], None)).code
    with pytest.raises(Conflict):
        await companies.join(roster, ANNA, code)  # already in one
    await companies.join(roster, BOB, code)
    with pytest.raises(DomainError):
        await companies.join(roster, SAM, code)  # used
    with pytest.raises(NotAllowed):
        await companies.invite(roster, ANNA, ["buyer"], None)  # a buyer does not invite
    with pytest.raises(Conflict):
        await companies.remove(roster, ALICE, ALICE)  # the last admin
    with pytest.raises(Conflict):
        await companies.set_roles(roster, ALICE, ALICE, ["buyer"])


async def test_an_invitation_expires_and_an_unknown_code_lets_no_one_in(roster):
    await baltic_heat(roster)
    code = (await companies.invite(roster, ALICE, ["buyer"], None)).code
    roster.at += timedelta(days=7)
    with pytest.raises(DomainError, match="unknown, used or expired"):
        await companies.join(roster, BOB, code)
    with pytest.raises(DomainError, match="unknown, used or expired"):
        await companies.join(roster, BOB, "NOSUCHCODE")
    assert await roster.seat(BOB) is None


async def test_with_another_admin_the_first_may_step_down_and_then_leave(roster):
    company_id = await baltic_heat(roster)
    await companies.set_roles(roster, ALICE, ANNA, ["admin", "buyer"])
    await companies.set_roles(roster, ALICE, ALICE, ["buyer"])
    roles = roster.audited[-1]
    assert (roles.action, roles.detail) == (
        "roles", {"before": list(rules.ROLES), "after": ["buyer"]})
    with pytest.raises(NotAllowed):
        await companies.remove(roster, ALICE, FRED)  # no longer an admin
    await companies.remove(roster, ALICE, ALICE)
    assert await roster.seat(ALICE) is None and roster.audited[-1].action == "left"
    await companies.remove(roster, ANNA, FRED)
    assert roster.audited[-1].action == "removed"
    assert [c.account_id for c in await companies.members(roster, ANNA)] == [ANNA]
    assert await roster.with_role(company_id, "manage") == [ANNA]


async def test_colleagues_see_each_other_and_an_admin_sets_a_limit(roster):
    await baltic_heat(roster, limit=None)
    found = await companies.members(roster, FRED)  # any member sees who is in
    assert [(c.name, c.roles, c.limit) for c in found] == [
        ("Alice", list(rules.ROLES), None), ("Anna", ["buyer"], None), ("Fred", ["finance"], None)]
    await companies.set_limit(roster, ALICE, ANNA, Money.parse("500", "EUR"))
    assert (await roster.seat(ANNA)).limit == Money.parse("500", "EUR")
    assert roster.audited[-1].detail == {"limit": str(Money.parse("500", "EUR"))}
    with pytest.raises(DomainError, match="negative"):
        await companies.set_limit(roster, ALICE, ANNA, Money.parse("-5", "EUR"))
    with pytest.raises(NotFound, match="not in your company"):
        await companies.set_limit(roster, ALICE, BOB, None)
    with pytest.raises(NotAllowed):
        await companies.set_limit(roster, FRED, ANNA, None)
    with pytest.raises(NotFound, match="not in a company"):
        await companies.members(roster, BOB)


async def test_a_colleague_of_the_workspace_asks_to_join_and_an_admin_admits_them(roster):
    company_id = await baltic_heat(roster)
    with pytest.raises(NotAllowed, match="Ask an admin of Baltic Heat AS"):
        await companies.ask_to_join(roster, SAM, company_id)  # another workspace
    with pytest.raises(Conflict):
        await companies.ask_to_join(roster, ANNA, company_id)
    with pytest.raises(NotFound):
        await companies.ask_to_join(roster, BOB, company_id + 1)
    with pytest.raises(NotFound, match="answered already"):
        await companies.admit(roster, ALICE, BOB)  # nothing asked yet
    assert (await companies.ask_to_join(roster, BOB, company_id)).id == company_id
    assert roster.events[-1] == JoinRequested(company_id, BOB)
    with pytest.raises(NotAllowed):
        await companies.admit(roster, ANNA, BOB)
    admitted = await companies.admit(roster, ALICE, BOB)
    assert admitted.display_name == "Bob"
    seat = await roster.seat(BOB)
    assert (seat.roles, seat.limit) == (("buyer",), Money(0, "SEK"))  # every purchase approved
    with pytest.raises(NotFound, match="answered already"):
        await companies.admit(roster, ALICE, BOB)


async def test_a_refused_request_is_told_and_may_be_asked_again(roster):
    company_id = await baltic_heat(roster)
    await companies.ask_to_join(roster, BOB, company_id)
    refused = await companies.refuse(roster, ALICE, BOB)
    assert refused.id == BOB and roster.events[-1] == JoinRefused(company_id, BOB)
    with pytest.raises(NotFound, match="answered already"):
        await companies.refuse(roster, ALICE, BOB)
    await companies.ask_to_join(roster, BOB, company_id)
    await companies.admit(roster, ALICE, BOB)
    assert await roster.seat(BOB) is not None
    assert await roster.join_history(company_id, BOB) == [
        "asked_to_join", "refused", "asked_to_join", "joined"]
