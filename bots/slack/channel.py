"""The Slack channel: slash command, interactivity, App Home, Socket Mode — wired to the engine.
Inbound translation is in `inbound`, rendering in `blocks` and `modals`, the outbox in `sender`;
the listeners for modals are in `modal_listeners`, showing the engine's answers in `answers`.

Every listener acknowledges first (Slack allows 3 seconds), then hands one neutral message to the
engine and renders what comes back. A modal's submission is the one exception: its answer
(field errors, the next form, or "close") *is* the acknowledgement, so the engine runs first.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack import blocks, home, modal_fields, modals, sharing
from bots.slack.answers import _without_trailing_menu
from bots.slack.files import SlackFileFetcher
from bots.slack.inbound import (
    COMMAND,
    MALFORMED,
    _text,
    _who,
    envelope,
    is_id,
    refusal,
    to_command,
    to_inbound,
)
from bots.slack.live import LiveMessages, Shown, is_prompt, replaces, without_prompt_buttons
from bots.slack.modal_listeners import Ack, ModalListeners
from bots.slack.sender import OutboxCards, SlackSender
from bots.slack.surfaces import Surfaces
from config.catalog_wiring import add_fetcher
from config.container import Container
from conversations.messages import Choice, Command, Envelope, Reply

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class SlackChannel(ModalListeners):
    """slack-bolt's async app behind FastAPI (or Socket Mode), translating to the engine."""

    name = "slack"

    def __init__(self, container: Container) -> None:
        settings = container.settings
        self.container = container
        self.client = AsyncWebClient(token=settings.slack_bot_token,
                                     base_url=settings.slack_api_url)
        self.charts = home.ChartFiles(self.client)  # the Home tab's images, uploaded once each
        self.locales: dict[str, str] = {}  # a person's Slack locale ("pl-PL"), asked once each
        # The client carries the bot token (bolt warns if it is given twice); auth.test runs once,
        # lazily, on the first request.
        self.app = AsyncApp(signing_secret=settings.slack_signing_secret, client=self.client,
                            name="agora")
        self._socket: Any = None
        add_fetcher(container.engine.services, self.name, SlackFileFetcher(
            self.client, settings.slack_bot_token or "", settings.slack_api_url))
        self.app.command(COMMAND)(self.on_command)
        self.app.action(re.compile(f"^{re.escape(blocks.ACTION_PREFIX)}"))(self.on_action)
        self.app.action(re.compile(f"^{re.escape(blocks.LINK_PREFIX)}"))(self.on_link)
        self.app.view_submission(modals.CALLBACK_ID)(self.on_submit)
        self.app.options(re.compile(f"^{re.escape(modal_fields.OPTIONS_PREFIX)}"))(self.on_options)
        self.app.view_submission(sharing.CALLBACK_ID)(self.on_share)
        self.app.event("message")(self.on_message)
        self.app.event("app_home_opened")(self.on_home_opened)
        self.surfaces = Surfaces(self)  # link previews, shortcuts, "Open in Agora"
        self.live = LiveMessages(self.client, OutboxCards(container.sessions))  # the DM kept
        # current (bots.slack.live), the outbox's cards too

    # --- Channel protocol -------------------------------------------------------------------

    async def start(self) -> None:
        """Register the outbox sender; with an app token, connect over Socket Mode."""
        self.container.add_sender(self.name, SlackSender(self.client, self.live))
        app_token = self.container.settings.slack_app_token
        if app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, app_token)
            await self._socket.connect_async()

    async def stop(self) -> None:
        self.container.remove_sender(self.name)
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None

    def router(self) -> APIRouter:
        """POST /slack/events for events, the slash command and interactivity (bolt verifies)."""
        handler = AsyncSlackRequestHandler(self.app)
        router = APIRouter()

        secret = self.container.settings.slack_signing_secret or ""

        @router.post(EVENTS_PATH, include_in_schema=False)
        async def slack_events(request: Request) -> Response:
            refused = await refusal(request, secret)
            return refused if refused is not None else await handler.handle(request)

        return router

    # --- listeners --------------------------------------------------------------------------

    async def on_command(self, ack: Ack, command: dict[str, Any]) -> None:
        """`/agora …`: acknowledge, then answer in the DM (or open the form as a modal);
        `/agora` alone shows the menu to the person only, where they typed it."""
        await ack()
        try:
            trigger = _text(command.get("trigger_id"))
            env = envelope(_text(command["team_id"]), _text(command["user_id"]),
                           to_command(command.get("text", "")),
                           f"command:{trigger}" if trigger else None, _text(command.get("user_name")))
            where = _text(command.get("channel_id"))
        except MALFORMED as exc:
            return log.info("slack: ignored a malformed command (%r)", exc)
        await self._run(env, trigger or None, menu_in=where or None)

    async def on_action(self, ack: Ack, body: dict[str, Any]) -> None:
        """A button press, in a DM message or on the Home tab: the answer takes the pressed
        message's place where it can (bots.slack.live)."""
        await ack()
        try:
            action, (team_id, user_id) = body["actions"][0], _who(body)
            trigger = _text(body.get("trigger_id"))
            event_id = f"action:{trigger}:{_text(action.get('action_id'))}" if trigger else None
            env = envelope(team_id, user_id, Choice(_text(action.get("value"))), event_id)
            pressed = _pressed(body)
        except MALFORMED as exc:
            return log.info("slack: ignored a malformed button press (%r)", exc)
        await self._run(env, trigger or None, pressed)

    async def on_link(self, ack: Ack) -> None:
        """A link button was clicked: Slack opened its address; the click is only noted."""
        await ack()
    async def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A direct message from a person (not a bot, not an edit)."""
        if event.get("channel_type") != "im" or event.get("bot_id") or not is_id(event.get("user")):
            return
        if event.get("subtype") not in (None, "file_share"):
            return
        team_id = _text(body.get("team_id") or event.get("team"))
        env = envelope(team_id, _text(event["user"]), to_inbound(event), _text(body.get("event_id")))
        await self._run(env, None)

    async def on_home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """Publish the Home tab: profile and main menu."""
        if event.get("tab", "home") != "home" or not is_id(event.get("user")):
            return
        team_id = _text(body.get("team_id"))
        view = await home.home_view(self.container, team_id, event["user"], self.charts)
        await self.client.views_publish(user_id=event["user"], view=view)

    async def run_command(self, body: dict[str, Any], name: str, args: str, source: str) -> None:
        """Run `/agora name args` for the person of an interaction (a shortcut, a button
        outside the DM): answered in their DM, a form as a modal while the trigger lasts."""
        try:
            team_id, user_id = _who(body)
            trigger = _text(body.get("trigger_id"))
        except MALFORMED as exc:
            return log.info("slack: ignored a malformed %s (%r)", source, exc)
        await self._run(envelope(team_id, user_id, Command(name, args),
                                 f"{source}:{trigger}" if trigger else None), trigger or None)

    async def open_link(self, team_id: str, user_id: str, payload: str, event_id: str) -> None:
        """Open a deep link (`view-42`) for this person as `/agora` would: in their DM with
        the app (a newcomer registers first, then lands on it)."""
        await self._run(envelope(team_id, user_id, Command("start", payload), event_id), None)

    # --- rendering ----------------------------------------------------------------------------

    async def _run(self, env: Envelope, trigger_id: str | None, pressed: Shown | None = None,
                   menu_in: str | None = None) -> None:
        """The engine's answer in the person's DM: in place of the pressed message when it
        is a step to show; the conversation's older prompt loses its buttons. The menu alone,
        asked for by a command typed in `menu_in`, is shown there to the person only."""
        outcome = await self.container.engine.handle(await self._with_locale(env))
        replies, user_id = _without_trailing_menu(outcome.replies), env.chat_id
        if menu_in and len(replies) == 1 and isinstance(replies[0], Reply) and \
                replies[0].kind == "menu" and await self._ephemeral(menu_in, user_id, replies[0]):
            return
        in_place = pressed is not None and bool(replies) and replaces(replies[0])
        await self.live.moved_on(user_id, keep_ts=pressed.ts if in_place and pressed else None)
        step = env.message.data if isinstance(env.message, Choice) else ""
        if pressed is not None and in_place and await self.live.replace(
                user_id, pressed.channel, pressed.ts, replies[0], step):
            replies = replies[1:]
        elif pressed is not None and is_prompt(pressed.blocks):  # answered elsewhere: stale now
            await self.live.update(pressed.channel, pressed.ts, pressed.text,
                                   without_prompt_buttons(pressed.blocks))
        await self.deliver(user_id, replies, trigger_id)


def _pressed(body: dict[str, Any]) -> Shown | None:
    """The DM message whose button was pressed (None on the Home tab, a modal, an ephemeral
    message — none of which chat.update edits — and in a team channel, where the answer goes
    to the presser's DM)."""
    container, message = body.get("container") or {}, body.get("message") or {}
    if container.get("type") != "message" or container.get("is_ephemeral"):
        return None
    channel, ts = _text(container.get("channel_id")), _text(container.get("message_ts"))
    if not channel or not ts or not isinstance(message, dict):
        return None
    if not channel.startswith("D"):  # a team channel's card is everyone's: its notices keep it
        return None
    found = message.get("blocks")
    return Shown(channel, ts, _text(message.get("text")),
                 found if isinstance(found, list) else [])

