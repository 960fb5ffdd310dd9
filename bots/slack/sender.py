"""Slack's outbox sender: notifications as Block Kit messages, files uploaded into the DM."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack import blocks
from conversations.messages import FileReply, file_reply, notification_reply
from core.notifications.dispatcher import Attachment, RetryLater


class SlackSender:
    """Delivers outbox payloads ({"text", "buttons"}) as Block Kit messages; errors propagate,
    and a 429 (Retry-After) asks the dispatcher to pause the DM. chat.postMessage takes no
    idempotency key: a crash between Slack accepting and the row marked sent can repeat it."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        """The message with its buttons, then each file uploaded into the same DM."""
        text, message_blocks = blocks.message(notification_reply(payload))
        try:
            await self.client.chat_postMessage(channel=address, text=text, blocks=message_blocks)
            for file in files:
                await upload(self.client, address, file_reply(file))
        except SlackApiError as exc:
            if exc.response.status_code == 429:
                wait = exc.response.headers.get("Retry-After") or exc.response.headers.get(
                    "retry-after") or 1
                raise RetryLater(float(wait), "Slack: ratelimited") from exc
            raise


async def upload(client: AsyncWebClient, user_id: str, reply: FileReply) -> None:
    """A file into the user's DM (files.getUploadURLExternal + completeUploadExternal)."""
    opened = await client.conversations_open(users=user_id)
    await client.files_upload_v2(channel=opened["channel"]["id"], content=reply.content,
                                 filename=reply.file_name, title=reply.file_name,
                                 initial_comment=reply.caption or None)
