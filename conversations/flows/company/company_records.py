"""What a company has done, from `/company`: its colleagues' deals, and its decisions (who set
it up, invited, changed roles and limits, approved a purchase), newest first."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.messages import Button, ListItem, ListPage, Outbound, Reply, go, rows
from core.clock import local_time
from core.companies import audit_trail as company_audit
from core.companies import service as companies
from core.deals import company_deals
from core.i18n import N_, _


async def _deals(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    found = await company_deals.company_deals(ctx.uow, ctx.account.id)
    if not found:
        return [Reply(_("No deals of colleagues to show yet."), rows((_("↩ Back"), "back")))]
    items = tuple(ListItem(f"#{d.id} {d.title} · {d.total}", _(
        "{status} · bought by {buyer}", status=d.status_label, buyer=d.buyer),
        Button(_("Open"), go("deal", d.id))) for d in found)
    return [ListPage(_("🤝 Company deals"), items, 1, 1),
            Reply(_("Open one, or go back."), rows((_("↩ Back"), "back")))]


DECIDED = {
    "founded": N_("set up the company"), "invited": N_("invited a colleague"),
    "joined": N_("joined"), "asked_to_join": N_("asked to join"),
    "refused": N_("declined a request to join"), "roles": N_("changed a colleague's roles"),
    "limit": N_("changed a spending limit"), "left": N_("left the company"),
    "removed": N_("removed a colleague"), "billing": N_("gave the billing details"),
    "purchase_held": N_("asked to buy above the limit"),
    "purchase_approved": N_("approved a purchase"), "purchase_rejected": N_("rejected a purchase"),
    "purchase_withdrawn": N_("withdrew a purchase request"),
    "purchase_lapsed": N_("approved a purchase too late"),
    "approvals_chat": N_("chose where approval cards go"),
    "webhook_added": N_("added a webhook endpoint"),
    "webhook_secret": N_("gave a webhook endpoint a new secret"),
    "webhook_disabled": N_("disabled a webhook endpoint"),
    "webhook_enabled": N_("enabled a webhook endpoint"),
}


async def _decisions(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    trail = await company_audit.trail(ctx.uow, ctx.account.id)
    names = {c.account_id: c.name for c in await companies.members(ctx.uow, ctx.account.id)}
    lines = [_("📋 Decisions, newest first")] + [_(
        "{when} · {who} {what} ({subject})", when=local_time(entry.at, ctx.account.timezone),
        who=names.get(entry.actor_id or 0, "—"), subject=entry.subject,
        what=_(DECIDED[entry.action]) if entry.action in DECIDED else entry.action)
        for entry in trail]
    return [Reply("\n".join(lines), rows((_("↩ Back"), "back")))]
