"""Build the payments service from settings, and declare payments' event handlers (both
called by the composition root): the payment notices, each context's money bridge
(payments.bridges), and points earned by paying."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.consulting import events as consulting
from core.consulting.inspections import events as inspections
from core.consulting.packages import events as packages
from core.consulting.sessions import events as sessions
from core.consulting.sessions.lifecycle import SESSION_PROCESS, SETTLE
from core.deals import events as deals
from core.deals.freight import events as freight
from core.events import EventBus
from core.money import events as money
from core.money.model import CommissionRule
from core.process.deals import CLOSE_UNPAID, DEAL_PROCESS, INVOICE, OPEN_ESCROW, REFUND, RELEASE
from core.process.effects import After, During
from core.storage.uow import UnitOfWork
from core.wiring import Wiring
from payments import crypto_notices, direct, issued, notices, settlement_notices, transfer_notices
from payments import loyalty as loyalty_points
from payments.bridges.bookings import BookingMoney
from payments.bridges.deals import DealPayments
from payments.bridges.deposits import DepositPayments
from payments.bridges.freight import FreightPayments
from payments.bridges.inspections import InspectionPayments
from payments.bridges.packages import PackagePayments
from payments.bridges.promotions import PromotionPayments
from payments.bridges.sessions import SessionPayments
from payments.providers.base import CryptoProvider, Provider
from payments.providers.crypto_sandbox import SandboxCrypto
from payments.providers.sandbox import SandboxProvider
from payments.service import PaymentsService


def commission_rules(settings: Any) -> dict[str, CommissionRule]:
    """Commission per market from settings; promotions (platform) pay none."""
    return {
        "bioenergy": CommissionRule(settings.commission_bioenergy_percent,
                                    settings.commission_bioenergy_minimum),
        "consulting": CommissionRule(settings.commission_consulting_percent,
                                     settings.commission_consulting_minimum),
    }


def provider_from(settings: Any) -> Provider:
    if settings.payments_provider == "stripe":
        from payments.providers.stripe import StripeProvider

        return StripeProvider(settings.stripe_secret_key, settings.public_url,
                              api_base=settings.stripe_api_base,
                              payment_methods=tuple(settings.stripe_payment_methods),
                              transfer_country=settings.stripe_bank_transfer_country)
    return SandboxProvider(settings.public_url)


def crypto_from(settings: Any) -> CryptoProvider | None:
    """The crypto provider: BTCPay Server, the sandbox's test invoices, or none."""
    if settings.crypto == "btcpay":
        from payments.providers.btcpay import BTCPayProvider

        return BTCPayProvider(settings.btcpay_url, settings.btcpay_api_key,
                              settings.btcpay_store_id, settings.public_url)
    if settings.crypto == "sandbox":
        return SandboxCrypto(settings.public_url)
    return None


def build_payments(settings: Any, uow_factory: Callable[[], UnitOfWork],
                   provider: Provider | None = None) -> PaymentsService:
    """The payments port, on the configured provider (the sandbox unless Stripe is set)."""
    issued.SITE["url"] = settings.public_url
    return PaymentsService(uow_factory, provider or provider_from(settings), commission_rules(settings),
                           direct_payment=settings.direct_payment, crypto=crypto_from(settings),
                           crypto_minutes=settings.crypto_invoice_minutes)


def build_crypto_webhooks(settings: Any, payments: PaymentsService) -> Any:
    """The BTCPay Server webhook handler, when BTCPay is the crypto provider."""
    if settings.crypto != "btcpay":
        return None
    from payments.btcpay_webhooks import BTCPayWebhooks

    return BTCPayWebhooks(settings.btcpay_webhook_secret, settings.btcpay_store_id, payments)


def build_webhooks(settings: Any, payments: PaymentsService) -> Any:
    """The Stripe webhook handler, when Stripe is the provider."""
    if settings.payments_provider != "stripe" or not settings.stripe_webhook_secret:
        return None
    from payments.webhooks import StripeWebhooks

    return StripeWebhooks(settings.stripe_webhook_secret, payments)


@dataclass(frozen=True)
class PaymentsWiring(Wiring):
    """What payments' handlers are built with besides the unit of work: the payments service."""

    payments: PaymentsService


# Payments' handlers, one function per bridge: where one event has handlers in payments and in
# another context, which runs first matters, so the composition root lists each beside the
# context whose money it moves (config.event_wiring.CONTEXTS).


def payment_notices(bus: EventBus, deps: PaymentsWiring) -> None:
    """The payer and payee hear of money, before any other handler of a money event."""
    for funded in (money.EscrowFunded, money.PaymentAuthorised, money.PromotionCharged):
        bus.during_commit(funded, notices.on_funded)
    bus.during_commit(money.PaymentDeclined, notices.on_declined)
    bus.during_commit(money.EscrowReleased, settlement_notices.on_released)
    bus.during_commit(money.PaymentSettled, settlement_notices.on_settled)
    bus.during_commit(money.PayoutSent, settlement_notices.on_paid_out)
    bus.during_commit(money.PayoutWaiting, settlement_notices.on_payout_waiting)
    bus.during_commit(money.DirectPaymentProposed, direct.on_proposed)
    bus.during_commit(money.DirectPaymentDeclined, direct.on_declined)
    bus.during_commit(money.PaymentArrangedDirectly, direct.on_arranged)
    bus.during_commit(money.LatePaymentRefunded, direct.on_late_refund)
    bus.during_commit(money.TransferShort, transfer_notices.on_short)
    bus.during_commit(money.TransferOverpaid, transfer_notices.on_overpaid)
    bus.during_commit(money.TransfersReturned, transfer_notices.on_returned)
    bus.during_commit(money.CryptoPaymentSeen, crypto_notices.on_seen)
    bus.during_commit(money.CryptoShort, crypto_notices.on_short)
    bus.during_commit(money.CryptoOverpaid, crypto_notices.on_overpaid)
    bus.during_commit(money.CryptoLate, crypto_notices.on_late)
    bus.during_commit(money.CryptoInvoiceClosed, crypto_notices.on_closed)
    bus.during_commit(money.CryptoReturnClaimable, crypto_notices.on_claimable)


