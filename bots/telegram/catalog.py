"""Telegram's part of the catalogue: inline search (`@bot pellets riga`) and file downloads."""

from __future__ import annotations

from telegram import Bot, InlineQuery, InlineQueryResultArticle, InputTextMessageContent

from config.container import Container
from conversations.flows.listing_card import summary
from core.catalog.query import SearchQuery

INLINE_LIMIT = 10


class TelegramFileFetcher:
    """Downloads what users send (getFile, then the file URL) for the listing's media."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, file_id: str) -> bytes:
        file = await self.bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())


async def answer_inline(container: Container, query: InlineQuery, bot_username: str) -> None:
    """Answer an inline query with the best matching published listings."""
    text = query.query.strip()[:120]
    results = []
    if text:
        async with container.uow() as uow:
            found = await container.catalog.top_listings(uow, SearchQuery(text=text), INLINE_LIMIT)
            for listing, _ in found:
                line = summary(listing)
                message = (f"📦 {listing.title}\n{line}\n"
                           f"Details: open @{bot_username} and send /view {listing.id}")
                results.append(InlineQueryResultArticle(
                    id=str(listing.id), title=listing.title, description=line,
                    input_message_content=InputTextMessageContent(message)))
    await query.answer(results, cache_time=30, is_personal=False)
