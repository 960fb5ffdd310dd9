"""`/company`: buying for a company. Set one up (its name; billing details are asked once, at
its first deal), join one by invitation code or link — or, from the company's Slack workspace,
ask to join — and, with a seat: colleagues with their roles and spending limits, inviting,
billing details, the company's deals and its decisions. Core checks every role. The steps
about colleagues are in company_colleagues, the deals and decisions shown in company_records."""

from __future__ import annotations

import re
from typing import Any

from conversations.fields import ChatField, TextField
from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.flows import deal_billing
from conversations.flows.company.company_colleagues import (
    _invite_form,
    _invited,
    _leave_prompt,
    _limit,
    _member_form,
    _member_saved,
    _members,
    _on_leave,
    _on_members,
    _roles,
)
from conversations.flows.company.company_records import _deals, _decisions
from conversations.flows.company.company_state import AtCompany
from conversations.form_runner import FormState
from conversations.forms import Form, Rule
from conversations.messages import (
    Choice,
    Inbound,
    Outbound,
    Reply,
    Text,
    go,
    rows,
)
from core.accounts.xrechnung_details import check_leitweg_id
from core.companies import approvals_chat, rules
from core.companies import billing as company_billing
from core.companies import service as companies
from core.companies.intents import CompanyIntent
from core.companies.seats import Seat
from core.deals import company_deals
from core.deals.approvals import service as approvals
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id

CODE = re.compile(r"^(?:join[\s_:-]*)?([A-Za-z0-9]{10})$", re.I)


async def _start(ctx: Ctx) -> Next | None:
    """`join CODE`, `admit:ID`, `refuse:ID`, `members`, `deals`, `ask`; none: the card."""
    assert ctx.account is not None
    state = AtCompany.of(ctx)
    args = state.args.strip()
    code = CODE.match(args)
    verb, __, number = args.partition(":")
    try:
        if code:
            company = await companies.join(ctx.uow, ctx.account.id, code.group(1).upper())
            return Next(state="card", remember=False, replies=[Reply(_(
                "🏢 Welcome to {company}! Purchases you make now are the company's.",
                company=company.name))])
        if verb in ("admit", "refuse") and parse_id(number) is not None:
            return await _answer_join(ctx, verb, int(number))
        if verb == "ask":  # "ask:ID" from the offer at registration, "ask" from the card
            which = parse_id(number) if number else parse_id(str(state.ws or ""))
            if which is None:
                raise KeyError("ws")
            company = await companies.ask_to_join(ctx.uow, ctx.account.id, which)
            return Next.end(Reply(_("🙋 Asked: an admin of {company} will let you in; you'll "
                                    "hear here.", company=company.name)), menu=False)
    except (DomainError, KeyError, ValueError) as exc:
        text = str(exc) if isinstance(exc, DomainError) else _("Open the company from /company.")
        return Next.end(Reply(text, kind="error"), menu=False)
    return Next(state=args if args in ("members", "deals") else "card", remember=False)


async def _answer_join(ctx: Ctx, verb: str, account_id: int) -> Next:
    assert ctx.account is not None
    if verb == "admit":
        account = await companies.admit(ctx.uow, ctx.account.id, account_id)
        return Next.end(Reply(_("✅ {name} joined as a buyer whose every purchase is approved. "
                                "Change that under Colleagues.", name=account.display_name)),
                        menu=False)
    account = await companies.refuse(ctx.uow, ctx.account.id, account_id)
    return Next.end(Reply(_("✖ Declined; {name} is told.", name=account.display_name)),
                    menu=False)


# --- the card ------------------------------------------------------------------------------


