"""A neutral `FormReply` as one Slack modal, and a modal's submitted state back as raw values;
the fields' input blocks are bots.slack.modal_fields'."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bots.slack.blocks import Block, clip, plain
from bots.slack.modal_fields import Raw, input_block
from conversations.messages import FormReply
from core.i18n import _

CALLBACK_ID = "agora_form"
TITLE_LIMIT = 24  # modal title and submit label
ABOUT = "about"  # the block id of the line saying what a form is about


def form_view(reply: FormReply) -> Block:
    """The modal for a form: one input block per field, form id and token in private_metadata."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": plain(reply.title, TITLE_LIMIT),
        "submit": plain(reply.submit_label or _("Submit"), TITLE_LIMIT),
        "close": plain(_("Cancel"), TITLE_LIMIT),
        "private_metadata": json.dumps({"form_id": reply.form_id, "token": reply.token}),
        "blocks": [*_about(reply.subtitle), *(input_block(spec) for spec in reply.fields)],
    }


def _about(subtitle: str) -> list[Block]:
    """What the form is about, as a line above its questions (the title has no room)."""
    return [{"type": "context", "block_id": ABOUT, "elements": [plain(subtitle, 2000)]}] \
        if subtitle else []


def metadata(view: dict[str, Any]) -> tuple[str, str]:
    """The form id and prompt token a modal was opened with."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        data = {}
    return str(data.get("form_id", "")), str(data.get("token", ""))


# --- submitted state back to raw values -----------------------------------------------------


def read_values(state_values: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Raw]:
    """Raw values by field name from `view.state.values` ({block_id: {action_id: state}})."""
    values: dict[str, Raw] = {}
    for block_id, actions in state_values.items():
        for state in actions.values():
            values[block_id] = _read(state)
    return values


def _read(state: dict[str, Any]) -> Raw:
    kind = state.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        option = state.get("selected_option")
        return option["value"] if option else None
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return [o["value"] for o in state.get("selected_options") or []]
    if kind == "datepicker":
        return state.get("selected_date")
    if kind == "timepicker":
        return state.get("selected_time")
    if kind == "datetimepicker":
        stamp = state.get("selected_date_time")
        return datetime.fromtimestamp(stamp, UTC).isoformat() if stamp else None
    if kind == "conversations_select":
        return state.get("selected_conversation")
    if kind == "file_input":
        return [f["id"] for f in state.get("files") or []]
    value = state.get("value")
    return value if value is None else str(value)


def errors_for(view: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Errors by block_id; general ("_") or unknown keys go on the first input block."""
    blocks = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    shown: dict[str, str] = {}
    for key, text in errors.items():
        target = key if key in blocks or not blocks else blocks[0]
        shown[target] = clip(f"{shown[target]} {text}" if target in shown else text, 2000)
    return shown


def _same_modal(view: dict[str, Any], blocks: list[Block]) -> Block:
    """The submitted modal again with other blocks: input blocks keep their block and action ids,
    so Slack keeps what the person typed."""
    kept: dict[str, Any] = {k: view[k] for k in (
        "type", "callback_id", "title", "submit", "close", "private_metadata") if k in view}
    return {**kept, "blocks": blocks}


def _note(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 2000)}]}


def pending_view(view: dict[str, Any]) -> Block:
    """The modal while Agora is still checking it (an answer slower than Slack's ack window)."""
    inputs = [b for b in view.get("blocks", []) if not _is_note(b)]
    return _same_modal(view, [_note(_("⏳ Checking your answers…")), *inputs])


def view_with_errors(view: dict[str, Any], errors: dict[str, str]) -> Block:
    """The modal with each error under its field, as `response_action: errors` would show it."""
    out: list[Block] = []
    for block in view.get("blocks", []):
        if _is_note(block):
            continue
        out.append(block)
        if block.get("block_id") in errors:
            out.append(_note(f"⚠️ {errors[block['block_id']]}"))
    return _same_modal(view, out)


def finished_view(view: dict[str, Any]) -> Block:
    """A closing modal once a late answer has gone to the person's messages."""
    return {"type": "modal", "callback_id": CALLBACK_ID,
            "title": view.get("title") or plain("Agora", TITLE_LIMIT),
            "close": plain(_("Close"), TITLE_LIMIT),
            "blocks": [_note(_("✅ Done — Agora's answer is in your messages with the app."))]}


def _is_note(block: dict[str, Any]) -> bool:
    """A passing note (checking, an error), not the form's own line about its subject."""
    return block.get("type") == "context" and block.get("block_id") != ABOUT
