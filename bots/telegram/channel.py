"""The Telegram channel: a python-telegram-bot Application in front of the conversation engine.

Every update takes one path: translate it into an `Envelope`, let the engine answer, render the
replies. Polling in development, a webhook behind the FastAPI server in production (`webhook`);
an update's answer is `answering`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, Final

from telegram import BotCommand, MenuButtonWebApp, Update, WebAppInfo
from telegram.ext import Application, ApplicationBuilder, BaseUpdateProcessor, TypeHandler

from bots.telegram import inbound, render
from bots.telegram.answering import Answering
from bots.telegram.files import TelegramFileFetcher
from bots.telegram.live import LiveChats
from bots.telegram.sender import TelegramSender
from bots.telegram.transport import AiohttpRequest
from bots.telegram.webhook import Webhook
from config.catalog_wiring import add_fetcher
from config.container import Container
from core.i18n import LANGUAGES, N_, SOURCE, Visitor, _
from core.locks import KeyedLocks
from core.money.reading import reading
from core.notifications import cards

log = logging.getLogger(__name__)

ALLOWED_UPDATES: Final = ("message", "callback_query", "inline_query")
APOLOGY: Final = N_("Sorry, something went wrong on our side. Please try again in a moment.")
MAX_CONCURRENT_UPDATES: Final = 64
# "typing…" is shown only when the answer takes longer than this: a quick answer needs none,
# and each chat action is one more call to the Bot API.
TYPING_AFTER: Final = 1.0
MENU_BUTTON: Final = "Agora"  # the menu button's label: the name, the same in every language


class PerUserProcessor(BaseUpdateProcessor):
    """Different users' updates run concurrently; one user's updates run in arrival order.

    PTB's default runs every update one after another (one slow user holds up everybody);
    `concurrent_updates(True)` could let a user's second message overtake the first while the
    first is still answering its callback query. Locks are taken in arrival order (tasks start
    in order and an asyncio.Lock is FIFO), so per user the order is kept.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks = KeyedLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers while holding its user's lock."""
        user = update.effective_user if isinstance(update, Update) else None

        async def work() -> None:
            await coroutine

        await self._locks.run(user.id if user is not None else None, work)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def mini_app_url(public_url: str) -> str | None:
    """Where the menu button opens the Mini App; None where Telegram would refuse it."""
    return public_url.rstrip("/") + "/app" if public_url.startswith("https://") else None


def file_url(api_url: str) -> str:
    """The file download base for an API base: …/bot → …/file/bot (as api.telegram.org)."""
    head, sep, tail = api_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else api_url.rstrip("/") + "/file/bot"


class TelegramChannel(Webhook, Answering):
    """The Telegram bot: polling or webhook, plus the outbox sender for Telegram chats."""

    name = "telegram"

    def __init__(self, container: Container, *, poll_timeout: int = 10) -> None:
        settings = container.settings
        if not settings.telegram_token:
            raise ValueError("AGORA_TELEGRAM_TOKEN is not set")
        self.container = container
        self._poll_timeout = poll_timeout
        self.typing_after = TYPING_AFTER
        # Updates being handled for a webhook request, with the one Bot API call its answer may
        # carry (Telegram makes it after the 200; nothing comes back, so only cosmetic calls).
        self._webhook_calls: dict[int, dict[str, Any] | None] = {}
        self.application: Application[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(settings.telegram_token)
            .base_url(settings.telegram_api_url)
            .base_file_url(file_url(settings.telegram_api_url))
            .request(AiohttpRequest())
            # The long poll on a connection of its own (as PTB's default does), over aiohttp too:
            # PTB's default client for it built a TLS context of its own, 35 ms at every start.
            .get_updates_request(AiohttpRequest(connections=1))
            .concurrent_updates(PerUserProcessor())
            .job_queue(None)
            .build()
        )
        # The chats kept current (bots.telegram.live); a notice card answered in place is taken
        # from the outbox's care, so no worker later strips the answer shown there.
        self.live = LiveChats(self.application.bot, release=self._released)
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect, publish the command menu, register the sender, then poll or set the webhook."""
        app, settings = self.application, self.container.settings
        await app.initialize()
        await self._publish_commands()
        await self._publish_menu_button()
        self.container.add_sender(self.name, TelegramSender(app.bot, self.live))
        add_fetcher(self.container.engine.services, self.name, TelegramFileFetcher(app.bot))
        await app.start()
        if settings.telegram_webhook_url:
            await app.bot.set_webhook(settings.telegram_webhook_url,
                                      secret_token=settings.telegram_webhook_secret,
                                      allowed_updates=list(ALLOWED_UPDATES))
            log.info("telegram: webhook set to %s", settings.telegram_webhook_url)
        elif app.updater is not None:
            await app.updater.start_polling(timeout=self._poll_timeout,
                                            allowed_updates=list(ALLOWED_UPDATES))
            log.info("telegram: polling for updates")

    async def stop(self) -> None:
        """Stop polling, let running updates finish, close the HTTP clients."""
        app = self.application
        self.container.remove_sender(self.name)
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def _publish_commands(self) -> None:
        """The command menu in each language Agora speaks (Telegram shows a person the one of
        their app's language, English where it has none)."""
        try:
            for language in LANGUAGES:
                with reading(Visitor(language)):
                    commands = [BotCommand(c, _(d))
                                for c, d in self.container.engine.registry.command_list()]
                await self.application.bot.set_my_commands(
                    commands, language_code=None if language == SOURCE else language)
        except Exception as exc:  # the menu is a convenience; the bot works without it
            log.warning("telegram: setMyCommands failed, the command menu may be stale: %s", exc)

    async def _publish_menu_button(self) -> None:
        """The chat's menu button opens the Mini App, where Telegram can reach it: an https
        public address (Telegram opens no other); elsewhere the button stays the command list."""
        url = mini_app_url(self.container.settings.public_url)
        if url is None:
            return
        try:
            await self.application.bot.set_chat_menu_button(
                menu_button=MenuButtonWebApp(MENU_BUTTON, WebAppInfo(url)))
        except Exception as exc:  # a convenience, as the command menu is
            log.warning("telegram: setChatMenuButton failed, the menu button may be stale: %s",
                        exc)

    # --- updates (answered in `answering`) ------------------------------------------------

    async def _on_update(self, update: Update, _context: Any) -> None:
        try:
            await self._handle(update)
        except Exception:
            log.exception("telegram update %s failed", update.update_id)
            await self._apologise(update)

    async def _released(self, chat_id: int, message_id: int) -> bool:
        return await cards.release(self.container.sessions, self.name, str(chat_id),
                                   str(message_id))

    async def _apologise(self, update: object) -> None:
        chat_id = inbound.chat_of(update) if isinstance(update, Update) else None
        if chat_id is None:
            return
        try:
            await render.send_text(self.application.bot, chat_id, _(APOLOGY))
        except Exception as exc:
            log.warning("telegram: the apology could not be sent either: %s", exc)

    async def _on_error(self, update: object, context: Any) -> None:
        """PTB's last resort: log with the update id and apologise; the bot keeps running."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("telegram update %s: unhandled error", update_id, exc_info=context.error)
        await self._apologise(update)
