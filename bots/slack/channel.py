"""The Slack channel: slash command, interactivity, App Home, Socket Mode — wired to the engine.
Inbound translation is in `inbound`, rendering in `blocks` and `modals`, the outbox in `sender`.

Every listener acknowledges first (Slack allows 3 seconds), then hands one neutral message to the
engine and renders what comes back. A modal's submission is the one exception: its answer
(field errors, the next form, or "close") *is* the acknowledgement, so the engine runs first.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack import blocks, home, modals, sharing
from bots.slack.files import SlackFileFetcher
from bots.slack.inbound import COMMAND, envelope, is_id, refusal, to_command, to_inbound
from bots.slack.live import LiveMessages, Shown, is_prompt, replaces, without_prompt_buttons
from bots.slack.sender import OutboxCards, SlackSender, upload
from bots.slack.surfaces import Surfaces
from config.catalog_wiring import add_fetcher
from config.container import Container
from conversations.messages import (
    Choice,
    Command,
    Envelope,
    FileReply,
    FormErrors,
    FormReply,
    FormSubmission,
    ImageReply,
    Outbound,
    Reply,
    ShareReply,
)
from core.i18n import N_, _, language_of
from core.money.reading import reading

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
NOT_IN = N_("Agora is not in that channel: invite it first (/invite @Agora), or pick another.")
Ack = Callable[..., Awaitable[Any]]


class SlackChannel:
    """slack-bolt's async app behind FastAPI (or Socket Mode), translating to the engine."""

    name = "slack"
    ack_budget = 2.0  # seconds the engine may take before a modal is acknowledged (Slack: 3)

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
        self.app.options(re.compile(f"^{re.escape(modals.OPTIONS_PREFIX)}"))(self.on_options)
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

    async def on_submit(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A modal's submit: errors keep it open, a next form replaces it, anything else closes."""
        try:
            form_id, token = modals.metadata(view)
            values = modals.read_values((view.get("state") or {}).get("values") or {})
            team_id, user_id = _who(body)
            trigger = _text(body.get("trigger_id"))
        except MALFORMED as exc:
            log.info("slack: closed a malformed form submission (%r)", exc)
            return await ack()
        if await self._refused_chats(ack, user_id, modals.chats_picked(view, values)):
            return
        env = await self._with_locale(envelope(team_id, user_id, FormSubmission(form_id, values, token),
                                               f"submit:{trigger}" if trigger else None))
        work = asyncio.ensure_future(self.container.engine.handle(env))
        done, _ = await asyncio.wait({work}, timeout=self.ack_budget)
        if done:
            rest = await self._answer_submission(ack, view, work.result().replies)
            rest = _without_trailing_menu(rest)
            await self.live.moved_on(user_id)
            return await self.deliver(user_id, rest)
        # Slack drops an ack later than 3 s ("unhandled request"): keep the modal open with a
        # note, then show the outcome in the same modal once the engine has answered.
        await ack(response_action="update", view=modals.pending_view(view))
        rest = await self._update_submission(_text(view.get("id")), view, (await work).replies)
        rest = _without_trailing_menu(rest)
        await self.live.moved_on(user_id)
        await self.deliver(user_id, rest)

    async def on_share(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Post the card the person shares into the channel they picked; if Agora is not in
        that channel, the modal says so under the field."""
        try:
            card, where, note = sharing.submitted(view)
            __, user_id = _who(body)
        except (*MALFORMED, json.JSONDecodeError) as exc:
            log.info("slack: closed a malformed share (%r)", exc)
            return await ack()
        language = language_of(await self.locale(user_id))
        with reading(SimpleNamespace(language=language, country=None)):
            text, card_blocks = sharing.posted_card(card, user_id, note,
                                                    self.container.settings.public_url)
            try:
                await self.client.chat_postMessage(channel=where, text=text, blocks=card_blocks)
            except SlackApiError as exc:
                log.info("slack: could not share into %s (%s)", where, exc.response.get("error"))
                return await ack(response_action="errors", errors={"channel": _(NOT_IN)})
        await ack()

    async def _refused_chats(self, ack: Ack, user_id: str, picked: dict[str, str]) -> bool:
        """A channel picked in a form that Agora is not in is refused under its field (Agora
        could not post there); True when the modal was answered so."""
        refused = [name for name, chat in picked.items() if not await self._is_member(chat)]
        if not refused:
            return False
        with reading(SimpleNamespace(language=language_of(await self.locale(user_id)),
                                     country=None)):
            await ack(response_action="errors", errors={name: _(NOT_IN) for name in refused})
        return True

    async def _is_member(self, chat: str) -> bool:
        try:
            found = await self.client.conversations_info(channel=chat)
        except SlackApiError as exc:
            log.info("slack: no conversation %s (%s)", chat, exc.response.get("error"))
            return False
        return bool((found.get("channel") or {}).get("is_member"))

    async def on_options(self, ack: Ack, body: dict[str, Any]) -> None:
        """A modal's select asking for the options matching what the person typed (a country
        in their language)."""
        try:
            source = _text(body["action_id"]).removeprefix(modals.OPTIONS_PREFIX)
            typed, (_team, user_id) = _text(body.get("value")), _who(body)
        except MALFORMED as exc:
            log.info("slack: answered a malformed options request with none (%r)", exc)
            return await ack(options=[])
        language = language_of(await self.locale(user_id))
        with reading(SimpleNamespace(language=language, country=None)):
            await ack(options=modals.suggestions(source, typed, language))

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

    async def _answer_submission(self, ack: Ack, view: dict[str, Any],
                                 replies: list[Outbound]) -> list[Outbound]:
        """Acknowledge a submission with errors, the next modal, or a close; returns the rest."""
        errors = [r for r in replies if isinstance(r, FormErrors)]
        forms = [r for r in replies if isinstance(r, FormReply)]
        rest: list[Outbound] = [r for r in replies if not isinstance(r, FormErrors | FormReply)]
        if errors:
            merged = {k: v for e in errors for k, v in e.errors.items()}
            await ack(response_action="errors", errors=modals.errors_for(view, merged))
            return rest
        if forms:
            await ack(response_action="update", view=modals.form_view(forms[0]))
            return rest + forms[1:]
        await ack()
        return rest

    async def _update_submission(self, view_id: str, view: dict[str, Any],
                                 replies: list[Outbound]) -> list[Outbound]:
        """The late twin of `_answer_submission`: the open modal updated through views.update."""
        errors = {k: v for r in replies if isinstance(r, FormErrors) for k, v in r.errors.items()}
        forms = [r for r in replies if isinstance(r, FormReply)]
        rest: list[Outbound] = [r for r in replies if not isinstance(r, FormErrors | FormReply)]
        if errors:
            shown = modals.view_with_errors(view, modals.errors_for(view, errors))
        elif forms:
            shown = modals.form_view(forms[0])
            rest += forms[1:]
        else:
            shown = modals.finished_view(view)
        try:
            await self.client.views_update(view_id=view_id, view=shown)
        except SlackApiError as exc:  # the person closed the modal meanwhile
            log.info("slack: could not update a modal after a late answer (%s)", exc)
        return rest

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


MALFORMED = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def _text(value: object) -> str:
    """A Slack id or string field, whatever JSON type it arrived as."""
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _without_trailing_menu(replies: list[Outbound]) -> list[Outbound]:
    """The replies without the main menu a finished step appends: in Slack the menu is the
    App Home, posted into the DM only when asked for (`/agora`, "menu", ☰)."""
    menus = [r for r in replies if isinstance(r, Reply) and r.kind == "menu"]
    return [r for r in replies if r not in menus] if menus and len(menus) < len(replies) \
        else replies


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


def _who(body: dict[str, Any]) -> tuple[str, str]:
    """(team id, user id) of an interaction; KeyError when there is no user."""
    user = body["user"]
    team = user.get("team_id") or (body.get("team") or {}).get("id", "")
    if not user.get("id"):
        raise KeyError("user")
    return _text(team), _text(user["id"])
