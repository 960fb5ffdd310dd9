"""Money flows: /wallet, receipts, paying or saving a card for later (a test-card prompt in
sandbox mode; the other ways a deal is paid: transfer, crypto, directly), payout set-up,
arranging payment directly."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next, OneStepCommand
from conversations.flows.money.crypto import CRYPTO_LABEL
from conversations.messages import Button, Choice, FileReply, Inbound, Outbound, Reply, Text, go
from core.deals import accepted, on_terms
from core.errors import Conflict, DomainError, NotFound
from core.i18n import N_, _, dates
from core.ids import parse_id
from core.money.intents import MoneyIntent
from core.money.model import Money, described, saving_terms
from core.payments_port import (
    EscrowState,
    EscrowView,
    PaymentsPort,
    SavedMethodState,
    SavedMethodView,
    Wallet,
)


class Paying(FlowState):
    """What paying (or saving a card) keeps: the payment or card request, its words, the other
    ways to pay offered."""

    escrow: int  # the payment (an escrow's id)
    saving: int | None = None  # a card request's id, when saving a card instead of paying
    text: str = ""  # what the payment (or the card) is for, as first said
    direct: bool = False  # arranging payment directly is offered
    transfer: bool = False  # a bank transfer is offered
    crypto: bool = False  # paying in crypto is offered
    takes: list[str] = []  # the ways the payee takes (core.deals.accepted; empty: every one)


def _payments(ctx: Ctx) -> PaymentsPort:
    payments = ctx.services.payments
    assert payments is not None  # money flows run only where a payments service is wired
    return payments


def _amounts(values: list[Money]) -> str:
    return " + ".join(str(v) for v in values) or "—"


def wallet_text(wallet: Wallet) -> str:
    """The wallet as plain text (Telegram, terminal, Slack App Home alike)."""
    lines = [_("💼 Your wallet"),
             _("Held for your purchases: {amounts}", amounts=_amounts(wallet.held)),
             _("Incoming (in escrow for you): {amounts}", amounts=_amounts(wallet.incoming)),
             _("Waiting for payout: {amounts}", amounts=_amounts(wallet.pending)),
             _("Paid out: {amounts}", amounts=_amounts(wallet.paid_out)), "", _("Recent movements:")]
    for move in wallet.movements:
        sign = "+" if move.amount.amount > 0 else "−"
        lines.append(f"  {dates.day(move.when)}  {sign}{Money(abs(move.amount.amount), move.amount.currency)}"
                     f"  {move.text}")
    if not wallet.movements:
        lines.append("  " + _("none yet"))
    if not wallet.payouts_ready:
        lines.append("\n" + _("Payouts are not set up yet: /payouts"))
    return "\n".join(lines)


async def wallet_section(ctx: Ctx) -> str:
    """The wallet for a home screen."""
    assert ctx.account is not None
    return wallet_text(await _payments(ctx).wallet(ctx.account.id, ctx.uow))


async def _wallet(ctx: Ctx) -> Next:
    assert ctx.account is not None
    wallet = await _payments(ctx).wallet(ctx.account.id, ctx.uow)
    buttons = () if wallet.payouts_ready else ((Button(_("Set up payouts"), go("payouts")),),)
    return Next.end(Reply(wallet_text(wallet), buttons), menu=False)


async def _invoice(ctx: Ctx) -> Next:
    assert ctx.account is not None
    number = FlowState.of(ctx).args.strip()
    if not number:
        return Next.end(Reply(_("Which receipt? Use the button on a payment message."), kind="error"))
    try:
        number, pdf = await _payments(ctx).invoice_for(number, ctx.account.id, ctx.uow)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    return Next.end(FileReply(f"agora-{number}.pdf", pdf, "application/pdf",
                                _("Receipt {number}", number=number)),
                    menu=False)


async def _payouts(ctx: Ctx) -> Next:
    assert ctx.account is not None
    link = await _payments(ctx).onboarding_link(ctx.account.id, ctx.uow)
    if link is None:
        return Next.end(Reply(_("In test mode payouts need no set-up: money released to you "
                                "shows in /wallet as paid out.")), menu=False)
    return Next.end(Reply(_("To be paid, set up payouts with Stripe (a few minutes, once):\n"
                            "{link}\nWe tell you here when it is done; waiting payouts then "
                            "leave at once.", link=link)), menu=False)


SAVE_TEXT = N_("💳 Save a card for {what}. Nothing is charged now; the session's maximum is "
               "authorised on it 24 h before.")
TEST_CARDS = N_("4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined")
SAVE_CARDS = N_("4242 4242 4242 4242 is saved and authorised later; 4000 0000 0000 0341 is saved "
                "but declined when it is authorised (as Stripe's test card does)")


async def _pay_start(ctx: Ctx) -> Next | None:
    assert ctx.account is not None
    state = Paying.of(ctx)
    arg = state.args
    if arg.startswith("save:"):
        return await _save_start(ctx, arg.removeprefix("save:"))
    try:
        view = await _payments(ctx).payable(parse_id(arg) or 0, ctx.account.id,
                                            ctx.uow)
    except NotFound:
        return Next.end(Reply(_("There is no such payment."), kind="error"))
    except Conflict as exc:
        return Next.end(Reply(str(exc)))
    state.escrow, state.text = view.id, _pay_text(ctx, view)
    takes = await accepted.of_account(ctx.uow, view.payee_id) if view.kind == "goods" \
        else accepted.Accepts()
    state.takes = list(takes.methods)
    state.direct = await _direct_offer(ctx, view) and "direct" in accepted.offer_methods(takes)
    state.transfer = _transfer_offer(ctx, view) and bool(accepted.escrow_ways(takes, ("transfer",)))
    state.crypto = _crypto_offer(ctx, view) and bool(accepted.escrow_ways(takes, ("crypto",)))
    if _payments(ctx).test_mode and not ctx.env.opens_links:
        return None  # no browser at hand: ask for a test card right here
    pay = ((Button(_("💳 Pay {amount}", amount=view.amount), "", url=view.pay_url),),) \
        if view.pay_url else ()
    buttons = pay + _direct_button(ctx)
    if not buttons:  # no pay page (no card the seller takes) and no other way here: say why
        try:
            accepted.check_way(takes, "card")
        except DomainError as exc:
            return Next.end(Reply(state.text + "\n" + str(exc)), menu=False)
    return Next.end(Reply(state.text, buttons), menu=False)


def _transfer_offer(ctx: Ctx, view: EscrowView) -> bool:
    """Offer a bank transfer for goods awaiting payment, where the provider takes transfers."""
    return (_payments(ctx).takes_transfers and view.kind == "goods"
            and view.state == EscrowState.AWAITING_PAYMENT)


def _crypto_offer(ctx: Ctx, view: EscrowView) -> bool:
    """Offer paying in crypto for goods awaiting payment, where a crypto provider is set."""
    return (_payments(ctx).takes_crypto and view.kind == "goods"
            and view.state == EscrowState.AWAITING_PAYMENT)


async def _save_start(ctx: Ctx, arg: str) -> Next | None:
    """Save a card now for a session's authorisation 24 h before it."""
    assert ctx.account is not None
    try:
        view = await _payments(ctx).savable(parse_id(arg) or 0, ctx.account.id, ctx.uow)
    except NotFound:
        return Next.end(Reply(_("There is no such card request."), kind="error"))
    except DomainError as exc:
        return Next.end(Reply(str(exc)))
    state = Paying.of(ctx)
    state.saving, state.text = view.id, _save_text(ctx, view)
    if _payments(ctx).test_mode and not ctx.env.opens_links:
        return None  # no browser at hand: ask for a test card right here
    return Next.end(Reply(state.text + "\n" + _("Save it here: {url}", url=view.save_url)),
                    menu=False)


