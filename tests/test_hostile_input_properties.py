"""Property tests: whatever text, numbers, ids and payload shapes arrive, every inbound
translator and every field answers with a clean value or a specific refusal — never an
exception of another kind."""

from __future__ import annotations

import copy
import json
import logging
from datetime import date
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bots.slack.inbound import _parsed, to_command, to_inbound
from bots.telegram.inbound import translate
from conversations import profile_fields
from conversations.fields import Field, FieldError
from conversations.flows import deal_billing
from conversations.flows.deals import offer_fields
from conversations.flows.market import listing_fields, search_fields
from conversations.messages import Choice, Command, FileUpload, FormSubmission, Location, Text
from conversations.sanitise import clean_message
from core.catalog import query_text
from core.ids import MAX_ID, parse_id
from tests.slack.conftest import SIGNING_SECRET, slack  # noqa: F401  (the `slack` fixture)
from tests.support.chat import ChatUser
from tests.support.offline_terminal import offline_terminal
from tests.support.slack_requests import signed_headers

FAST = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
ANY_TEXT = st.text(max_size=300) | st.sampled_from([
    "1e99", "NaN", "-Infinity", "9" * 40, "0x1F", "٣٤", "²", "1_000", " ", "\x00", "\ud800",
    "12,5 MWh", "500 t", "€230", "+99999999", "2020-01-01", "31.02.2027", "today", "+0"])
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def every_field() -> list[Field]:
    today = date(2026, 11, 22)
    fields: list[Field] = [getattr(profile_fields, name)() for name in dir(profile_fields)
                           if name.endswith("_field")]
    fields += listing_fields.detail_fields("pellets", today)
    fields += listing_fields.quick_fields("pellets", "EUR") + listing_fields.quick_fields(None, "EUR")
    fields += [listing_fields.type_field(), search_fields.text_field(), *search_fields.filter_fields()]
    facts = {"unit": "t", "currency": "EUR", "least": "20", "stock": "500"}
    fields += [*offer_fields.whole_form(facts, False, today).fields,
               *deal_billing.billing_form().fields]
    return fields


FIELDS = every_field()


@FAST
@given(st.sampled_from(FIELDS), ANY_TEXT)
def test_every_field_answers_any_text_with_a_value_or_a_specific_refusal(field, text):
    for message in (Text(text), Choice(text)):
        try:
            field.parse_in(message, {})
        except FieldError as exc:
            assert str(exc)
    try:
        field.parse_raw(text)
    except FieldError as exc:
        assert str(exc)


@FAST
@given(ANY_TEXT | JSONISH)
def test_ids_are_positive_and_within_the_key_range_or_nothing(value):
    found = parse_id(value)
    assert found is None or 0 < found <= MAX_ID


@FAST
@given(ANY_TEXT)
def test_a_search_line_always_parses(line):
    query, notes = query_text.parse(line, place=lambda name: None)
    assert isinstance(query.text, str) and all(isinstance(n, str) for n in notes)


@FAST
@given(JSONISH, ANY_TEXT)
def test_slack_payloads_of_any_shape_translate_or_are_refused(event, text):
    assert isinstance(to_command(text), Command) and isinstance(to_command(event), Command)
    if isinstance(event, dict):
        assert isinstance(to_inbound(event), Text | FileUpload)
    for content_type in ("application/json", "application/x-www-form-urlencoded"):
        try:
            assert isinstance(_parsed(text, content_type), dict)
        except ValueError:
            pass  # refused: the route answers 400


@FAST
@given(ANY_TEXT, st.integers() | st.text(max_size=5) | st.none())
def test_telegram_updates_of_any_text_translate(text, update_id):
    data = {"update_id": update_id if isinstance(update_id, int) else 1,
            "message": {"message_id": 1, "date": 0, "text": text,
                        "chat": {"id": 5, "type": "private"},
                        "from": {"id": 5, "is_bot": False, "first_name": "A"}}}
    message = translate(Update.de_json(data, None), "agora_market_bot")
    assert message is not None


@FAST
@given(st.one_of(
    st.builds(Text, ANY_TEXT), st.builds(Choice, ANY_TEXT),
    st.builds(Command, ANY_TEXT, ANY_TEXT),
    st.builds(Location, st.floats(), st.floats()),
    st.builds(FormSubmission, ANY_TEXT, st.dictionaries(ANY_TEXT, ANY_TEXT | st.none(), max_size=3),
              ANY_TEXT)))
