"""A dispute as the console shows it: the deal, the frozen terms, the quality report, the
whole thread between the parties (files included) and the questions operators asked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.deals import views as deal_views
from core.deals.cards import quality_summary
from core.deals.facts import DisputeFacts
from core.deals.tables import Dispute
from core.deals.threads import service as threads
from core.deals.threads.tables import ThreadMessage
from core.money.model import Money
from core.operators.roles import require
from core.operators.tables import AuditEntry
from core.storage.uow import UnitOfWork


@dataclass
class DisputeFile:
    dispute: DisputeFacts
    view: deal_views.DealView
    buyer: str
    seller: str
    total: Money
    messages: list[tuple[str, ThreadMessage]]  # (buyer | seller, message), oldest first
    questions: list[AuditEntry]  # what operators asked either party, oldest first
    quality: str  # the quality report in words, as the chat's desk says it


async def dispute_file(uow: UnitOfWork, operator_id: int, dispute_id: int) -> DisputeFile:
    """Everything an operator reads before deciding (operators who may see deals only)."""
    dispute, view, _ = await deal_views.dispute_view(uow, dispute_id, operator_id)
    deal = view.deal
    thread = await threads.of_listing(uow, deal.listing_id, deal.buyer_id)
    messages: list[tuple[str, ThreadMessage]] = []
    if thread is not None:
        rows = await uow.session.execute(select(ThreadMessage).where(
            ThreadMessage.thread_id == thread.id).order_by(ThreadMessage.id))
        messages = [("buyer" if m.sender_id == deal.buyer_id else "seller", m)
                    for m in rows.scalars()]
    asked = await uow.session.execute(select(AuditEntry).where(
        AuditEntry.subject == f"dispute:{dispute_id}", AuditEntry.action == "dispute-question")
        .order_by(AuditEntry.id))
    return DisputeFile(dispute, view, await deal_views.name_of(uow, deal.buyer_id),
                       await deal_views.name_of(uow, deal.seller_id), deal.payable,
                       messages, list(asked.scalars()), quality_summary(view))


async def open_disputes(uow: UnitOfWork, operator_id: int) -> list[tuple[DisputeFacts, str]]:
    """The undecided disputes, oldest first (the same queue as the chat's desk)."""
    return await deal_views.open_disputes(uow, operator_id)


async def decided_disputes(uow: UnitOfWork, operator_id: int, limit: int = 20
                           ) -> list[Dispute]:
    """The latest decided disputes."""
    await require(uow, operator_id, "view_deals")
    rows = await uow.session.execute(select(Dispute).where(Dispute.decided_at.is_not(None))
                                     .order_by(Dispute.decided_at.desc()).limit(limit))
    return list(rows.scalars())
