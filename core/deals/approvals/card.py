"""The words of a held purchase's approval card, for the chat that opens it: built here from
the request's row (core.deals.approvals.notices writes the card), so the purchase flow reads
text and a `RequestView`, never the row."""

from __future__ import annotations

from core.deals.approvals.notices import card_text
from core.deals.approvals.service import Books, request_row


async def card_text_of(uow: Books, request_id: int, actor_id: int | None) -> str:
    """The approval card's words for a held purchase the actor may see (NotFound otherwise)."""
    return await card_text(uow, await request_row(uow, request_id, actor_id))
