"""Paying a deal in crypto in chat: a link to the invoice (BTCPay Server's checkout page, or in
test mode the sandbox's test invoice, where a test payment is "sent"), for what is missing."""

from __future__ import annotations

from conversations.flow import Ctx, FlowState, Next, OneStepCommand
from conversations.flows.money.refusals import or_refusal
from conversations.messages import Button, Reply
from core.clock import local_time
from core.i18n import N_, _
from core.ids import parse_id
from core.money.intents import MoneyIntent
from core.money.model import described
from core.payments_port import CryptoView

CRYPTO_LABEL = N_("🪙 Crypto (USDC, BTC…)")


def invoice_text(ctx: Ctx, view: CryptoView) -> str:
    """The invoice as the payer reads it: what, how much, until when, what arrived so far."""
    zone = ctx.account.timezone if ctx.account else None
    lines = [_("🪙 Pay {amount} for {what} in crypto.", amount=view.missing,
               what=described(view.reference)),
             _("Open the invoice, choose the coin and pay the amount it shows; it is priced in "
               "{currency} at the rate of the moment and takes payments until {deadline}.",
               currency=view.missing.currency, deadline=local_time(view.expires_at, zone))]
    if view.received.amount:
        lines.append(_("Received so far: {received} of {amount}.", received=view.received,
                       amount=view.amount))
    lines.append(_("You are told here when it arrives; the money is then held in escrow until "
                   "delivery is confirmed."))
    if view.test_mode:
        lines.append(_("TEST MODE — no real money moves: on the invoice's page you send a test "
                       "payment of any amount."))
    return "\n".join(lines)


async def _crypto(ctx: Ctx) -> Next:
    assert ctx.account is not None
    payments = ctx.services.payments
    assert payments is not None  # crypto is offered only where payments are wired
    escrow_id = parse_id(FlowState.of(ctx).args) or 0
    view, refused = await or_refusal(payments.crypto_invoice(escrow_id, ctx.account.id, ctx.uow))
    if refused is not None:
        return refused
    if view is None:
        return Next.end(Reply(_("This payment cannot be made in crypto."), kind="error"))
    button = Button(_("🪙 Open the crypto invoice"), "", url=view.url)
    return Next.end(Reply(invoice_text(ctx, view), ((button,),)), menu=False)


crypto = OneStepCommand(
    name="crypto", title=N_("a crypto payment"), run=_crypto,
    intents={MoneyIntent.PAY_BY_CRYPTO: "{arg}"},
    help=N_("Pay for a deal in crypto (USDC, BTC…): a link to an invoice priced in the deal's "
                "currency."))
