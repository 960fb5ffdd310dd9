"""The operators' rules, on plain values (no database): the console roles, what each may do,
who may lose a role or be suspended, a suspension's reason, how long a console sign-in link
and session last, and how an operator's identity is named. The name of the administrator role
is held here once; the named list (AGORA_ADMINS, kept in the database), the granted roles and
every check ask it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from core.errors import DomainError, InvalidField, NotAllowed
from core.i18n import N_, _

ADMIN = "admin"
ROLES = ("support", "moderator", "finance", ADMIN)
ROLE_LABELS = {"support": N_("Support"), "moderator": N_("Moderator"), "finance": N_("Finance"),
               ADMIN: N_("Administrator")}

# action → the roles (besides admin) that may take it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_dashboard": frozenset({"support", "moderator", "finance"}),
    "moderate": frozenset({"moderator"}),
    "view_users": frozenset({"support", "moderator", "finance"}),
    "suspend_users": frozenset({"moderator"}),
    "view_deals": frozenset({"support", "finance"}),
    "ask_party": frozenset({"support", "finance"}),
    "decide_disputes": frozenset({"finance"}),
    "view_payments": frozenset({"finance"}),
    "approve_terms": frozenset({"finance"}),  # which companies may pay on terms, and how much
    "view_promotions": frozenset({"finance", "moderator"}),
    "handle_support": frozenset({"support"}),
    "publish_learning": frozenset(),  # the library and the calendar: core asks for an admin
    "view_audit": frozenset(),
    "grant_roles": frozenset(),
    "manage_api_keys": frozenset(),  # a company's API keys act as its people: admins only
}


def may(roles: Iterable[str], action: str) -> bool:
    """Whether an operator holding `roles` may take `action` (an unknown action is a bug)."""
    allowed = PERMISSIONS[action]
    held = set(roles)
    return ADMIN in held or bool(held & allowed)


def split_label(label: str) -> tuple[str, str] | None:
    """("slack", "T1:U1") from "slack:T1:U1"; None for a label without both parts."""
    channel, _, user_key = label.strip().partition(":")
    return (channel, user_key) if channel and user_key else None


def check_role(role: str) -> None:
    """A console role is one of ROLES."""
    if role not in ROLES:
        raise DomainError(_("A role is one of: {roles}.", roles=", ".join(ROLES)))


def check_revoke(admin_id: int, account_id: int, role: str) -> None:
    """An admin takes roles away from anyone, but not their own admin role (so the console
    always keeps the admin who is using it)."""
    if account_id == admin_id and role == ADMIN:
        raise DomainError(_("You can't take away your own admin role."))


def check_suspendable(operator_id: int, account_id: int, account_is_admin: bool) -> None:
    """An operator suspends members, not an administrator and not themselves."""
    if account_id == operator_id or account_is_admin:
        raise NotAllowed(_("Administrators (and you yourself) can't be suspended here."))


REASON_LENGTH = (5, 500)  # the reason a suspended or restored person is told


def reason(text: str) -> str:
    """A suspension's (or restoration's) reason, the person is told: its spaces tidied, 5 to
    500 characters."""
    tidy = " ".join(text.split())
    low, high = REASON_LENGTH
    if not low <= len(tidy) <= high:
        raise InvalidField("reason", _("Give a reason of 5 to 500 characters; the person is "
                                       "told it."))
    return tidy


def link_expires(sent_at: datetime, minutes: int) -> datetime:
    """A console sign-in link works once, until this moment (`minutes`: the policy's)."""
    return sent_at + timedelta(minutes=minutes)


def session_expires(opened_at: datetime, hours: int) -> datetime:
    """A console session lasts `hours` (the policy's) from sign-in, unless signed out."""
    return opened_at + timedelta(hours=hours)


def session_open(ended_at: datetime | None, expires_at: datetime, now: datetime) -> bool:
    """A console session lets its operator in until they sign out or it expires."""
    return ended_at is None and now < expires_at
