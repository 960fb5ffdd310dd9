"""/packages: session packages. A consultant offers packages (a number of sessions of their
length, a discount, how long they are valid, what happens to unused sessions) and sees those
sold; a seeker sees a consultant's packages from their page and buys one (one payment, held by
Agora), and sees the balance of those they hold. Each booking of the package's length with
that consultant then draws a session from it (core.consulting.packages)."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next, Step
from conversations.messages import Choice, Inbound, Outbound, Reply, rows
from core.consulting.intents import ConsultingIntent
from core.consulting.packages import rules, view
from core.consulting.packages import service as packages
from core.consulting.profiles import service as profiles
from core.i18n import N_, _, present
from core.ids import parse_id


class Packaging(FlowState):
    """What /packages keeps: a package being offered (by `_picked` steps, under these names),
    the consultant whose packages are shown, the package subscribed to."""

    sessions: int  # one of rules.SESSIONS
    discount: int  # one of rules.DISCOUNTS, percent
    days: int | str  # one of rules.VALID_DAYS, or rules.MONTHLY
    consultant_id: int
    package_id: int


async def _start(ctx: Ctx) -> Next | None:
    """`ID` (a consultant's page's button): that consultant's packages, to buy one."""
    state = Packaging.of(ctx)
    consultant_id = parse_id(state.args)
    if consultant_id is not None and consultant_id != ctx.account_id:
        state.consultant_id = consultant_id
        return Next(state="offers", remember=False)
    return None


async def _is_consultant(ctx: Ctx) -> bool:
    return await profiles.is_consultant(ctx.uow, ctx.account_id or 0)


async def balances_text(ctx: Ctx) -> str:
    """The packages this person holds or sold, still running (a home section too)."""
    assert ctx.account is not None
    return await view.held_text(ctx.uow, ctx.account.id)


