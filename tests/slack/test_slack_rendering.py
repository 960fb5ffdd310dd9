"""Block Kit rendering rules: forms as modals, values back from modal state, escaping."""

from __future__ import annotations

import json

from bots.slack import blocks, modals
from bots.slack.inbound import to_command, to_inbound
from conversations.messages import (
    Button,
    Command,
    FieldSpec,
    FileUpload,
    FormReply,
    ListItem,
    ListPage,
    Reply,
    Text,
)
from tests.support.fake_slack import check_message_blocks, check_view

OPTIONS = tuple((f"v{i}", f"Option {i}") for i in range(12))


def _form(*fields: FieldSpec, title: str = "Form") -> dict:
    return modals.form_view(FormReply("f1", title, fields, "Save", token="tok123"))


def _element(spec: FieldSpec) -> dict:
    return _form(spec)["blocks"][0]["element"]


def test_each_field_kind_gets_the_slack_input_that_fits_it():
    kinds = {
        "text": "plain_text_input", "email": "email_text_input", "integer": "number_input",
        "decimal": "number_input", "datetime": "datetimepicker", "location": "plain_text_input",
        "file": "file_input",
    }
    for kind, element in kinds.items():
        assert _element(FieldSpec("x", "X", kind))["type"] == element, kind
    assert _element(FieldSpec("x", "X", "decimal"))["is_decimal_allowed"] is True
    assert _element(FieldSpec("x", "X", "integer"))["is_decimal_allowed"] is False


def test_choices_become_selects_or_checkboxes_and_very_long_lists_are_typed():
    few, many = OPTIONS[:4], tuple((f"c{i}", f"Country {i}") for i in range(250))
    assert _element(FieldSpec("x", "X", "choice", options=OPTIONS))["type"] == "static_select"
    assert _element(FieldSpec("x", "X", "choice", options=many))["type"] == "plain_text_input"
    assert _element(FieldSpec("x", "X", "multichoice", options=few))["type"] == "checkboxes"
    multi = _element(FieldSpec("x", "X", "multichoice", options=OPTIONS))
    assert multi["type"] == "multi_static_select"
    assert _element(FieldSpec("x", "X", "multichoice", options=many))["type"] == "plain_text_input"


def test_a_modal_is_prefilled_with_the_answers_given_so_far():
    view = _form(
        FieldSpec("name", "Name", "text", initial="Ann", min_length=2, max_length=80),
        FieldSpec("kind", "Kind", "choice", options=OPTIONS, initial="v3"),
        FieldSpec("tags", "Tags", "multichoice", options=OPTIONS, initial=["v1", "v2"]),
        FieldSpec("country", "Country", "choice", options=tuple(
            (f"c{i}", f"Country {i}") for i in range(250)), initial="c7"),
        FieldSpec("qty", "Quantity", "integer", initial="12"),
        FieldSpec("when", "When", "datetime", initial="2026-12-01T14:00:00+00:00"),
    )
    name, kind, tags, country, qty, when = (b["element"] for b in view["blocks"])
    assert (name["initial_value"], name["min_length"], name["max_length"]) == ("Ann", 2, 80)
    assert kind["initial_option"]["value"] == "v3"
    assert [o["value"] for o in tags["initial_options"]] == ["v1", "v2"]
    assert country["initial_value"] == "Country 7"
    assert qty["initial_value"] == "12"
    assert when["initial_date_time"] == 1796133600


def test_a_modal_keeps_within_slacks_limits():
    long = "A very long form title that Slack would refuse"
    view = _form(FieldSpec("x", "X", "text", required=False, hint="a hint"), title=long)
    assert check_view(view) is None
    assert len(view["title"]["text"]) <= 24
    assert view["blocks"][0]["optional"] is True
    assert view["blocks"][0]["hint"]["text"] == "a hint"
    assert json.loads(view["private_metadata"]) == {"form_id": "f1", "token": "tok123"}
    assert modals.metadata(view) == ("f1", "tok123")


