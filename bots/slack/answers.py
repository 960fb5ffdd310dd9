"""Showing the engine's answers in Slack: replies posted into the person's direct messages with
the app (a stored photo or a file uploaded there), a form opened as a modal while its trigger
lasts, the share modal, the menu shown to one person in a channel; in the person's Slack
language (`locale`). `bots.slack.channel` runs the engine and hands its replies here."""

from __future__ import annotations

import logging
from dataclasses import replace
from types import SimpleNamespace

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack import blocks, modals, sharing
from bots.slack.inbound import _text
from bots.slack.live import LiveMessages, Shown
from bots.slack.sender import upload
from config.container import Container
from conversations.messages import (
    Envelope,
    FileReply,
    FormReply,
    ImageReply,
    Outbound,
    Reply,
    ShareReply,
)
from core.i18n import language_of
from core.money.reading import reading

log = logging.getLogger(__name__)


class SlackAnswers:
    """The Slack channel's replies (`SlackChannel` holds the client and the DMs kept current)."""

    container: Container
    client: AsyncWebClient
    live: LiveMessages
    locales: dict[str, str]

    async def _with_locale(self, env: Envelope) -> Envelope:
        """The envelope with the person's Slack language (users.info with include_locale),
        which a newcomer is spoken to in; never blocking the answer when Slack does not say."""
        locale = await self.locale(env.chat_id)
        return replace(env, language=locale) if locale is not None else env

    async def locale(self, user_id: str) -> str | None:
        """A person's Slack locale ("pl-PL"), asked once per person and process; None when
        Slack does not say."""
        if user_id not in self.locales:
            try:
                found = await self.client.users_info(user=user_id, include_locale=True)
                self.locales[user_id] = str((found.get("user") or {}).get("locale") or "")[:16]
            except (SlackApiError, OSError, TimeoutError, ValueError) as exc:
                log.info("slack: no locale for %s (%r)", user_id, exc)
                return None
        return self.locales[user_id]
    async def deliver(self, user_id: str, replies: list[Outbound],
                      trigger_id: str | None = None) -> None:
        """Show replies in the user's DM; a form opens as a modal first, while the trigger lasts."""
        form = next((r for r in replies if isinstance(r, FormReply)), None)
        if form is not None and trigger_id and await self._open_modal(trigger_id, form):
            replies = [r for r in replies if r is not form]
        share = next((r for r in replies if isinstance(r, ShareReply)), None)
        if share is not None and trigger_id and await self._open_share(trigger_id, user_id, share):
            replies = [r for r in replies if r is not share]
        for reply in replies:
            if isinstance(reply, FileReply):
                await upload(self.client, user_id, reply)
                continue
            if isinstance(reply, ImageReply) and reply.content and not blocks.is_url(
                    reply.url_or_file_id):  # a stored photo: uploaded to the DM, no public URL
                await upload(self.client, user_id, FileReply(
                    reply.file_name or "photo.jpg", reply.content, reply.mime_type, reply.caption))
                continue
            text, message_blocks = blocks.message(reply)
            sent = await self.client.chat_postMessage(channel=user_id, text=text,
                                                      blocks=message_blocks)
            await self.live.posted(user_id, Shown(_text(sent.get("channel")) or user_id,
                                                  _text(sent.get("ts")), text, message_blocks))

    async def _open_share(self, trigger_id: str, user_id: str, reply: ShareReply) -> bool:
        """The share modal, in the person's language; False when Slack refuses (the card is
        posted into the DM instead)."""
        with reading(SimpleNamespace(language=language_of(await self.locale(user_id)),
                                     country=None)):
            view = sharing.share_view(reply)
        try:
            await self.client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as exc:
            log.info("slack: could not open the share modal (%s)", exc.response.get("error"))
            return False
        return True

    async def _ephemeral(self, channel: str, user_id: str, reply: Reply) -> bool:
        """Show `reply` to `user_id` alone in `channel`; False when Slack refuses (the app is
        not in that channel), so it goes to the DM instead."""
        text, message_blocks = blocks.message(reply)
        try:
            await self.client.chat_postEphemeral(channel=channel, user=user_id, text=text,
                                                 blocks=message_blocks)
        except SlackApiError as exc:
            log.info("slack: no ephemeral message in %s (%s)", channel, exc.response.get("error"))
            return False
        return True

    async def _open_modal(self, trigger_id: str, reply: FormReply) -> bool:
        """Open the form; False when Slack refuses (an expired trigger), so a button is posted."""
        try:
            await self.client.views_open(trigger_id=trigger_id, view=modals.form_view(reply))
        except SlackApiError as exc:
            log.warning("views.open failed (%s); posting an Open form button", exc.response["error"])
            return False
        return True


def _without_trailing_menu(replies: list[Outbound]) -> list[Outbound]:
    """The replies without the main menu a finished step appends: in Slack the menu is the
    App Home, posted into the DM only when asked for (`/agora`, "menu", ☰)."""
    menus = [r for r in replies if isinstance(r, Reply) and r.kind == "menu"]
    return [r for r in replies if r not in menus] if menus and len(menus) < len(replies) \
        else replies
