"""Paying a deal by bank transfer in chat: the account, amount and reference to send it with,
and, in test mode, a transfer "sent" right here (any amount: too little, exact, or too much)."""

from __future__ import annotations

import secrets
from decimal import Decimal

from stdnum import iban as iban_numbers

from conversations.fields import FieldError
from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.flows.money.refusals import or_refusal
from conversations.messages import Button, Choice, Inbound, Outbound, Reply, Text
from conversations.number_and_date_fields import DecimalField
from core.clock import local_time
from core.errors import DomainError
from core.i18n import N_, _
from core.ids import parse_id
from core.money.intents import MoneyIntent
from core.money.model import Money, described, exponent
from core.payments_port import TransferView


class Transferring(FlowState):
    """What a test bank transfer keeps: the payment, what it is for, and what is missing."""

    escrow: int
    text: str = ""
    currency: str
    missing: str  # the amount still due, in minor units, as digits


def details_text(ctx: Ctx, view: TransferView, what: str) -> str:
    """The transfer's details, one per line, as a payer copies them into their bank."""
    lines = [_("🏦 Pay {amount} for {what} by bank transfer", amount=view.missing, what=what),
             _("Account holder: {holder}", holder=view.holder),
             _("IBAN: {iban}", iban=iban_numbers.format(view.iban)),
             _("BIC: {bic}", bic=view.bic),
             _("Reference: {reference} — write it exactly so, or the payment cannot be matched.",
               reference=view.bank_reference)]
    if view.received.amount:
        lines.append(_("Received so far: {received} of {amount}.", received=view.received,
                       amount=view.amount))
    if view.arrive_by is not None:
        zone = ctx.account.timezone if ctx.account else None
        lines.append(_("The transfer must arrive by {deadline}; SEPA transfers usually arrive "
                       "the next business day.", deadline=local_time(view.arrive_by, zone)))
    return "\n".join(lines)


async def _start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    escrow_id = parse_id(Transferring.of(ctx).args) or 0
    payments = ctx.services.payments
    assert payments is not None  # transfers are offered only where payments are wired
    view, refused = await or_refusal(payments.transfer_details(escrow_id, ctx.account.id,
                                                               ctx.uow))
    if refused is not None:
        return refused
    if view is None:
        return Next.end(Reply(_("This payment cannot be made by bank transfer."), kind="error"))
    text = details_text(ctx, view, described(view.reference))
    if not view.test_mode:
        return Next.end(Reply(text), menu=False)
    state = Transferring.of(ctx)
    state.escrow, state.text, state.currency = escrow_id, text, view.missing.currency
    state.missing = str(view.missing.amount)
    return None  # test mode: ask for a transfer to "send"


def _missing(ctx: Ctx) -> Money:
    state = Transferring.of(ctx)
    return Money(int(state.missing), state.currency)


async def _prompt(ctx: Ctx) -> list[Outbound]:
    missing = _missing(ctx)
    return [Reply(Transferring.of(ctx).text + "\n\n" + _(
        "TEST MODE — no real money moves. Send a test transfer: type its amount (try less or "
        "more than due), or press the button."),
        ((Button(_("🏦 Send {amount}", amount=missing), "all"),),))]


async def _on_amount(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None and ctx.services.payments is not None
    currency = Transferring.of(ctx).currency
    if isinstance(msg, Choice) and msg.data == "all":
        amount = _missing(ctx)
    elif isinstance(msg, Text):
        field = DecimalField("amount", N_("The amount"), minimum=Decimal("0.01"),
                             places=exponent(currency))
        try:
            amount = Money.parse(Decimal(field.parse_raw(msg.text)), currency)
        except FieldError as exc:
            return Next.stay(Reply(str(exc), kind="error"))
    else:
        return Next.stay(Reply(_("Type the amount of the transfer."), kind="error"))
    try:
        outcome = await ctx.services.payments.send_test_transfer(
            Transferring.of(ctx).escrow, ctx.account.id, amount, f"test-{secrets.token_hex(8)}",
            ctx.uow)
    except DomainError as exc:
        return Next.stay(Reply(f"❌ {exc}", kind="error"))
    # What it did (the rest asked for, the payment held, the extra returned) comes next, as the
    # notice a real transfer brings: said once, not twice.
    return Next.end(Reply(_("🏦 Test transfer of {amount} sent.", amount=outcome.received)),
                    menu=False)


transfer = Flow(name="transfer", title=N_("a bank transfer"), first="amount",
    state_model=Transferring,
                help=N_("Pay for a deal by bank transfer: the account, amount and reference."),
                intents={MoneyIntent.PAY_BY_TRANSFER: "{arg}"},
                states={"amount": Ask(prompt=_prompt, on=_on_amount)}, on_start=_start)