def test_modal_state_is_read_back_as_raw_values_by_field_name():
    state = {
        "name": {"value": {"type": "plain_text_input", "value": "Ann"}},
        "email": {"value": {"type": "email_text_input", "value": None}},
        "qty": {"value": {"type": "number_input", "value": "12.5"}},
        "kind": {"value": {"type": "static_select", "selected_option": {"value": "v3"}}},
        "none": {"value": {"type": "static_select", "selected_option": None}},
        "tags": {"value": {"type": "multi_static_select",
                           "selected_options": [{"value": "v1"}, {"value": "v2"}]}},
        "roles": {"value": {"type": "checkboxes", "selected_options": []}},
        "day": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
        "when": {"value": {"type": "datetimepicker", "selected_date_time": 1796133600}},
        "doc": {"value": {"type": "file_input", "files": [{"id": "F1"}]}},
    }
    assert modals.read_values(state) == {
        "name": "Ann", "email": None, "qty": "12.5", "kind": "v3", "none": None,
        "tags": ["v1", "v2"], "roles": [], "day": "2026-12-01",
        "when": "2026-12-01T14:00:00+00:00", "doc": ["F1"],
    }


def test_field_errors_land_on_their_blocks_and_general_errors_on_the_first():
    view = _form(FieldSpec("a", "A", "text"), FieldSpec("b", "B", "text"))
    shown = modals.errors_for(view, {"b": "B is wrong.", "_": "Try again."})
    assert shown == {"b": "B is wrong.", "a": "Try again."}


def test_user_text_is_escaped_so_mentions_and_links_stay_inert():
    text, rendered = blocks.message(Reply("Hi <!here> & <@U123> <https://x.example|x>"))
    assert text == "Hi &lt;!here&gt; &amp; &lt;@U123&gt; &lt;https://x.example|x&gt;"
    assert rendered[0]["text"] == {"type": "mrkdwn", "text": text}


def test_a_long_reply_is_split_into_sections_slack_accepts():
    _, rendered = blocks.message(Reply("<" * 5000))
    assert len(rendered) == 7
    assert all(len(b["text"]["text"]) <= 3000 for b in rendered)
    assert "".join(b["text"]["text"] for b in rendered) == "&lt;" * 5000


def test_a_list_page_shows_items_with_their_buttons_and_the_page_number():
    page = ListPage("Pellets <b>", (ListItem("ENplus A1", "6 mm", Button("Open", "tok|open:1")),
                                    ListItem("Chips")), 2, 5,
                    ((Button("◀", "tok|prev"), Button("▶", "tok|next")),))
    _, rendered = blocks.message(page)
    assert check_message_blocks(rendered) is None
    assert rendered[0]["text"]["text"] == "*Pellets &lt;b&gt;*"
    assert rendered[1]["accessory"]["value"] == "tok|open:1"
    assert rendered[3]["elements"][0]["text"] == "Page 2 of 5"
    assert [e["value"] for e in rendered[4]["elements"]] == ["tok|prev", "tok|next"]


def test_a_form_outside_a_modal_is_offered_as_an_open_form_button():
    _, rendered = blocks.message(FormReply("registration", "Registration", (), token="abc"))
    assert rendered[-1]["elements"][0]["value"] == "abc|^form"


def test_slash_command_text_becomes_an_engine_command():
    assert to_command("") == Command("start")
    assert to_command("  profile ") == Command("profile")
    assert to_command("Link AB12CD") == Command("link", "AB12CD")
    assert to_command("/help") == Command("help")


def test_dm_text_is_unwrapped_from_slacks_link_and_entity_markup():
    event = {"text": "<mailto:ann@example.com|ann@example.com> &lt;3 &amp; <https://a.example>"}
    assert to_inbound(event) == Text("ann@example.com <3 & https://a.example")
    photo = {"files": [{"id": "F1", "name": "p.png", "mimetype": "image/png", "size": 10}]}
    assert to_inbound(photo) == FileUpload("F1", "p.png", "image/png", 10, kind="photo")


def test_a_text_too_long_for_its_place_is_cut_after_a_whole_word():
    from bots.slack.blocks import clip

    label = "Keep “FCA — handed to buyer's carrier at the seller's premises”"
    cut = clip(label, 40)
    assert cut == "Keep “FCA — handed to buyer's carrier…" and len(cut) <= 40
    assert clip("Short enough", 40) == "Short enough"
    assert clip("x" * 50, 20) == "x" * 19 + "…"  # one long word: cut inside it, having no space
    assert clip("Line one\nLine two is long", 14) == "Line one\nLine…"  # a whole word already
    assert clip("Line one\nLinetwo is long", 14) == "Line one…"
