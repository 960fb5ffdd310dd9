"""The Telegram channel: a python-telegram-bot Application in front of the conversation engine.

Every update takes one path: translate it into an `Envelope`, let the engine answer, render the
replies. Polling in development, a webhook behind the FastAPI server in production.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from telegram import BotCommand, CallbackQuery, MenuButtonWebApp, Message, Update, WebAppInfo
from telegram.constants import ChatAction
from telegram.ext import Application, ApplicationBuilder, BaseUpdateProcessor, TypeHandler

from bots.telegram import compose, inbound, render
from bots.telegram.files import TelegramFileFetcher
from bots.telegram.inline_search import answer_inline
from bots.telegram.live import HandOff, LiveChats, replaces, rows_of
from bots.telegram.sender import TelegramSender
from bots.telegram.transport import AiohttpRequest
from config.catalog_wiring import add_fetcher
from config.container import Container
from conversations.messages import ListPage, Outcome, Reply
from core.i18n import LANGUAGES, N_, SOURCE, Visitor, _
from core.locks import KeyedLocks
from core.money.reading import reading
from core.notifications import cards

log = logging.getLogger(__name__)

WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES: Final = ("message", "callback_query", "inline_query")
UNREADABLE: Final = N_("I can't read that kind of message here; please type or use the buttons.")
APOLOGY: Final = N_("Sorry, something went wrong on our side. Please try again in a moment.")
MAX_CONCURRENT_UPDATES: Final = 64
# "typing…" is shown only when the answer takes longer than this: a quick answer needs none,
# and each chat action is one more call to the Bot API.
TYPING_AFTER: Final = 1.0
MENU_BUTTON: Final = "Agora"  # the menu button's label: the name, the same in every language


@dataclass
class _Press:
    """A button press being answered: whether its answerCallbackQuery still waits."""

    query: CallbackQuery | None
    deferred: bool


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


class TelegramChannel:
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

    # --- webhook ---------------------------------------------------------------------------

    def router(self) -> APIRouter:
        """POST /telegram/webhook: checks Telegram's secret header, then handles the update."""
        router = APIRouter()
        router.add_api_route(WEBHOOK_PATH, self._webhook, methods=["POST"],
                             include_in_schema=False)
        return router

    async def _webhook(self, request: Request) -> JSONResponse:
        if not self._secret_ok(request.headers.get(SECRET_HEADER)):
            return JSONResponse({"ok": False, "error": "forbidden"}, status_code=403)
        if not self.application.running:  # Telegram retries later
            return JSONResponse({"ok": False, "error": "not running"}, status_code=503)
        try:
            update = Update.de_json(await request.json(), self.application.bot)
        except Exception as exc:
            log.warning("telegram webhook: unreadable update: %s", exc)
            return JSONResponse({"ok": False, "error": "bad update"}, status_code=400)
        # Answered before the 200: an update is acknowledged only once it is committed, so
        # when a worker dies mid-update Telegram gets no 2xx and delivers it again (to any
        # worker). The processor keeps one user's updates in order and caps the concurrency.
        app = self.application
        self._webhook_calls[update.update_id] = None
        try:
            await app.update_processor.process_update(update, app.process_update(update))
        finally:
            call = self._webhook_calls.pop(update.update_id, None)
        return JSONResponse(call or {"ok": True})

    def _secret_ok(self, given: str | None) -> bool:
        expected = self.container.settings.telegram_webhook_secret
        if not expected or given is None:
            return False
        return hmac.compare_digest(given.encode(), expected.encode())

    # --- updates ---------------------------------------------------------------------------

    async def _on_update(self, update: Update, _context: Any) -> None:
        try:
            await self._handle(update)
        except Exception:
            log.exception("telegram update %s failed", update.update_id)
            await self._apologise(update)

    async def _handle(self, update: Update) -> None:
        bot = self.application.bot
        if update.inline_query is not None:
            username = self._username() or self.container.settings.telegram_bot_username
            await answer_inline(self.container, update.inline_query, username)
            return
        query = update.callback_query
        # A press that came by webhook is answered in the answer to Telegram, with the reply
        # (no request of ours; the spinner shows while the step is worked out), or at once when
        # the step is slow; by polling, at once.
        press = _Press(query, deferred=query is not None and
                       update.update_id in self._webhook_calls)
        if query is not None and not press.deferred:
            await self._answer(query)
        try:
            await self._converse(update, bot, press)
        finally:
            if query is not None and press.deferred:
                await self._answer_with_webhook(update.update_id, query)

    async def _converse(self, update: Update, bot: Any, press: _Press) -> None:
        chat_id = inbound.chat_of(update)
        message = inbound.translate(update, self._username())
        if isinstance(message, inbound.Ignore) or chat_id is None:
            return
        if message is None:
            await render.send_text(bot, chat_id, _(UNREADABLE))
            return
        env = inbound.envelope(update, message)
        if env is None:
            return
        outcome = await self._typing_while_slow(chat_id, self.container.engine.handle(env),
                                                press)
        if outcome.duplicate:
            return
        await self._reply(update.update_id, press.query, chat_id, outcome, env)
        # Sent: a retry of this update (its webhook post unanswered) is not answered again.
        await self.container.engine.answered(env)

    async def _reply(self, update_id: int, query: CallbackQuery | None, chat_id: str,
                     outcome: Outcome, env: Any = None) -> None:
        """A press is answered on the message pressed when the first answer is a step to show
        (bots.telegram.live); the rest is sent. The conversation's older prompts lose their
        keyboard, and each message sent is remembered as a prompt or a card."""
        chat, replies = int(chat_id), compose.folded(list(outcome.replies))
        pressed = query.message if query is not None and isinstance(query.message, Message) \
            else None
        # A message whose keyboard went already was pressed in a race (a stale button): the
        # answer goes below, where the conversation is, not into the old message.
        in_place = pressed is not None and bool(replies) and replaces(replies[0]) and \
            not self.live.was_retired(chat, pressed.message_id)
        if in_place and compose.ends_with_menu(replies) and env is not None:
            # The ☰ Main menu button in the person's language (the turn's reading ended
            # with the engine's task).
            with reading(await self.container.engine.reader_of(env)):
                replies = compose.without_trailing_menu(replies)
        await self.live.moved_on(chat, keep=pressed.message_id if in_place and pressed else None,
                                 hand_off=self._webhook_hand_off(update_id))
        if in_place and pressed is not None and isinstance(replies[0], Reply | ListPage) \
                and await self.live.replace(pressed, replies[0]):  # always so in place (replaces)
            replies = replies[1:]
        elif query is not None:
            await self._remove_keyboard(update_id, query)
        for reply in replies:
            sent = await render.send_reply(self.application.bot, chat_id, reply)
            await self.live.shown(chat, sent, rows_of(reply))

    async def _released(self, chat_id: int, message_id: int) -> bool:
        return await cards.release(self.container.sessions, self.name, str(chat_id),
                                   str(message_id))

    async def _typing_while_slow(self, chat_id: str, work: Awaitable[Any],
                                 press: _Press | None = None) -> Any:
        """Await `work`, showing "typing…" once it has taken `typing_after` seconds (and
        answering a press still unanswered, so its spinner stops)."""
        task = asyncio.ensure_future(work)
        try:
            done, _pending = await asyncio.wait({task}, timeout=self.typing_after)
            if not done:
                if press is not None and press.query is not None and press.deferred:
                    press.deferred = False
                    await self._answer(press.query)
                await self._typing(chat_id)
            return await task
        except asyncio.CancelledError:
            task.cancel()
            raise

    async def _answer(self, query: CallbackQuery) -> None:
        """Answer the button press at once (Telegram shows a spinner until then)."""
        try:
            await query.answer()
        except Exception as exc:
            log.warning("telegram: answerCallbackQuery %s failed: %s", query.id, exc)

    async def _answer_with_webhook(self, update_id: int, query: CallbackQuery) -> None:
        """Answer a press in the answer to the webhook post, unless that carries another call."""
        if update_id in self._webhook_calls and self._webhook_calls[update_id] is None:
            self._webhook_calls[update_id] = {"method": "answerCallbackQuery",
                                              "callback_query_id": query.id}
        else:
            await self._answer(query)

    async def _remove_keyboard(self, update_id: int, query: CallbackQuery) -> None:
        """Take the keyboard off a pressed message, so its old buttons aren't tapped again; from
        a webhook, in the answer to Telegram (after the replies: it is cosmetic)."""
        message = query.message
        if not isinstance(message, Message) or message.reply_markup is None or \
                self.live.was_retired(message.chat.id, message.message_id):
            return
        hand_off = self._webhook_hand_off(update_id)
        if hand_off is not None and hand_off(message.chat.id, message.message_id):
            self.live.mark_retired(message.chat.id, message.message_id)
            return
        await self.live.take_keyboard(message.chat.id, message.message_id)

    def _webhook_hand_off(self, update_id: int) -> HandOff | None:
        """Where an update came by webhook: a keyboard's removal made by Telegram in the answer
        to its post (after the replies: it is cosmetic), while that answer carries nothing."""
        if update_id not in self._webhook_calls:
            return None

        def hand_off(chat_id: int, message_id: int) -> bool:
            if self._webhook_calls.get(update_id) is not None:
                return False
            self._webhook_calls[update_id] = {"method": "editMessageReplyMarkup",
                                              "chat_id": chat_id, "message_id": message_id}
            return True
        return hand_off

    async def _typing(self, chat_id: str) -> None:
        try:
            await self.application.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except Exception as exc:
            log.warning("telegram: typing action failed: %s", exc)

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

    def _username(self) -> str | None:
        try:
            return self.application.bot.username
        except RuntimeError:  # not initialised yet
            return None
