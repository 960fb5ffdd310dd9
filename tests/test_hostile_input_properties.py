"""Property tests: whatever text, numbers, ids and payload shapes arrive, every inbound
translator and every field answers with a clean value or a specific refusal — never an
exception of another kind."""

from __future__ import annotations

import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bots.slack.inbound import _parsed, to_command, to_inbound
from bots.telegram.inbound import translate
from bots.terminal import TerminalChat
from conversations import profile_fields
from conversations.fields import Field, FieldError
from conversations.flows import deal_billing, listing_fields, offer_fields, search_fields
from conversations.messages import Choice, Command, FileUpload, FormSubmission, Location, Text
from conversations.sanitise import clean_message
from core.catalog import query_text
from core.ids import MAX_ID, parse_id
from tests.support.chat import ChatUser

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
def test_the_terminal_reads_any_line(app, line):
    chat = TerminalChat(app, "tess", io.StringIO(), io.StringIO())
    parsed = chat.parse(line)
    assert parsed is None or isinstance(parsed, Text | Command | Choice | FileUpload)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.builds(Text, ANY_TEXT), st.builds(Choice, ANY_TEXT),
                          st.builds(Command, st.sampled_from(["start", "sell", "search", "view",
                                                              "direct", "receipt", "deals",
                                                              "disputes", "support", "tickets",
                                                              "x"]), ANY_TEXT)),
                min_size=1, max_size=4))
async def test_the_engine_answers_any_message_without_the_apology(app, messages):
    from conversations.engine import APOLOGY

    tess = ChatUser(app, "tess")
    for message in messages:
        replies = await tess.send(message)
        assert replies and all(getattr(r, "text", "") != APOLOGY for r in replies), message
