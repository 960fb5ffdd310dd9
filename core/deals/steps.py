"""What a party may do with a deal now: the deal process's steps from the deal's state for the
party's role (core.process.deals), less those the deal's facts rule out (a rating already given,
no invoice due). The buttons of a deal's notices and card, the dashboard's next step and the
guards of the steps that keep the state all ask here, so they cannot disagree."""

from __future__ import annotations

from core.deals.facts import DealFacts
from core.deals.tables import Deal
from core.process.deals import DEAL_PROCESS, DealState
from core.process.model import Transition

# Steps shown below a card's next steps (the rarer ones), never as a dashboard's next step.
MORE = ("change-terms", "update-shipment", "dispute", "cancel-deal")


def invoice_due(deal: Deal | DealFacts) -> bool:
    """A deal paid on terms whose invoice went out and is not paid (nor cancelled)."""
    return deal.payment_due_on is not None and deal.terms_paid_at is None \
        and deal.status not in (DealState.CANCELLED, DealState.REFUNDED)


def possible_now(deal: Deal | DealFacts, role: str, rated: bool = False) -> list[Transition]:
    """The labelled steps `role` may take now, in the order the process declares them."""
    return [step for step in DEAL_PROCESS.next_actions(deal.status, role)
            if _facts_allow(step.name, deal, rated)]


def _facts_allow(name: str, deal: Deal | DealFacts, rated: bool) -> bool:
    if name == "pay-invoice":
        return invoice_due(deal)
    if name == "rate":
        return not rated
    return True
