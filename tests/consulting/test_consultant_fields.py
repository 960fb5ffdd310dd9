"""The consultant forms' own parsing: weekly hours as people write them, languages by name,
days off, and a search line's filters."""

from __future__ import annotations

import pytest

from conversations.fields import FieldError
from conversations.flows.consultant_fields import details_form, parse_week, short_form
from conversations.flows.consultant_query import chips, parse


def test_weekly_hours_are_read_as_people_write_them():
    assert parse_week("Mon-Fri 09:00-17:00; Sat 10-13") == {
        **{d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
        "sat": [["10:00", "13:00"]]}
    for bad, said in (("Fri-Mon 9-17", "backwards"), ("Mon 17-9", "end before"),
                      ("Funday 9-17", "not a day"), ("Mon 25:00-26:00", "not a time")):
        with pytest.raises(FieldError, match=said):
            parse_week(bad)


def test_languages_by_name_or_code_and_days_off_as_a_list():
    languages = next(f for f in short_form().fields if f.name == "languages")
    assert languages.parse_raw("Latvian, en") == ["lv", "en"]
    with pytest.raises(FieldError, match="not a language"):
        languages.parse_raw("Elvish")
    days = next(f for f in details_form().fields if f.name == "days_off")
    assert days.parse_raw("2026-12-24, 2026-12-31") == ["2026-12-24", "2026-12-31"]


def test_a_search_line_gives_words_and_filters_each_shown_as_a_chip():
    query = parse("biogas permits in german over 50 eur under 150 eur 4.5+ stars online "
                  "free within 3 days")
    assert query == {"text": "biogas permits", "category": "biogas-plants", "language": "de",
                     "price_min": 5000, "price_max": 15000, "min_rating": "4.5",
                     "online_now": True, "free_within_days": 3}
    assert [label for label, _ in chips(query)] == [
        "✕ Biogas plants", "✕ German", "✕ ≥ €50.00/h", "✕ ≤ €150.00/h", "✕ ★ 4.5+",
        "✕ online now", "✕ free within 3 days"]