async def _card(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    seat = await companies.seat(ctx.uow, ctx.account.id)
    if seat is None:
        return [await _no_company(ctx)]
    waiting = await approvals.waiting(ctx.uow, ctx.account.id)
    lines = [_("🏢 {company}", company=seat.company.name),
             _("Your roles: {roles}", roles=_roles(seat.roles)),
             _("Your spending limit per purchase: {limit}", limit=_limit(seat.limit)),
             _("Billing details: {details}", details=seat.company.billing.legal_name
               if seat.company.billing else _("asked at the company's first deal"))]
    if _leitweg_asked(seat) and seat.company.billing:
        lines.append(_("Leitweg-ID (German public buyers): {leitweg_id}",
                       leitweg_id=seat.company.billing.leitweg_id or _("none")))
    if waiting:
        lines.append(_("⏳ Waiting for approval: {count}", count=len(waiting)))
    lines.append(_("Approval cards: in a team channel") if seat.company.approvals_chat
                 else _("Approval cards: by direct message to each approver"))
    buttons = _card_buttons(seat, bool(waiting), ctx.forms_at_once)
    return [Reply("\n".join(lines), rows(*buttons, per_row=2))]


def _leitweg_asked(seat: Seat) -> bool:
    """A company billed in Germany may give the Leitweg-ID its XRechnungs carry."""
    return seat.company.billing is not None and seat.company.billing.country == "DE"


def _card_buttons(seat: Seat, waiting: bool, picks_chats: bool) -> list[tuple[str, str]]:
    buttons = [(_("👥 Colleagues"), "members")]
    if seat.may("manage"):
        buttons.append((_("➕ Invite a colleague"), "invite"))
    if seat.may("manage") and picks_chats:  # a channel is picked in a form shown whole
        buttons.append((_("📣 Where approvals go"), "approvals_chat"))
    if waiting:
        buttons.append((_("⏳ Approvals"), go("purchase")))
    if company_deals.may_see_company(seat):
        buttons.append((_("🤝 Company deals"), "deals"))
    if seat.may("billing") or seat.company.billing is None:
        buttons.append((_("🧾 Billing details"), "billing"))
    if _leitweg_asked(seat) and seat.may("billing"):
        buttons.append((_("🏛 Leitweg-ID"), "leitweg"))
    if seat.may("see_all"):
        buttons.append((_("📋 Decisions"), "decisions"))
    if seat.may("manage"):
        buttons.append((_("📜 Certificates"), go("certificates")))
        buttons.append((_("🔑 API keys"), go("apikeys")))
        buttons.append((_("🔗 Webhooks"), go("webhooks")))
    return [*buttons, (_("✔ Done"), "done")]


async def _no_company(ctx: Ctx) -> Reply:
    text = _("🏢 Buy for your company: colleagues join with roles (buyer, approver, finance, "
             "admin), purchases above a buyer's limit wait for an approver, and invoices carry "
             "the company's billing details.")
    buttons = [(_("🏢 Set up a company"), "found"), (_("🔑 I have an invitation code"), "code")]
    team = ctx.env.user_key.split(":", 1)[0] if ctx.env.channel == "slack" else ""
    found = await companies.workspace_company(ctx.uow, team) if team else None
    if found is not None:
        AtCompany.of(ctx).ws = found.id
        text += "\n" + _("{company}, of your Slack workspace, is on Agora.", company=found.name)
        buttons.insert(0, (_("🙋 Ask to join {company}", company=found.name[:40]), "ask"))
    return Reply(text, rows(*buttons, (_("✔ Done"), "done")))


async def _on_card(ctx: Ctx, msg: Inbound) -> Next:
    choice = msg.data if isinstance(msg, Choice) else ""
    if choice in ("found", "code", "members", "invite", "deals", "decisions", "approvals_chat",
                  "leitweg"):
        return Next(state=choice)
    if choice == "billing":
        deal_billing.seed(ctx, "billing")
        return Next(state="billing")
    if choice == "ask":
        AtCompany.of(ctx).args = "ask"
        return await _start(ctx) or Next.end(menu=False)
    return Next.end(menu=False)


# --- setting up, joining -------------------------------------------------------------------


def _name_form(ctx: Ctx) -> Form:
    return Form("company", N_("Your company"), [
        TextField("name", N_("Company name"), max_length=rules.NAME_LIMIT)],
        submit_label=N_("Set up"))


async def _founded(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    team = ctx.env.user_key.split(":", 1)[0] if ctx.env.channel == "slack" else None
    company = await companies.found(ctx.uow, ctx.account.id, values["name"], slack_team=team)
    return Next(state="card", remember=False, replies=[Reply(_(
        "🏢 {company} is set up, with you as its admin. Invite colleagues next.",
        company=company.name))])


async def _code_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Type the invitation code (10 letters and digits)."))]


async def _on_code(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    code = CODE.match(msg.text.strip()) if isinstance(msg, Text) else None
    if code is None:
        return Next.stay(Reply(_("An invitation code has 10 letters and digits, like "
                                 "K7Q2M9XW4P."), kind="error"))
    try:
        company = await companies.join(ctx.uow, ctx.account.id, code.group(1).upper())
    except DomainError as exc:
        return Next.stay(Reply(str(exc), kind="error"))
    return Next(state="card", remember=False, replies=[Reply(_(
        "🏢 Welcome to {company}! Purchases you make now are the company's.",
        company=company.name))])


# --- where approvals go, billing -----------------------------------------------------------


def _chat_form(ctx: Ctx) -> Form:
    return Form("approvals_chat", N_("Where approvals go"), [ChatField(
        "chat", N_("Team channel"), required=False,
        hint=N_("Purchases waiting for approval are posted there. Leave it empty to send each "
                "approver a direct message instead."))],
        submit_label=N_("Save"))


async def _chat_chosen(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    chat = f"{ctx.env.channel}:{values['chat']}" if values.get("chat") else None
    await approvals_chat.choose(ctx.uow, ctx.account.id, chat, ctx.account.language or "en")
    said = _("📣 Approval cards will be posted in that channel.") if chat else _(
        "📣 Approval cards will go to each approver by direct message.")
    return Next(state="card", remember=False, replies=[Reply(said)])


async def _billed(ctx: Ctx, values: dict[str, Any]) -> Next:
    await deal_billing.save(ctx, values)
    return Next(state="card", remember=False, replies=[Reply(_("✅ Billing details saved."))])


def _leitweg_ok(values: dict[str, Any]) -> str | None:
    try:
        if values.get("leitweg_id"):
            check_leitweg_id(values["leitweg_id"])
    except DomainError as exc:
        return str(exc)
    return None


def _leitweg_form(ctx: Ctx) -> Form:
    return Form("leitweg", N_("Leitweg-ID"), [TextField(
        "leitweg_id", N_("Leitweg-ID"), max_length=46, required=False,
        hint=N_("A German public authority's routing id, like 04011000-1234512345-06: its "
                "XRechnung e-invoices carry it as the buyer reference. Leave it empty if you "
                "have none."))],
        submit_label=N_("Save"), rules=[Rule(("leitweg_id",), _leitweg_ok)])


async def _leitweg_given(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    given = await company_billing.give_leitweg_id(ctx.uow, ctx.account.id,
                                                  values.get("leitweg_id"))
    said = _("✅ Leitweg-ID saved: your XRechnung e-invoices carry {leitweg_id}.",
             leitweg_id=given) if given else _("✅ No Leitweg-ID: e-invoices carry the deal's "
                                               "reference.")
    return Next(state="card", remember=False, replies=[Reply(said)])


async def _back(ctx: Ctx, msg: Inbound) -> Next:
    return Next(state="card", remember=False)


company = Flow(
    name="company", title=N_("your company"), first="card", on_start=_start,
    state_model=AtCompany,
    commands=("company",), summary=N_("Buy for your company: colleagues, roles, approvals"),
    menu=(MenuEntry(N_("🏢 Company"), ("buyer", "company"), 28),),
    intents={CompanyIntent.COMPANY: "{arg}"},
    help=N_("Set up your company or join one with an invitation code; admins invite colleagues "
            "as buyer, approver, finance or admin and set each buyer's spending limit. A "
            "purchase above it waits for an approver."),
    states={"card": Ask(prompt=_card, on=_on_card),
            "found": FormState(form=_name_form, done=_founded, cancel_to="card"),
            "code": Ask(prompt=_code_prompt, on=_on_code),
            "members": Ask(prompt=_members, on=_on_members),
            "member_form": FormState(form=_member_form, done=_member_saved, cancel_to="members"),
            "leave": Ask(prompt=_leave_prompt, on=_on_leave),
            "invite": FormState(form=_invite_form, done=_invited, cancel_to="card"),
            "approvals_chat": FormState(form=_chat_form, done=_chat_chosen, cancel_to="card"),
            "billing": FormState(form=deal_billing.billing_form(charges=False), done=_billed,
                                 cancel_to="card"),
            "leitweg": FormState(form=_leitweg_form, done=_leitweg_given, cancel_to="card"),
            "deals": Ask(prompt=_deals, on=_back),
            "decisions": Ask(prompt=_decisions, on=_back)},
)
