"""What the buttons about a company's webhooks point a person to (`WebhookIntent`): the
endpoints (""), one endpoint's deliveries ("endpoint:ID")."""

from __future__ import annotations

from core.actions import Intent


class WebhookIntent:
    """A company's webhooks: its endpoints and their deliveries."""

    WEBHOOKS = Intent("webhooks")
