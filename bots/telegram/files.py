"""Files Telegram users send: fetched with getFile for the listing's media."""

from __future__ import annotations

from telegram import Bot


class TelegramFileFetcher:
    """Downloads what users send (getFile, then the file URL) for the listing's media."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, file_id: str) -> bytes:
        file = await self.bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())
