"""Loyalty in chat: `/points` (balance, tier, history with reasons, the referral link, redeem)
and referral codes (`/start ref-CODE`, or `/ref CODE`)."""

from __future__ import annotations

import re

from conversations.flow import Ctx, Next, OneStepCommand
from conversations.messages import Button, Reply, go
from core.errors import DomainError
from core.i18n import N_, _, present
from core.loyalty import rules, service
from core.loyalty.service import Standing

# The Telegram bot's username for referral links; set from settings by the composition root.
TELEGRAM = {"bot": "agora_market_bot"}
REDEEM_STEPS = (500, 1000, 2000)


def referral_link(code: str) -> str:
    return f"https://t.me/{TELEGRAM['bot']}?start=ref-{code}"


def points_text(mine: Standing, prefix: str = "/") -> str:
    """The member's points as plain text (every channel alike)."""
    lines = [_("⭐ {balance} points · {tier} tier ({earned} earned in the last 12 months)",
               balance=present.count(mine.balance), tier=_(mine.tier),
               earned=present.count(mine.earned_in_year))]
    if mine.next_tier:
        name, more = mine.next_tier
        lines.append(_("{more} more to {tier}.", more=present.count(more), tier=name))
    if mine.pending_discount.amount:
        lines.append(_("Waiting for your next payment: {discount} off the commission.",
                       discount=mine.pending_discount))
    lines += ["", _("Redeem: {minimum} points or more take {value} per {minimum} off the "
                    "commission of your next payment as seller or consultant "
                    "({prefix}points redeem N).", minimum=present.count(rules.MIN_REDEMPTION),
                    value=rules.value_of(rules.MIN_REDEMPTION), prefix=prefix),
              "", _("Invite someone: you both get {points} points when they complete a first deal "
                    "or session.", points=present.count(rules.EARN["referral"])),
              _("Telegram link: {link}", link=referral_link(mine.code)),
              _("On Slack or the terminal they type: {prefix}start ref-{code}", prefix=prefix,
                code=mine.code),
              "", _("History:")]
    for move in mine.history:
        sign = "+" if move.points > 0 else "−"
        lines.append(f"  {present.day(move.when)}  {sign}{present.number(abs(move.points))}"
                     f"  {move.reason}")
    if not mine.history:
        lines.append("  " + _("nothing yet: completed deals and sessions, payments and ratings earn points"))
    return "\n".join(lines)


async def loyalty_line(ctx: Ctx) -> str:
    """The member's standing in one line (e.g. for /profile): "Loyalty: Silver · 740 points
    (/points)", with a discount still waiting for their next payment as payee."""
    assert ctx.account is not None
    return _line(await service.brief(ctx.uow, ctx.account.id), ctx.env.command_prefix)


async def points_section(ctx: Ctx) -> str:
    """The loyalty line for a home screen (Slack's App Home); nothing for someone who has no
    points and no discount waiting."""
    assert ctx.account is not None
    mine = await service.brief(ctx.uow, ctx.account.id)
    return _line(mine, ctx.env.command_prefix) if mine.balance or mine.pending_discount.amount else ""


def _line(mine: service.Brief, prefix: str) -> str:
    off = mine.pending_discount
    if off.amount:
        return _("⭐ Loyalty: {tier} · {balance} points · {discount} off your next commission "
                 "({prefix}points)", tier=_(mine.tier), balance=mine.balance, discount=off, prefix=prefix)
    return _("⭐ Loyalty: {tier} · {balance} points ({prefix}points)", tier=_(mine.tier),
             balance=mine.balance, prefix=prefix)


def _redeem_buttons(mine: Standing) -> tuple[tuple[Button, ...], ...]:
    offers = [Button(_("Redeem {points} points ({value} off)", points=n, value=rules.value_of(n)),
                     go("points", "redeem", n))
              for n in REDEEM_STEPS if n <= mine.balance]
    return (tuple(offers),) if offers else ()


async def _points(ctx: Ctx) -> Next:
    assert ctx.account is not None
    words = re.split(r"[\s:]+", str(ctx.data.get("args") or "").strip())
    if words[0].lower() == "redeem":
        return await _redeem(ctx, words[1] if len(words) > 1 else "")
    mine = await service.standing(ctx.uow, ctx.account.id)
    return Next.end(Reply(points_text(mine, ctx.env.command_prefix), _redeem_buttons(mine)),
                    menu=False)


async def _redeem(ctx: Ctx, amount: str) -> Next:
    assert ctx.account is not None
    if not amount.isdigit():
        return Next.end(Reply(_("How many points? e.g. {prefix}points redeem {minimum}",
                                prefix=ctx.env.command_prefix, minimum=rules.MIN_REDEMPTION),
                              kind="error"))
    try:
        redeemed = await service.redeem(ctx.uow, ctx.account.id, int(amount))
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    return Next.end(Reply(_("✅ {points} points redeemed: {value} comes off the commission of "
                            "your next payment as seller or consultant, shown on its statement.",
                            points=redeemed.points, value=redeemed.value)),
                    menu=False)


async def _referral(ctx: Ctx) -> Next:
    assert ctx.account is not None
    code = str(ctx.data.get("args") or "").strip()
    if not code:
        return Next.end(Reply(_("Which code? e.g. /start ref-ABCD2345"), kind="error"))
    try:
        await service.join_by_code(ctx.uow, ctx.account.id, code)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    return Next.end(Reply(_("🎉 Welcome! When you complete your first deal or session, you and "
                            "the member who invited you each get {points} points.",
                            points=rules.EARN["referral"])))


points = OneStepCommand(
    name="points", title=N_("your loyalty points"), commands=("points",), run=_points,
    summary=N_("Loyalty points: tier, history, redeem, your referral link"),
    help=N_("Your points and tier, what earned them, your referral link; "
            "/points redeem N takes them off the commission of your next payment."))
referral = OneStepCommand(
    name="referral", title=N_("a referral code"), commands=("ref",), run=_referral,
    summary=N_("Join through a member's referral code: /ref CODE"),
    help=N_("/ref CODE (or /start ref-CODE, what a referral link opens) records who invited you."))