async def _mine(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    text = [await balances_text(ctx) or _("📦 No session packages running.")]
    options: list[tuple[str, str]] = []
    if await _is_consultant(ctx):
        offered = await view.offers(ctx.uow, ctx.account.id, savings=False)
        text.append(_("Your packages on offer:") if offered.lines else
                    _("You offer no packages yet. A package sells several sessions at once, "
                      "paid once, each paid to you as it is used."))
        for number, line, __ in offered.lines:
            text.append(f"#{number} · {line}")
            options.append((_("✖ Withdraw #{id}", id=number), f"w:{number}"))
        options.insert(0, (_("➕ New package"), "new"))
    else:
        text.append(_("Buy one from a consultant's page (/consultants)."))
    options += [(_("✖ End retainer #{id}", id=number), f"r:{number}")
                for number in await view.running_retainers(ctx.uow, ctx.account.id)]
    return [Reply("\n".join(text), rows(*options, (_("✔ Done"), "done")))]


async def _on_mine(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data == "new" and await _is_consultant(ctx):
        return Next(state="sessions")
    if data.startswith("w:") and (number := parse_id(data[2:])) is not None:
        await packages.withdraw(ctx.uow, ctx.account.id, number)
        return Next(state="mine", remember=False, replies=[Reply(_(
            "✖ Package #{id} withdrawn; packages already bought keep their terms.", id=number))])
    if data.startswith("r:") and (number := parse_id(data[2:])) is not None:
        await view.end_retainer(ctx.uow, number, ctx.account.id)
        return Next(state="mine", remember=False, replies=[Reply(_(
            "✖ Retainer #{id} ended: no month is charged again; the month paid runs out.",
            id=number))])
    return Next.end()


def _ask(text: str, options: list[tuple[str, str]]) -> list[Outbound]:
    return [Reply(text, rows(*options, per_row=3))]


async def _sessions(ctx: Ctx) -> list[Outbound]:
    return _ask(_("How many sessions in the package?"),
                [(present.number(n), str(n)) for n in rules.SESSIONS])


async def _discount(ctx: Ctx) -> list[Outbound]:
    return _ask(_("How much off the price of single sessions?"),
                [(_("{percent} %", percent=present.number(d)), str(d)) for d in rules.DISCOUNTS])


async def _days(ctx: Ctx) -> list[Outbound]:
    return _ask(_("For how long can the sessions be booked after payment? Or a monthly "
                  "retainer: as many sessions every month, charged each month by card."),
                [*((_("{days} days", days=present.number(d)), str(d)) for d in rules.VALID_DAYS),
                 (_("🔁 Every month"), rules.MONTHLY)])


async def _rule(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("And the sessions not used by then?"),
                  rows(*((_(rules.RULE_TEXT[r]), r) for r in rules.REFUND_RULES)))]


def _picked(key: str, allowed: tuple[object, ...], then: str) -> Step:
    async def on(ctx: Ctx, msg: Inbound) -> Next:
        data = msg.data if isinstance(msg, Choice) else ""
        value = int(data) if data.isdigit() else data
        if value not in allowed:
            return Next.stay(Reply(_("Tap one of the choices."), kind="error"))
        ctx.data[key] = value
        return Next(state=then)
    return on


async def _on_rule(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data not in rules.REFUND_RULES:
        return Next.stay(Reply(_("Tap one of the choices."), kind="error"))
    state = Packaging.of(ctx)
    number, terms = await view.offer(ctx.uow, ctx.account.id, state.sessions, state.discount,
                                     state.days, data)
    return Next(state="mine", remember=False, replies=[Reply(_(
        "✅ Package #{id} offered: {offer}. Seekers see it on your page.", id=number,
        offer=terms))])


async def _offers(ctx: Ctx) -> list[Outbound]:
    offered = await view.offers(ctx.uow, Packaging.of(ctx).consultant_id)
    name = offered.name
    if not offered.lines:
        return [Reply(_("{name} offers no packages now.", name=name), rows((_("✔ Done"), "done")))]
    lines = [_("📦 Session packages of {name} — pay once; Agora holds the money and pays "
               "{name} for each session as it is used.", name=name)]
    options = []
    for number, line, monthly in offered.lines:
        lines.append(f"#{number} · {line}")
        options.append((_("🔁 Subscribe #{id}", id=number), f"sub:{number}") if monthly else
                       (_("💳 Buy #{id}", id=number), f"buy:{number}"))
    return [Reply("\n".join(lines), rows(*options, (_("✔ Done"), "done")))]


async def _on_offers(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data.startswith("buy:") and (number := parse_id(data[4:])) is not None:
        bought = await view.buy(ctx.uow, ctx.account.id, number)
        return Next.end(Reply(_("📦 Package #{id} is yours once paid: the payment comes next, "
                                "in a message of its own.", id=bought)), menu=False)
    if data.startswith("sub:") and (number := parse_id(data[4:])) is not None:
        Packaging.of(ctx).package_id = number
        return Next(state="consent")
    return Next.end(menu=False)


async def _consent(ctx: Ctx) -> list[Outbound]:
    return [Reply(await view.consent_text(ctx.uow, Packaging.of(ctx).package_id),
                  rows((_("✅ I agree"), "agree"), (_("✖ Not now"), "no")))]


async def _on_consent(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if not (isinstance(msg, Choice) and msg.data == "agree"):
        return Next.end(Reply(_("Nothing was set up.")), menu=False)
    number = await view.subscribe(ctx.uow, ctx.account.id, Packaging.of(ctx).package_id)
    return Next.end(Reply(_("🔁 Retainer #{id} set up: save your card in the next message, and "
                            "the first month starts.", id=number)), menu=False)


packages_flow = Flow(
    name="packages", title=N_("session packages"), first="mine", on_start=_start,
    state_model=Packaging,
    commands=("packages",), intents={ConsultingIntent.PACKAGES: "{arg}"},
    summary=N_("Session packages: offer them, buy them, see what is left"),
    menu=(MenuEntry(N_("📦 Packages"), ("consultant",), 62),),
    help=N_("A package is several sessions with one consultant paid at once, often at a "
            "discount: Agora holds the payment and pays the consultant for each session as it is "
            "used; each booking of the package's length with that consultant draws from it. "
            "Sessions not used before it expires are refunded or kept, as the package says. A "
            "retainer is a package every month, charged to a saved card with your consent until "
            "either of you ends it here."),
    states={"mine": Ask(prompt=_mine, on=_on_mine),
            "sessions": Ask(prompt=_sessions, on=_picked("sessions", rules.SESSIONS, "discount"),
                            cancel_to="mine"),
            "discount": Ask(prompt=_discount, on=_picked("discount", rules.DISCOUNTS, "days"),
                            cancel_to="mine"),
            "days": Ask(prompt=_days, on=_picked("days", (*rules.VALID_DAYS, rules.MONTHLY),
                                                  "rule"), cancel_to="mine"),
            "rule": Ask(prompt=_rule, on=_on_rule, cancel_to="mine"),
            "offers": Ask(prompt=_offers, on=_on_offers),
            "consent": Ask(prompt=_consent, on=_on_consent)},
)
