"""A form's fields as a Slack modal's input blocks: one element per field kind (text, numbers,
choices static or searched, dates, places, files, a channel picker), and the channels picked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from bots.slack.blocks import Block, plain
from conversations.messages import FieldSpec
from core.i18n import _, countries

ACTION_ID = "value"  # one element per input block, so one action id serves them all
OPTIONS_PREFIX = "agora_options:"  # an external select's action id: what its options are
SELECT_LIMIT = 100  # options in one static select
CHECKBOX_LIMIT = 10  # options shown as checkboxes
TEXT_LIMIT = 3000  # plain_text_input max_length
LOCATION_LIMIT = 120

Raw = str | list[str] | None


def input_block(spec: FieldSpec) -> Block:
    """One input block; its block_id is the field name, so errors and values map back."""
    block: Block = {
        "type": "input",
        "block_id": spec.name,
        "label": plain(spec.label, 2000),
        "element": _ELEMENTS.get(spec.kind, _text)(spec),
        "optional": not spec.required,
    }
    if spec.hint:
        block["hint"] = plain(spec.hint, 2000)
    return block


# --- elements, by field kind ---------------------------------------------------------------

def _text(spec: FieldSpec, limit: int = TEXT_LIMIT) -> Block:
    maximum = min(spec.max_length or limit, limit)
    element: Block = {"type": "plain_text_input", "action_id": ACTION_ID,
                      "multiline": spec.multiline, "max_length": maximum}
    if spec.min_length and spec.min_length > 1:
        element["min_length"] = min(spec.min_length, maximum)
    initial = _initial_text(spec)
    if initial:
        element["initial_value"] = initial[:maximum]
    return element


def _initial_text(spec: FieldSpec) -> str:
    value = spec.initial
    labels = dict(spec.options)
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    return labels.get(value, value) if value else ""


def _email(spec: FieldSpec) -> Block:
    element: Block = {"type": "email_text_input", "action_id": ACTION_ID}
    if isinstance(spec.initial, str) and "@" in spec.initial:
        element["initial_value"] = spec.initial[:254]
    return element


def _number(spec: FieldSpec) -> Block:
    element: Block = {"type": "number_input", "action_id": ACTION_ID,
                      "is_decimal_allowed": spec.kind == "decimal"}
    if isinstance(spec.initial, str) and _is_number(spec.initial, spec.kind == "decimal"):
        element["initial_value"] = spec.initial
    return element


def _is_number(text: str, decimal: bool) -> bool:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return False
    return value.is_finite() and (decimal or value == value.to_integral_value())


def _options(spec: FieldSpec) -> list[Block]:
    return [_option(value, label) for value, label in spec.options]


def _choice(spec: FieldSpec) -> Block:
    if spec.source:  # too many to list (countries): found as the person types
        return _found(spec)
    if not spec.options or len(spec.options) > SELECT_LIMIT:
        return _text(spec)  # too many to list, and no way to find them: typed
    options = _options(spec)
    element: Block = {"type": "static_select", "action_id": ACTION_ID, "options": options,
                      "placeholder": plain(_("Choose…"), 150)}
    chosen = [o for o in options if o["value"] == spec.initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _found(spec: FieldSpec) -> Block:
    """A select whose options Slack asks for as the person types (`suggestions`)."""
    element: Block = {"type": "external_select", "action_id": OPTIONS_PREFIX + spec.source,
                      "min_query_length": 1, "placeholder": plain(_("Start typing…"), 150)}
    chosen = [(value, label) for value, label in spec.options if value == spec.initial]
    if chosen:
        element["initial_option"] = _option(*chosen[0])
    return element


def suggestions(source: str, typed: str, language: str) -> list[Block]:
    """The options of a `_found` select for what the person has typed so far."""
    if source != "country":
        return []
    return [_option(code, name) for code, name in countries.matching(typed[:60], language)]


def _option(value: str, label: str) -> Block:
    return {"text": plain(label, 75), "value": value[:150]}


def _found_many(spec: FieldSpec) -> Block:
    """A multi-select whose options Slack asks for as the person types (`suggestions`)."""
    element: Block = {"type": "multi_external_select", "action_id": OPTIONS_PREFIX + spec.source,
                      "min_query_length": 1, "placeholder": plain(_("Start typing…"), 150)}
    initial = spec.initial if isinstance(spec.initial, list) else []
    chosen = [_option(value, label) for value, label in spec.options if value in initial]
    if chosen:
        element["initial_options"] = chosen
    return element


def _multichoice(spec: FieldSpec) -> Block:
    if spec.source:  # too many to list (countries): found as the person types
        return _found_many(spec)
    if not spec.options or len(spec.options) > SELECT_LIMIT:
        return _text(spec)  # typed as a comma-separated list
    options = _options(spec)
    initial = spec.initial if isinstance(spec.initial, list) else []
    element: Block
    if len(options) <= CHECKBOX_LIMIT:
        element = {"type": "checkboxes", "action_id": ACTION_ID, "options": options}
    else:
        element = {"type": "multi_static_select", "action_id": ACTION_ID, "options": options,
                   "placeholder": plain(_("Choose any…"), 150)}
    chosen = [o for o in options if o["value"] in initial]
    if chosen:
        element["initial_options"] = chosen
    return element


def _datetime(spec: FieldSpec) -> Block:
    element: Block = {"type": "datetimepicker", "action_id": ACTION_ID}
    if isinstance(spec.initial, str):
        try:
            moment = datetime.fromisoformat(spec.initial)
        except ValueError:
            return element
        if moment.tzinfo is not None:
            element["initial_date_time"] = int(moment.timestamp())
    return element


def _location(spec: FieldSpec) -> Block:
    return _text(spec, LOCATION_LIMIT)


def _date(spec: FieldSpec) -> Block:
    element: Block = {"type": "datepicker", "action_id": ACTION_ID}
    if isinstance(spec.initial, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec.initial):
        element["initial_date"] = spec.initial
    return element


def _file(spec: FieldSpec) -> Block:
    return {"type": "file_input", "action_id": ACTION_ID, "max_files": 1}


def conversation_picker() -> Block:
    """Slack's conversation picker: a channel, public or private, not a bot's DM."""
    return {"type": "conversations_select", "action_id": ACTION_ID,
            "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            "placeholder": plain(_("Choose a channel…"), 150)}


def _chat(spec: FieldSpec) -> Block:
    element = conversation_picker()
    if isinstance(spec.initial, str) and spec.initial:
        element["initial_conversation"] = spec.initial
    return element


def chats_picked(view: dict[str, Any], values: dict[str, Raw]) -> dict[str, str]:
    """The conversations picked in the modal's conversation pickers, by field name."""
    picked = {}
    for block in view.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) else None
        name = block.get("block_id") if isinstance(block, dict) else None
        if isinstance(element, dict) and element.get("type") == "conversations_select" and \
                isinstance(name, str) and isinstance(values.get(name), str) and values[name]:
            picked[str(name)] = str(values[name])
    return picked


_ELEMENTS: dict[str, Callable[[FieldSpec], Block]] = {
    "text": _text,
    "email": _email,
    "integer": _number,
    "decimal": _number,
    "choice": _choice,
    "multichoice": _multichoice,
    "datetime": _datetime,
    "date": _date,
    "location": _location,
    "file": _file,
    "chat": _chat,
}