def deal_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """A deal's escrow: funded or arranged directly moves the deal; the deal's moves release or
    refund it (before the deal's own handlers run)."""
    bridge = DealPayments(deps.payments)
    bus.during_commit(money.EscrowFunded, bridge.on_funded)
    bus.during_commit(money.PaymentArrangedDirectly, bridge.on_funded)
    # The deal's money effects, as its process declares them beside each transition.
    bus.during_commit(deals.DealMoved, During(DEAL_PROCESS, CLOSE_UNPAID, bridge.close_unpaid))
    for effect in (OPEN_ESCROW, INVOICE, RELEASE, REFUND):
        bus.after_commit(deals.DealMoved, After(DEAL_PROCESS, effect, bridge.after(effect)))
    bus.during_commit(money.BankTransferChosen, bridge.on_transfer_chosen)
    for back in (money.TransfersReturned, money.TransferOverpaid, money.LatePaymentRefunded,
                 money.CryptoOverpaid, money.CryptoLate):
        bus.after_commit(back, bridge.after_transfers_returned)


def session_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """A session's pre-authorisation, its extensions and recap, and its capture at the end."""
    bridge = SessionPayments(deps.payments)
    bus.during_commit(sessions.SessionCreated, bridge.on_created)
    bus.during_commit(money.PaymentAuthorised, bridge.on_authorised)
    bus.during_commit(money.PromotionCharged, bridge.on_charged)
    bus.during_commit(money.AuthorisationVoided, bridge.on_voided)
    bus.after_commit(sessions.SessionMoved, After(SESSION_PROCESS, SETTLE, bridge.after_end))
    bus.after_commit(money.PaymentAuthorised, bridge.after_authorised)
    bus.after_commit(sessions.ExtensionRequested, bridge.after_extension)
    bus.after_commit(sessions.RecapRequested, bridge.after_recap)


def promotion_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """A consultant's promotion, charged when asked for."""
    bridge = PromotionPayments(deps.payments)
    bus.after_commit(consulting.PromotionRequested, bridge.after_requested)
    bus.during_commit(money.PromotionCharged, bridge.on_charged)


def deposit_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """Tenders' and auctions' bid deposits: core decides, the money layer moves the money."""
    bridge = DepositPayments(deps.payments)
    bus.after_commit(deals.DepositAsked, bridge.after_asked)
    bus.during_commit(money.EscrowFunded, bridge.on_funded)
    bus.after_commit(deals.DepositSettled, bridge.after_settled)


def freight_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """A deal's transport: a quote accepted opens the freight's escrow, paid marks it paid,
    settled by core it is released to the haulier or refunded (payments.bridges.freight)."""
    bridge = FreightPayments(deps.payments)
    bus.after_commit(freight.FreightBooked, bridge.after_booked)
    bus.during_commit(money.EscrowFunded, bridge.on_funded)
    bus.after_commit(freight.FreightSettled, bridge.after_settled)


def inspection_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """An inspection's fee, paid as a session: booked, it is to be authorised; authorised, the
    inspector is asked; settled by core, captured or voided (payments.bridges.inspections)."""
    bridge = InspectionPayments(deps.payments)
    bus.after_commit(inspections.InspectionBooked, bridge.after_booked)
    bus.during_commit(money.PaymentAuthorised, bridge.on_authorised)
    bus.during_commit(money.AuthorisationVoided, bridge.on_voided)
    bus.after_commit(inspections.InspectionSettled, bridge.after_settled)


def booking_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """A booking's money step after its move commits: authorise, void, charge a fee."""
    bus.after_commit(consulting.BookingMoved, BookingMoney(deps.payments, deps.uow).after_moves)


def package_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """Session packages: bought, paid, drawn by bookings, each used session paid out and the
    unused ones settled at expiry (core.consulting.packages, payments.bridges.packages)."""
    bridge = PackagePayments(deps.payments)
    bus.after_commit(packages.PackageBought, bridge.after_bought)
    bus.during_commit(money.EscrowFunded, bridge.on_funded)
    bus.after_commit(packages.PackageSessionUsed, bridge.after_used)
    bus.after_commit(packages.PackageExpired, bridge.after_expired)
    bus.after_commit(packages.RetainerSubscribed, bridge.after_subscribed)
    bus.during_commit(money.MethodSaved, bridge.on_method_saved)
    bus.after_commit(packages.RetainerMonthDue, bridge.after_month_due)


def loyalty_money(bus: EventBus, deps: PaymentsWiring) -> None:
    """Points for money paid, in the transaction that paid it (after every other handler)."""
    bus.during_commit(money.EscrowFunded, loyalty_points.on_paid)
    bus.during_commit(money.PaymentAuthorised, loyalty_points.on_paid)
