"""A company's rules, on plain values (no database): the roles colleagues hold, what each role
may do, when a purchase needs an approver's yes, how long an invitation lives, who may remove
whom, that a company keeps an admin, who may ask to join it, and who may change its billing
details."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import N_, _
from core.money.model import Money

BUYER, APPROVER, FINANCE, ADMIN = "buyer", "approver", "finance", "admin"
ROLES = (BUYER, APPROVER, FINANCE, ADMIN)
ROLE_LABELS = {BUYER: N_("Buyer"), APPROVER: N_("Approver"), FINANCE: N_("Finance"),
               ADMIN: N_("Admin")}

# What each role may do; an admin may do everything.
MAY = {
    "buy": {BUYER, ADMIN},
    "approve": {APPROVER, ADMIN},
    "manage": {ADMIN},  # invite, change roles and limits, remove, where approvals go
    "billing": {FINANCE, ADMIN},  # change the billing details once given
    "see_all": {FINANCE, ADMIN},  # every deal of the company, its invoices and payments
}

INVITATION_LIFETIME = timedelta(days=7)
NAME_LIMIT = 120
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
INVITE_LENGTH = 10


def may(roles: Iterable[str], what: str) -> bool:
    """Whether someone holding `roles` may do `what` (a key of MAY)."""
    return bool(set(roles) & MAY[what])


def checked_roles(roles: Iterable[str]) -> list[str]:
    """Roles in their usual order; at least one, each known."""
    chosen = [role for role in ROLES if role in set(roles)]
    if not chosen or set(roles) - set(ROLES):
        raise DomainError(_("Choose at least one role: buyer, approver, finance or admin."))
    return chosen


def checked_name(name: str) -> str:
    """A company's name, tidied: 2 to 120 characters."""
    tidy = " ".join((name or "").split())
    if len(tidy) < 2:
        raise DomainError(_("Please give the company's name."))
    if len(tidy) > NAME_LIMIT:
        raise DomainError(_("The name is too long ({limit} characters at most).", limit=NAME_LIMIT))
    return tidy


def checked_limit(limit: Money | None) -> Money | None:
    """A spending limit per purchase: none (no approval needed), or zero or more."""
    if limit is not None and limit.amount < 0:
        raise DomainError(_("A spending limit cannot be negative."))
    return limit


def needs_approval(limit: Money | None, total: Money) -> bool:
    """A purchase needs an approver when the buyer has a limit and the total is above it; a
    total in another currency than the limit always does (no exchange rate is assumed)."""
    if limit is None:
        return False
    return total.currency != limit.currency or total.amount > limit.amount


def invite_code(draw: Iterable[int]) -> str:
    """An invitation code from random numbers (one per character)."""
    return "".join(INVITE_ALPHABET[n % len(INVITE_ALPHABET)] for n in draw)[:INVITE_LENGTH]


def invitation_open(used_at: datetime | None, expires_at: datetime, now: datetime) -> bool:
    """An invitation lets someone in while it is unused and until the moment it expires."""
    return used_at is None and now < expires_at


def check_may_remove(actor_id: int, account_id: int, actor_roles: Iterable[str],
                     company: str) -> None:
    """Anyone may leave `company`; removing someone else takes a role that may manage it."""
    if account_id != actor_id and not may(actor_roles, "manage"):
        raise NotAllowed(_("Your role in {company} does not allow that; ask an admin.",
                           company=company))


def check_keeps_an_admin(admins: int) -> None:
    """A change that takes an admin away (their role, or them) needs another of the company's
    `admins` left."""
    if admins <= 1:
        raise Conflict(_("The company needs at least one admin: make someone else admin first."))


def loses_admin(before: Iterable[str], after: Iterable[str]) -> bool:
    """Whether a change of roles takes the admin role away."""
    return ADMIN in set(before) and ADMIN not in set(after)


def from_workspace(slack_team: str | None, slack_user_keys: Iterable[str]) -> bool:
    """Whether a person is in the company's Slack workspace: one of their Slack identities
    ("T0123:U0456") is in the team the company was founded from."""
    if not slack_team:
        return False
    return any(key.split(":", 1)[0] == slack_team for key in slack_user_keys)


def awaits_answer(actions: Sequence[str]) -> bool:
    """Whether a request to join is still open, from the company's audit of that person in
    order ("asked_to_join", "refused", "joined"): the last one is the asking."""
    return bool(actions) and actions[-1] == "asked_to_join"


def check_may_bill(given: bool, roles: Iterable[str], company: str) -> None:
    """Any colleague gives `company`'s billing details the first time (a purchase asks for
    them); once `given`, only finance or an admin changes them."""
    if given and not may(roles, "billing"):
        raise NotAllowed(_("Only finance or an admin of {company} may change its billing "
                           "details.", company=company))


def check_may_decide(approver_id: int, requester_id: int, roles: Iterable[str] | None) -> None:
    """A purchase held above a buyer's limit is decided by someone else of her company whose
    `roles` (None: no seat in it) approve: never by the buyer herself."""
    if approver_id == requester_id:
        raise NotAllowed(_("Someone else in your company approves your own purchases."))
    if roles is None or not may(roles, "approve"):
        raise NotAllowed(_("Only an approver can decide on a purchase."))


def may_see_purchase(actor_id: int | None, requester_id: int, actor_company: int | None,
                     purchase_company: int, roles: Iterable[str]) -> bool:
    """Who sees a held purchase: the buyer who asked, and those of her company who approve or
    see all its deals; to anyone else it does not exist."""
    if actor_id is None or actor_id == requester_id:
        return actor_id is not None
    wanted = set(roles)
    return actor_company == purchase_company and (may(wanted, "approve") or may(wanted, "see_all"))


def check_has_approvers(approvers: Sequence[int], limit: Money | None, company: str) -> None:
    """A purchase above the buyer's limit is held only when someone else may approve it."""
    if not approvers:
        raise NotAllowed(_("That is above your spending limit of {limit}, and no one else in "
                           "{company} can approve it; ask an admin.", limit=limit,
                           company=company))