def test_the_sanitiser_leaves_nothing_a_database_refuses(message):
    cleaned = clean_message(message)
    text = repr(cleaned)
    assert "\x00" not in text
    text.encode("utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ANY_TEXT)
def test_the_terminal_reads_any_line(tmp_path, line):
    chat = offline_terminal("tess", tmp_path)  # reading a line asks nothing of the application
    parsed = chat.parse(line)
    assert parsed is None or isinstance(parsed, Text | Command | Choice | FileUpload)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.builds(Text, ANY_TEXT), st.builds(Choice, ANY_TEXT),
                          st.builds(Command, st.sampled_from(["start", "sell", "search", "view",
                                                              "direct", "receipt", "deals",
                                                              "disputes", "support", "tickets",
                                                              "x"]), ANY_TEXT)),
                min_size=1, max_size=4))
async def test_the_engine_answers_any_message_without_the_apology(chat, messages):
    """On the engine in memory (`chat`): a newcomer's few messages never reach core's stores,
    and a step that asked for one would fail loudly there, with the apology."""
    from conversations.engine import APOLOGY

    tess = ChatUser(chat, "tess")
    for message in messages:
        replies = await tess.send(message)
        assert replies and all(getattr(r, "text", "") != APOLOGY for r in replies), message


def _shapes() -> list[tuple[str, dict]]:
    """One well-formed request of each kind Slack sends the app: (content type, body)."""
    who = {"user": {"id": "U1ANN", "username": "ann", "team_id": "T0AGORA"},
           "team": {"id": "T0AGORA", "domain": "agora-test"}, "api_app_id": "A0AGORA",
           "trigger_id": "1.2.trigger"}
    event = {"team_id": "T0AGORA", "api_app_id": "A0AGORA", "type": "event_callback",
             "event_id": "Ev1", "authorizations": [{"team_id": "T0AGORA", "user_id": "U0BOT"}]}
    view = {"type": "modal", "callback_id": "agora_form", "team_id": "T0AGORA",
            "private_metadata": '{"form_id": "registration", "token": "t"}',
            "state": {"values": {"display_name": {"value": {"type": "plain_text_input",
                                                            "value": "Ann"}}}}}
    return [
        ("form", {**who, "type": "block_actions", "container": {"type": "message"},
                  "actions": [{"type": "button", "action_id": "agora:1", "block_id": "b1",
                               "value": "menu"}]}),
        ("form", {**who, "type": "view_submission", "view": view}),
        ("form", {**who, "type": "view_closed", "view": view}),
        ("command", {"command": "/agora", "text": "help", "team_id": "T0AGORA",
                     "user_id": "U1ANN", "user_name": "ann", "trigger_id": "1.2.trigger"}),
        ("json", {**event, "event": {"type": "message", "channel_type": "im", "user": "U1ANN",
                                     "text": "hello", "ts": "1.1", "channel": "D1ANN"}}),
        ("json", {**event, "event": {"type": "app_home_opened", "user": "U1ANN",
                                     "tab": "home", "channel": "D1ANN"}}),
    ]


def _paths(value: object, at: tuple = ()) -> list[tuple]:
    """Every key path inside a JSON value (the root excepted)."""
    inner = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    return [p for key, child in inner for p in [(*at, key), *_paths(child, (*at, key))]]


def _mutated(body: dict, data: st.DataObject) -> dict:
    """`body` with one to three values replaced by JSON of another shape, or removed."""
    body = json.loads(json.dumps(body))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(body) or [("type",)]))
        parent = body
        for key in path[:-1]:
            parent = parent[key] if isinstance(parent, dict | list) else None
        if not isinstance(parent, dict | list):
            continue
        value = copy.deepcopy(data.draw(st.sampled_from([None, "", [], {}, "U1\x00"])
                                        | ANY_TEXT | JSONISH))
        if isinstance(parent, dict) and data.draw(st.booleans()):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
    return body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(_shapes()), st.data())
async def test_a_signed_slack_request_of_any_malformed_shape_is_answered_without_a_traceback(
        slack, caplog, shape, data):  # noqa: F811  (the fixture imported above)
    kind, body = shape[0], _mutated(shape[1], data)
    if kind == "json":
        sent, content_type = json.dumps(body), "application/json"
    else:
        fields = body if kind == "command" else {"payload": json.dumps(body)}
        sent = urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()},
                         errors="surrogatepass")  # a lone surrogate sent as its (bad) bytes
        content_type = "application/x-www-form-urlencoded"
    caplog.clear()
    answer = await slack.http.post("/slack/events", content=sent.encode(), headers=signed_headers(
        SIGNING_SECRET, sent, content_type))
    await slack.settle()
    assert answer.status_code < 500, body
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], body
