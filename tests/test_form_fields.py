"""Typed fields: each accepts what it should and explains what it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conversations.fields import ChoiceField, FieldError, FileField, MultiChoiceField, TextField
from conversations.messages import FileUpload, Text
from conversations.number_and_date_fields import DateTimeField, DecimalField, IntegerField
from conversations.profile_fields import QuietHoursField, TimezoneField


def refuses(field, raw, message):
    with pytest.raises(FieldError, match=message):
        field.parse_raw(raw)


def test_integers_are_whole_numbers_within_bounds():
    field = IntegerField("qty", "Quantity", minimum=1, maximum=1000)
    assert field.parse_raw(" 1 000 ") == 1000
    refuses(field, "12.5", "whole number")
    refuses(field, "0", "between 1 and 1,000")
    refuses(field, "lots", "whole number")


def test_decimals_accept_a_comma_and_keep_exact_places():
    field = DecimalField("price", "Price", minimum=Decimal("0.01"), maximum=Decimal(1000), places=2)
    assert field.parse_raw("12,5") == "12.5"
    refuses(field, "1.234", "at most 2 decimal places")
    refuses(field, "NaN", "must be a number")
    refuses(field, "5000", "between")


def test_text_strips_control_characters_and_direction_overrides():
    field = TextField("t", "Title", max_length=10)
    assert field.parse_raw("ab\u202ecd\x00") == "abcd"
    refuses(field, "x" * 11, "at most 10 characters")
    refuses(field, "a\nb", "one line")


def test_a_choice_matches_its_value_or_label_in_any_case():
    field = ChoiceField("c", "Currency", choices=[("EUR", "Euro"), ("USD", "US dollar")])
    assert field.parse_raw("euro") == "EUR"
    refuses(field, "yen", "not one of the options")


def test_multi_choice_takes_a_typed_list_and_counts_it():
    field = MultiChoiceField("m", "Roles", choices=[("a", "Alpha"), ("b", "Beta")], max_selected=1)
    assert field.parse_raw("alpha") == ["a"]
    refuses(field, "alpha, beta", "at most 1")


def test_datetimes_carry_a_time_zone():
    field = DateTimeField("when", "Start", default_tz="Europe/Riga")
    assert field.parse_raw("2026-12-01 14:00") == "2026-12-01T14:00:00+02:00"
    assert field.parse_raw("2026-07-01 14:00 Europe/London") == "2026-07-01T14:00:00+01:00"
    refuses(field, "2026-12-01 14:00 Mars/Olympus", "time zone")
    refuses(field, "the day after never", "date and time")


def test_files_are_checked_for_type_and_size():
    field = FileField("doc", "Certificate", mime_types=("application/pdf",), max_bytes=1024)
    ok = FileUpload("id1", "cert.pdf", "application/pdf", 1000)
    assert field.parse(ok)["name"] == "cert.pdf"
    with pytest.raises(FieldError, match="isn't accepted"):
        field.parse(FileUpload("id2", "x.exe", "application/x-msdownload", 10))
    with pytest.raises(FieldError, match="limit is"):
        field.parse(FileUpload("id3", "big.pdf", "application/pdf", 2_000_000))
    with pytest.raises(FieldError, match="as a file"):
        field.parse(Text("here it is"))


def test_quiet_hours_and_time_zones():
    assert QuietHoursField("q", "Quiet hours").parse_raw("22:00 - 7:00") == "22:00-07:00"
    assert QuietHoursField("q", "Quiet hours").parse_raw("none") is None
    refuses(QuietHoursField("q", "Quiet hours"), "late", "HH:MM-HH:MM")
    assert TimezoneField("tz", "Time zone").parse_raw("europe/riga") == "Europe/Riga"
    refuses(TimezoneField("tz", "Time zone"), "Moon/Base", "don't know the time zone")


def test_a_keep_button_quotes_a_long_answer_up_to_a_whole_word_and_marks_the_cut():
    from conversations.form_runner import _ask
    from conversations.forms import Form
    from conversations.labels import shortened

    field = TextField("place", "Incoterms place", max_length=200)
    long = "Ventspils free port, berth 12 beside the grain terminal"
    reply = _ask(Form("f", "Form", [field]), {"i": 0, "values": {"place": long}})
    [keep] = [b.label for row in reply.buttons for b in row if b.label.startswith("Keep")]
    assert keep == "Keep “Ventspils free port, berth 12 beside…”"
    assert shortened("FCA — handed to buyer's carrier", 30) == "FCA — handed to buyer's…"
    assert shortened("FCA — handed to buyer's carrier") == "FCA — handed to buyer's carrier"
    assert shortened("x" * 50, 10) == "x" * 9 + "…"  # one word longer than the room
