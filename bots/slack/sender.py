"""Slack's outbox sender: notifications as Block Kit messages, files uploaded into the DM."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack import blocks
from bots.slack.live import LiveMessages, Shown
from conversations.messages import FileReply, file_reply, notification_reply
from core.notifications import cards
from core.notifications.dispatcher import Attachment, RetryLater


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
                wait = exc.response.headers.get("Retry-After") or exc.response.headers.get(
                    "retry-after") or 1
                raise RetryLater(float(wait), "Slack: ratelimited") from exc
            raise
        if not sent.get("ts"):
            return None
        if self.live is not None:  # a card: this process's older cards of its objects retire
            await self.live.posted(address, Shown(str(sent.get("channel")), str(sent["ts"]), text,
                                                  message_blocks), frozenset(cards.about(payload)))
        return f"{sent.get('channel')} {sent.get('ts')}"

    async def retire(self, address: str, ref: str, payload: dict[str, Any]) -> None:
        """A newer card of the same object was posted: this one keeps its words, loses its
        buttons."""
        channel, _, ts = ref.partition(" ")
        if self.live is not None:
            self.live.forget(ts)
        reply = notification_reply(payload)
        text, message_blocks = blocks.message(replace(reply, buttons=()))
        await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=message_blocks)


async def upload(client: AsyncWebClient, user_id: str, reply: FileReply) -> None:
    """A file into the user's DM (files.getUploadURLExternal + completeUploadExternal)."""
    opened = await client.conversations_open(users=user_id)
    await client.files_upload_v2(channel=opened["channel"]["id"], content=reply.content,
                                 filename=reply.file_name, title=reply.file_name,
                                 initial_comment=reply.caption or None)
