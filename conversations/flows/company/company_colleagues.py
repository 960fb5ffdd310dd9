"""A company's colleagues, from `/company`: their roles and spending limits (changed by an
admin), leaving the company, and inviting a colleague by code or link. Core checks every
role."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from conversations.fields import MultiChoiceField
from conversations.flow import Ctx, Next
from conversations.flows.company.company_state import AtCompany
from conversations.flows.loyalty.loyalty import TELEGRAM
from conversations.forms import Form
from conversations.messages import Button, Choice, Inbound, ListItem, ListPage, Outbound, Reply, rows
from conversations.number_and_date_fields import DecimalField
from core.companies import rules
from core.companies import service as companies
from core.companies.service import Colleague
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id
from core.money.model import Money, exponent


def _roles(roles: Sequence[str]) -> str:
    return ", ".join(_(rules.ROLE_LABELS[r]) for r in roles if r in rules.ROLE_LABELS)


def _limit(limit: Money | None) -> str:
    return str(limit) if limit is not None else _("no limit")


async def _members(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    seat = await companies.seat(ctx.uow, ctx.account.id)
    found = await companies.members(ctx.uow, ctx.account.id)
    manage = seat is not None and seat.may("manage")
    items = tuple(ListItem(colleague.name, _member_line(colleague),
                           Button(_("✏ Change"), f"m:{colleague.account_id}") if manage else None)
                  for colleague in found)
    return [ListPage(_("👥 Colleagues"), items, 1, 1),
            Reply(_("Change a colleague's roles or limit, or go back.") if manage
                  else _("Only an admin changes roles and limits."),
                  rows((_("↩ Back"), "back"), (_("🚪 Leave the company"), "leave")))]


def _member_line(colleague: Colleague) -> str:
    roles = _roles(colleague.roles)
    if colleague.limit is None:
        return _("{roles} · no limit", roles=roles)
    return _("{roles} · limit {limit}", roles=roles, limit=colleague.limit)


async def _on_members(ctx: Ctx, msg: Inbound) -> Next:
    data = msg.data if isinstance(msg, Choice) else ""
    number = parse_id(data[2:]) if data.startswith("m:") else None
    if number is not None:
        AtCompany.of(ctx).member = number
        ctx.data.setdefault("_forms", {})["member_form"] = {"i": 0, "values": {}, "seeded": []}
        return Next(state="member_form")
    if data == "leave":
        return Next(state="leave")
    return Next(state="card", remember=False)


def _member_form(ctx: Ctx) -> Form:
    return Form("member", N_("Roles and limit"), [_roles_field(), _limit_field(ctx)],
                submit_label=N_("Save"))


def _roles_field() -> MultiChoiceField:
    return MultiChoiceField("roles", N_("Roles"), choices=list(rules.ROLE_LABELS.items()))


def _limit_field(ctx: Ctx) -> DecimalField:
    currency = ctx.account.currency if ctx.account else "EUR"
    return DecimalField("limit", _("Spending limit per purchase ({currency})", currency=currency),
                        required=False, places=exponent(currency),
                        hint=N_("Purchases above it wait for an approver. Skip for no limit."),
                        form_hint=N_("Purchases above it wait for an approver. Empty: no limit."))


def _limit_of(ctx: Ctx, values: dict[str, Any]) -> Money | None:
    if values.get("limit") in (None, ""):
        return None
    currency = ctx.account.currency if ctx.account else "EUR"
    return Money.parse(Decimal(str(values["limit"])), currency)


async def _member_saved(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    member = AtCompany.of(ctx).member
    await companies.set_roles(ctx.uow, ctx.account.id, member, list(values["roles"]))
    await companies.set_limit(ctx.uow, ctx.account.id, member, _limit_of(ctx, values))
    return Next(state="members", remember=False, replies=[Reply(_("✅ Saved."))])


async def _leave_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Leave the company? Your deals stay yours; new purchases are your own."),
                  rows((_("🚪 Leave"), "yes"), (_("↩ Stay"), "no")))]


async def _on_leave(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if not (isinstance(msg, Choice) and msg.data == "yes"):
        return Next(state="card", remember=False)
    try:
        await companies.remove(ctx.uow, ctx.account.id, ctx.account.id)
    except DomainError as exc:
        return Next(state="card", remember=False, replies=[Reply(str(exc), kind="error")])
    return Next.end(Reply(_("🚪 You left the company.")), menu=False)


# --- inviting ------------------------------------------------------------------------------


def invite_link(code: str) -> str:
    """The Telegram link that opens the invitation (`/start company-join_CODE`)."""
    return f"https://t.me/{TELEGRAM['bot']}?start=company-join_{code}"


def _invite_form(ctx: Ctx) -> Form:
    return Form("invite", N_("Invite a colleague"), [_roles_field(), _limit_field(ctx)],
                submit_label=N_("Invite"))


async def _invited(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    invitation = await companies.invite(ctx.uow, ctx.account.id, list(values["roles"]),
                                        _limit_of(ctx, values))
    return Next(state="card", remember=False, replies=[Reply(_(
        "🔑 Invitation code: {code} (one colleague, valid 7 days).\nOn Telegram they open "
        "{link}\nIn Slack they type  /agora company join {code}", code=invitation.code,
        link=invite_link(invitation.code)))])