def _save_text(ctx: Ctx, view: SavedMethodView) -> str:
    text = (_(SAVE_TEXT, what=described(view.reference)) if view.reference.startswith("booking:")
            else _("💳 Save a card for {what}.", what=described(view.reference)) + " "
            + saving_terms(view.reference))
    if _payments(ctx).test_mode:
        text += "\n" + _("TEST MODE — no real money moves.")
    return text


async def _direct_offer(ctx: Ctx, view: EscrowView) -> bool:
    """Offer paying directly for goods awaiting payment, unless the payer already proposed it
    or the goods are paid on terms (against Agora's invoice); never a transport's freight."""
    return (_payments(ctx).direct_allowed and view.kind == "goods"
            and not view.reference.startswith("freight:")  # a freight is held in escrow
            and view.state == EscrowState.AWAITING_PAYMENT and not view.direct_payer
            and not await on_terms.paid_on_terms(ctx.uow, view.reference))


def _direct_button(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    """The other ways to pay than the card: a bank transfer, crypto, arranging it directly."""
    ways: list[tuple[Button, ...]] = []
    state = Paying.of(ctx)
    if state.transfer:
        ways.append((Button(_("🏦 Pay by bank transfer"), go("transfer", state.escrow)),))
    if state.crypto:
        ways.append((Button(_(CRYPTO_LABEL), go("crypto", state.escrow)),))
    if state.direct:
        ways.append((Button(_("🤝 Arrange payment directly"), go("direct", "yes", state.escrow)),))
    return tuple(ways)


def _pay_text(ctx: Ctx, view: EscrowView) -> str:
    amount, fee = view.amount, view.commission
    text = _("💳 Payment of {amount} for {what}.", amount=amount, what=described(view.reference))
    if fee.amount and view.kind != "charge":
        text += " " + _("The payee receives {net} after the {fee} platform commission.",
                        net=amount - fee, fee=fee)
    if view.direct_payer:
        text += "\n" + _("You proposed arranging payment directly; until the seller agrees you can pay here.")
    if _payments(ctx).test_mode:
        text += "\n" + _("TEST MODE — no real money moves.")
    return text


async def _card_prompt(ctx: Ctx) -> list[Outbound]:
    state = Paying.of(ctx)
    if state.saving:
        return [Reply(state.text + "\n"
                      + _("Type a test card number to save: {cards}.", cards=_(SAVE_CARDS)))]
    return [Reply(state.text + "\n"
                  + _("Type a test card number: {cards}.", cards=_(TEST_CARDS)), _direct_button(ctx))]


async def _card(ctx: Ctx, msg: Inbound) -> Next:
    if isinstance(msg, Choice) or not isinstance(msg, Text):
        return Next.stay(Reply(_("Type the card number."), kind="error"))
    state = Paying.of(ctx)
    if state.saving:
        return await _save_card(ctx, state.saving, msg.text)
    try:
        accepted.check_way(accepted.Accepts(methods=tuple(state.takes)), "card")
        view = await _payments(ctx).pay_with_test_card(state.escrow, msg.text,
                                                         ctx.uow)
    except DomainError as exc:
        return Next.stay(Reply(f"❌ {exc}", kind="error"))
    if view.kind == "session":
        return Next.end(Reply(_("✅ Authorised {amount}: nothing is charged until the "
                                "session, and nothing at all if it ends in the free minutes.",
                                amount=view.amount)))
    return Next.end(Reply(_("✅ Paid {amount}: the payment is {state}.", amount=view.amount,
                            state=view.state)))


async def _save_card(ctx: Ctx, saving: int, number: str) -> Next:
    try:
        saved = await _payments(ctx).save_with_test_card(saving, number, ctx.uow)
    except DomainError as exc:
        return Next.stay(Reply(f"❌ {exc}", kind="error"))
    if saved.state != SavedMethodState.SAVED:
        return Next.end(Reply(_("A card was already saved for this session.")))
    if not saved.reference.startswith("booking:"):
        return Next.end(Reply(_("Card •••• {last4} saved.", last4=saved.last4) + " "
                              + saving_terms(saved.reference)))
    return Next.end(Reply(_("✅ Card •••• {last4} saved. Nothing is charged now; the "
                            "session's maximum is authorised on it 24 h before, and you are told "
                            "when it is.", last4=saved.last4)))


async def _direct(ctx: Ctx) -> Next:
    """`@go:direct:yes:ID` chooses paying directly (payer or payee); `@go:direct:no:ID` keeps escrow."""
    assert ctx.account is not None
    # From a button "yes:12"; typed (e.g. by someone notified by email) "/direct yes 12".
    answer, __, escrow = FlowState.of(ctx).args.replace(" ", ":", 1).partition(":")
    if answer not in ("yes", "no"):
        return Next.end(Reply(_("Use /direct yes PAYMENT or /direct no PAYMENT."), kind="error"))
    escrow_id = parse_id(escrow)
    if escrow_id is None:
        return Next.end(Reply(_("There is no such payment."), kind="error"))
    try:
        if answer == "no":
            view = await _payments(ctx).decline_direct(escrow_id, ctx.account.id, ctx.uow)
            return Next.end(Reply(_("🔒 Escrow kept for {what}: payment goes through Agora as usual.",
                                    what=described(view.reference))), menu=False)
        view = await _payments(ctx).choose_direct(escrow_id, ctx.account.id, ctx.uow)
    except DomainError as exc:
        return Next.end(Reply(str(exc), kind="error"))
    return Next.end(_direct_reply(ctx, view), menu=False)


def _direct_reply(ctx: Ctx, view: EscrowView) -> Reply:
    if view.direct:
        return Reply(_("🤝 Agreed: you pay each other directly for {what}. Agora holds "
                       "nothing and charges no commission; escrow and buyer protection do not apply.",
                       what=described(view.reference)))
    if ctx.account is not None and ctx.account.id == view.payer_id:
        return Reply(_("🤝 We asked the seller to agree to arrange payment for {what} "
                       "directly. Until they do, you can still pay through Agora.",
                       what=described(view.reference)),
                     ((Button(_("💳 Pay through Agora"), go("pay", view.id)),),))
    return Reply(_("🤝 We asked the buyer to agree to arrange payment for {what} directly.",
                   what=described(view.reference)))


wallet = OneStepCommand(
    name="wallet", title=N_("your wallet"), commands=("wallet",), run=_wallet,
    summary=N_("Your money: held, incoming, paid out"),
    menu=(MenuEntry(N_("💼 Wallet"), ("member",), 911, row="me"),),
    help=N_("Your money: held, incoming, waiting for payout, paid out, recent movements."))
invoice = OneStepCommand(
    name="invoice", title=N_("a receipt"), commands=("receipt", "invoice"), run=_invoice,
    summary=N_("A receipt as a PDF: /receipt NUMBER"), intents={MoneyIntent.RECEIPT: "{arg}"},
    help=N_("/receipt NUMBER (or /invoice NUMBER) sends that receipt as a PDF."))
payouts = OneStepCommand(
    name="payouts", title=N_("payout set-up"), commands=("payouts",), run=_payouts,
    summary=N_("Set up where you are paid"), intents={MoneyIntent.SET_UP_PAYOUTS: ""},
    help=N_("Set up where you are paid (Stripe Connect)."))
pay = Flow(name="pay", state_model=Paying, title=N_("a payment"), first="card",
           help=N_("Pay for a deal or a session, or save a card for a session booked far ahead."),
           intents={MoneyIntent.PAY: "{arg}", MoneyIntent.SAVE_CARD: "save:{arg}"},
           states={"card": Ask(prompt=_card_prompt, on=_card)}, on_start=_pay_start)
direct = OneStepCommand(
    name="direct", title=N_("arranging payment directly"), commands=("direct",), run=_direct,
    summary=N_("Pay each other directly or keep escrow: /direct yes|no PAYMENT"),
    intents={MoneyIntent.PAY_DIRECTLY: "yes:{arg}", MoneyIntent.KEEP_ESCROW: "no:{arg}"},
    help=N_("/direct yes|no PAYMENT: agree to pay each other directly, or keep the escrow."))
