"""Webhooks' event handlers: the domain events a company's endpoints may take are queued in
their own transaction (core.webhooks.queue), after every other context's handlers of them. A
tender's or auction's award is heard as its deal being agreed (`request.awarded` with the bid):
a close with no winner tells a company nothing, and an award moving to the next bid later is
heard the same way."""

from __future__ import annotations

from core.deals.events import ContractMoved, DealAgreed, DealMoved, OfferMade
from core.events import EventBus
from core.money.events import DocumentIssued
from core.webhooks import payloads
from core.webhooks.queue import handler
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Each event's webhook facts, queued in the transaction that emitted it."""
    bus.during_commit(DealAgreed, handler(payloads.deal_agreed))
    bus.during_commit(DealMoved, handler(payloads.deal_moved))
    bus.during_commit(OfferMade, handler(payloads.offer_made))
    bus.during_commit(DocumentIssued, handler(payloads.document_issued))
    bus.during_commit(ContractMoved, handler(payloads.contract_moved))
