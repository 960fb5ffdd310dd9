"""What the buttons of company accounts point a person to (`CompanyIntent`).

The company card ("" or "members"), an admin's answer to a colleague who asked to join
("admit:account" / "refuse:account"); a held purchase ("id", or "approve:id", "reject:id",
"cancel:id").

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class CompanyIntent:
    """The intents of company accounts."""

    COMPANY = Intent("company")
    PURCHASE_REQUEST = Intent("purchase_request", about="purchase")
