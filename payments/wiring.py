"""Build the payments service from settings (called by the composition root)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.money.model import CommissionRule
from core.storage.uow import UnitOfWork
from payments import invoices
from payments.providers.base import Provider
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


def build_payments(settings: Any, uow_factory: Callable[[], UnitOfWork],
                   provider: Provider | None = None) -> PaymentsService:
    """The payments port, on the configured provider (the sandbox unless Stripe is set)."""
    invoices.SITE["url"] = settings.public_url
    return PaymentsService(uow_factory, provider or provider_from(settings), commission_rules(settings),
                           direct_payment=settings.direct_payment)


def build_webhooks(settings: Any, payments: PaymentsService) -> Any:
    """The Stripe webhook handler, when Stripe is the provider."""
    if settings.payments_provider != "stripe" or not settings.stripe_webhook_secret:
        return None
    from payments.webhooks import StripeWebhooks

    return StripeWebhooks(settings.stripe_webhook_secret, payments)
