"""The Slack channel's listeners for modals: a form's submission (its answer is the
acknowledgement, within Slack's 3 seconds, or the open modal is updated late), a channel picked
that Agora is not in refused under its field, the share modal's submission, and a select asking
for the options matching what the person typed."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

from slack_sdk.errors import SlackApiError

from bots.slack import modal_fields, modals, sharing
from bots.slack.answers import SlackAnswers, _without_trailing_menu
from bots.slack.inbound import MALFORMED, _text, _who, envelope
from conversations.messages import FormErrors, FormReply, FormSubmission, Outbound
from core.i18n import N_, _, language_of
from core.money.reading import reading

log = logging.getLogger(__name__)

NOT_IN = N_("Agora is not in that channel: invite it first (/invite @Agora), or pick another.")
Ack = Callable[..., Awaitable[Any]]


class ModalListeners(SlackAnswers):
    """Forms, shares and options in modals."""

    ack_budget = 2.0  # seconds the engine may take before a modal is acknowledged (Slack: 3)

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
        if await self._refused_chats(ack, user_id, modal_fields.chats_picked(view, values)):
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
            source = _text(body["action_id"]).removeprefix(modal_fields.OPTIONS_PREFIX)
            typed, (_team, user_id) = _text(body.get("value")), _who(body)
        except MALFORMED as exc:
            log.info("slack: answered a malformed options request with none (%r)", exc)
            return await ack(options=[])
        language = language_of(await self.locale(user_id))
        with reading(SimpleNamespace(language=language, country=None)):
            await ack(options=modal_fields.suggestions(source, typed, language))
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
