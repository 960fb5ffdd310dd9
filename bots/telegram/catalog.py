"""Telegram's part of the catalogue: inline search (`@bot pellets riga`) and file downloads."""

from __future__ import annotations

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from config.container import Container
from conversations.flows.listing_card import summary
from core.catalog import query_text

INLINE_LIMIT = 10


class TelegramFileFetcher:
    """Downloads what users send (getFile, then the file URL) for the listing's media."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, file_id: str) -> bytes:
        file = await self.bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())


def listing_link(bot_username: str, listing_id: int) -> str:
    """A deep link that opens the listing in a private chat with the bot (/start view-<id>)."""
    return f"https://t.me/{bot_username}?start=view-{listing_id}"


async def answer_inline(container: Container, query: InlineQuery, bot_username: str) -> None:
    """Answer an inline query with the best matching published listings."""
    text = query.query.strip()[:200]
    results = []
    search, _ = query_text.parse(text)  # one line: “pellets under 250 eur near riga 300km”
    if search.text or search.filters():
        async with container.uow() as uow:
            found = await container.catalog.top_listings(uow, search, INLINE_LIMIT)
            for listing, _ in found:
                line = summary(listing)
                link = listing_link(bot_username, listing.id)
                message = f"📦 {listing.title}\n{line}\nDetails: {link}"
                open_it = InlineKeyboardButton("Open listing", url=link)
                results.append(InlineQueryResultArticle(
                    id=str(listing.id), title=listing.title, description=line, url=link,
                    input_message_content=InputTextMessageContent(message),
                    reply_markup=InlineKeyboardMarkup([[open_it]])))
    await query.answer(results, cache_time=30, is_personal=False)
