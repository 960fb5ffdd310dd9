"""The consultant forms' own parsing: weekly hours as people write them, languages by name,
days off, and a search line's filters."""

from __future__ import annotations

import re

import pytest

from conversations.fields import FieldError
from conversations.flows.consulting.consultant_fields import details_form, parse_week, short_form, week_text
from conversations.flows.consulting.consultant_query import chips, parse
from core.i18n import Visitor
from core.i18n.typed import weekday_names
from core.money.reading import reading


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


@pytest.mark.parametrize(("language", "typed"), [
    ("de", "Mo-Fr 9-17; Sa. 10:00-13:00"), ("et", "E-R 9-17; L 10-13"),
    ("fi", "ma-pe 9-17, la 10-13"), ("pl", "pon.-pt. 9-17; sob. 10-13"),
    ("fr", "lundi-vendredi 9-17; sam. 10-13"), ("en", "Monday-Friday 9-17; Sat 10-13")])
def test_weekly_hours_in_the_consultants_own_language_and_back(language, typed):
    """Days by the reader's names (and any unmistakable one of another language); shown again
    in their names, which read back to the same week."""
    with reading(Visitor(language)):
        week = parse_week(typed)
        assert week == {**{d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
                        "sat": [["10:00", "13:00"]]}
        shown = week_text(week)
        assert parse_week(shown) == week
    assert shown.startswith(weekday_names(language)[0])


def test_a_day_with_two_spans_reads_back_and_a_wrong_day_is_answered_in_the_readers_words():
    with reading(Visitor("de")):
        week = parse_week("Mo 09:00-12:00, 13:00-17:00")
        assert week == {"mon": [["09:00", "12:00"], ["13:00", "17:00"]]}
        assert parse_week(week_text(week)) == week
        with pytest.raises(FieldError, match=re.escape("Mo., Di. … So.")):
            parse_week("Xy 9-17")
        with pytest.raises(FieldError, match=re.escape("Mo.-Fr. 09:00-17:00")):
            parse_week("09:00-17:00")


def test_days_off_are_read_and_shown_as_the_reader_writes_dates():
    days = next(f for f in details_form().fields if f.name == "days_off")
    with reading(Visitor("de")):
        assert days.parse_raw("24.12.2026, 31.12.2026") == ["2026-12-24", "2026-12-31"]
        assert days.display(["2026-12-24", "2026-12-31"]) == "24.12.2026; 31.12.2026"
        assert "24.12.2026" in days.hint_text()
        with pytest.raises(FieldError, match=re.escape("24.12.2026")):
            days.parse_raw("Weihnachten")
        with pytest.raises(FieldError, match="zweifach"):  # 3 April or 4 March?
            days.parse_raw("03/04/2026; 24.12.2026")
