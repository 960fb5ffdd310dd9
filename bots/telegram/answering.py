"""A Telegram update answered: the engine's turn (with "typing…" when it is slow), the button
press answered, and the replies shown in place of the pressed message or sent below."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Final

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatAction
from telegram.ext import Application

from bots.telegram import compose, inbound, render
from bots.telegram.inline_search import answer_inline
from bots.telegram.live import HandOff, LiveChats, replaces, rows_of
from config.container import Container
from conversations.messages import ListPage, Outcome, Reply
from core.i18n import N_, _
from core.money.reading import reading

log = logging.getLogger(__name__)

UNREADABLE: Final = N_("I can't read that kind of message here; please type or use the buttons.")


@dataclass
class _Press:
    """A button press being answered: whether its answerCallbackQuery still waits."""

    query: CallbackQuery | None
    deferred: bool


class Answering:
    """The answers of `TelegramChannel` (which holds the state)."""

    container: Container
    application: Application[Any, Any, Any, Any, Any, Any]
    live: LiveChats
    typing_after: float
    _webhook_calls: dict[int, dict[str, Any] | None]

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

    def _username(self) -> str | None:
        try:
            return self.application.bot.username
        except RuntimeError:  # not initialised yet
            return None
