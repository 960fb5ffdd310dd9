"""Telegram's inline search (`@bot pellets under 250 eur near riga`), answered with listings."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from config.container import Container
from conversations.flows.market.listing_card import summary
from core.catalog import query_text
from core.catalog.listing_card import listing_card
from core.i18n import _

INLINE_LIMIT = 10


def listing_link(bot_username: str, listing_id: int) -> str:
    """A deep link that opens the listing in a private chat with the bot (/start view-<id>)."""
    return f"https://t.me/{bot_username}?start=view-{listing_id}"


async def answer_inline(container: Container, query: InlineQuery, bot_username: str) -> None:
    """Answer an inline query with the best matching published listings."""
    text = query.query.strip()[:200]
    results = []
    search, _rest = query_text.parse(text)  # one line: “pellets under 250 eur near riga 300km”
    if search.text or search.filters():
        assert container.catalog is not None  # config.container.build sets it
        async with container.uow() as uow:
            found = await container.catalog.top_listings(uow, search, INLINE_LIMIT)
            for listing, _score in found:
                line = summary(listing_card(listing))
                link = listing_link(bot_username, listing.id)
                message = _("📦 {title}\n{line}\nDetails: {link}", title=listing.title, line=line,
                            link=link)
                open_it = InlineKeyboardButton(_("Open listing"), url=link)
                results.append(InlineQueryResultArticle(
                    id=str(listing.id), title=listing.title, description=line, url=link,
                    input_message_content=InputTextMessageContent(message),
                    reply_markup=InlineKeyboardMarkup([[open_it]])))
    await query.answer(results, cache_time=30, is_personal=False)
