"""Slack's outbox sender: notifications as Block Kit messages, files uploaded into the DM."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack import blocks
from bots.slack.live import LiveMessages, Shown, without_buttons
from conversations.messages import FileReply, file_reply, notification_reply
from core.notifications import cards
from core.notifications.cards import RetryLater
from core.notifications.delivery import Attachment

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

CHANNEL = "slack"


class SlackSender:
    """Delivers outbox payloads ({"text", "buttons"}) as Block Kit messages; errors propagate,
    and a 429 (Retry-After) asks the dispatcher to pause the DM. chat.postMessage takes no
    idempotency key: a crash between Slack accepting and the row marked sent can repeat it."""

    def __init__(self, client: AsyncWebClient, live: LiveMessages | None = None) -> None:
        self.client = client
        self.live = live  # the DMs' cards this process showed (bots.slack.live)

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> str | None:
        """The message with its buttons, then each file uploaded into the same DM; returns
        where the message is ("channel ts"), for its buttons to be taken away later."""
        text, message_blocks = blocks.message(notification_reply(payload))
        try:
            sent = await self.client.chat_postMessage(channel=address, text=text,
                                                      blocks=message_blocks)
            for file in files:
                await upload(self.client, address, file_reply(file))
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                raise RetryLater(_retry_after(exc), "Slack: ratelimited") from exc
            raise
        if not sent.get("ts"):
            return None
        if self.live is not None:  # a card: this process's older answers of its objects retire
            about = frozenset(cards.about(payload))  # (older notices: the outbox's, once)
            await self.live.posted(address, Shown(str(sent.get("channel")), str(sent["ts"]), text,
                                                  message_blocks), about, notice=bool(about),
                                   retires_notices=False)
        return f"{sent.get('channel')} {sent.get('ts')}"

    async def retire(self, address: str, ref: str, payload: dict[str, Any]) -> None:
        """A newer card of the same object was posted: this one loses its buttons and keeps
        the words it shows now — an answer shown in its place (`OutboxCards.reshown`), else
        the notice's own."""
        channel, _, ts = ref.partition(" ")
        shown = payload.get("shown")
        known = self.live.showing(ts) if self.live is not None else None  # (a press just now)
        if isinstance(shown, dict) and isinstance(shown.get("blocks"), list):
            text, message_blocks = str(shown.get("text") or ""), without_buttons(shown["blocks"])
        elif known is not None:
            text, message_blocks = known.text, without_buttons(known.blocks)
        else:
            text, message_blocks = blocks.message(replace(notification_reply(payload), buttons=()))
        await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=message_blocks)
        if self.live is not None:
            self.live.forget(ts)
            self.live.remember(Shown(channel, ts, text, message_blocks))

    async def rewrite(self, address: str, ref: str, was: dict[str, Any],
                      now: dict[str, Any]) -> None:
        """The card's object changed: its words and buttons become `now`."""
        channel, _, ts = ref.partition(" ")
        text, message_blocks = blocks.message(notification_reply(now))
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=message_blocks)
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                raise RetryLater(_retry_after(exc), "Slack: ratelimited") from exc
            raise
        if self.live is not None:  # what it shows now, for its retirement; it retires no
            self.live.remember(Shown(channel, ts, text, message_blocks))  # newer card


class OutboxCards:
    """The outbox's cards as the DM's live messages see them (core.notifications.cards)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def release(self, address: str, ref: str) -> bool:
        """Take the card at `ref` from the outbox, to retire it here."""
        return await cards.release(self.sessions, CHANNEL, address, ref)

    async def reshown(self, address: str, ref: str, shown: Shown, keys: frozenset[str]) -> bool:
        """The card at `ref` shows an answer now: the outbox retires that, not the notice."""
        return await cards.reshown(self.sessions, CHANNEL, address, ref,
                                   {"text": shown.text, "blocks": shown.blocks}, set(keys))


async def upload(client: AsyncWebClient, user_id: str, reply: FileReply) -> None:
    """A file into the user's DM (files.getUploadURLExternal + completeUploadExternal)."""
    opened = await client.conversations_open(users=user_id)
    await client.files_upload_v2(channel=opened["channel"]["id"], content=reply.content,
                                 filename=reply.file_name, title=reply.file_name,
                                 initial_comment=reply.caption or None)


def _retry_after(refused: SlackApiError) -> float:
    """The seconds Slack's 429 asks to wait (its Retry-After header; a second without one)."""
    headers = refused.response.headers
    return float(headers.get("Retry-After") or headers.get("retry-after") or 1)
