"""The consultant profile's fields: weekly hours typed as people write them (“Mon-Fri
09:00-17:00; Sat 10-13”), languages by name or code, keywords as a comma list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from conversations.fields import (
    ChoiceField,
    DecimalField,
    Field,
    FieldError,
    MultiChoiceField,
    Raw,
    TextField,
)
from conversations.forms import Form
from core.consulting.profiles.taxonomy import CATEGORIES, WEEKDAYS, language_code, language_name

_DAY_NAMES = {d: d for d in WEEKDAYS} | {
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "saturday": "sat", "sunday": "sun", "tues": "tue", "thur": "thu", "thurs": "thu"}
_TIME = r"(\d{1,2})(?::(\d{2}))?"
_PART = re.compile(rf"^([a-z]+)(?:\s*-\s*([a-z]+))?\s+{_TIME}\s*-\s*{_TIME}$")


def _day(word: str) -> int:
    name = _DAY_NAMES.get(word.lower())
    if name is None:
        raise FieldError(f"“{word}” is not a day: write Mon, Tue … Sun.")
    return WEEKDAYS.index(name)


def _clock(hours: str, minutes: str | None) -> str:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise FieldError(f"{hours}:{minutes or '00'} is not a time of day.")
    return f"{h:02d}:{m:02d}"


def parse_week(text: str) -> dict[str, list[list[str]]]:
    """“Mon-Fri 09:00-17:00; Sat 10-13” → {"mon": [["09:00", "17:00"]], …, "sat": …}."""
    week: dict[str, list[list[str]]] = {}
    for part in re.split(r"[;,\n]+", text.strip().lower()):
        part = " ".join(part.split())
        if not part:
            continue
        found = _PART.match(part)
        if not found:
            raise FieldError(f"“{part[:40]}”: write days and hours like Mon-Fri 09:00-17:00.")
        first, last = _day(found.group(1)), _day(found.group(2) or found.group(1))
        if last < first:
            raise FieldError(f"“{part[:40]}”: the days run backwards.")
        start, end = _clock(found.group(3), found.group(4)), _clock(found.group(5), found.group(6))
        if start >= end:
            raise FieldError(f"“{part[:40]}”: the hours end before they start.")
        for index in range(first, last + 1):
            week.setdefault(WEEKDAYS[index], []).append([start, end])
    if not week:
        raise FieldError("Write at least one day with hours, like Mon-Fri 09:00-17:00.")
    return week


def week_text(week: dict[str, list[list[str]]]) -> str:
    """The weekly hours as one line again (“mon 09:00-17:00; …”)."""
    return "; ".join(f"{d.capitalize()} " + ", ".join(f"{a}-{b}" for a, b in week[d])
                     for d in WEEKDAYS if week.get(d))


@dataclass
class WeekField(Field):
    kind: ClassVar[str] = "text"

    def parse_raw(self, raw: Raw) -> dict[str, list[list[str]]]:
        return parse_week(self._require(raw))

    def display(self, value: Any) -> str:
        return week_text(value) if isinstance(value, dict) else super().display(value)


@dataclass
class ListField(TextField):
    """Comma-separated words (keywords, language codes or names)."""

    languages: bool = False

    def parse_raw(self, raw: Raw) -> list[str]:  # type: ignore[override]
        items = [" ".join(w.split()) for w in re.split(r"[,;]", super().parse_raw(raw))]
        items = [w for w in items if w]
        return [_language_code(w) for w in items] if self.languages else items

    def display(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(language_name(v) if self.languages else v for v in value)
        return super().display(value)


def _language_code(word: str) -> str:
    """A language by its code (“lv”) or English name (“Latvian”)."""
    code = language_code(word)
    if code is None:
        raise FieldError(f"“{word[:30]}” is not a language: write English or en, Latvian or lv.")
    return code


def short_form() -> Form:
    """What a profile needs to go live, asked one by one (one Slack modal)."""
    return Form("consultant", "Your consultant profile", [
        TextField("headline", "Headline (one line people see first)", max_length=120),
        TextField("bio", "About you (at least 40 characters)", min_length=40, max_length=2000,
                  multiline=True),
        MultiChoiceField("categories", "Expertise", choices=list(CATEGORIES.items())),
        ListField("languages", "Languages you consult in", languages=True, max_length=200,
                  hint="For example: English, Latvian (or en, lv)."),
        ChoiceField("rate_kind", "How you charge", choices=[
            ("session", "Per session"), ("minute", "Per minute")]),
        ChoiceField("session_minutes", "Session length", choices=[("30", "30 minutes"),
                                                                  ("60", "60 minutes")],
                    when=lambda v: v.get("rate_kind") == "session"),
        DecimalField("price", "Price (per session, or per minute)", places=2),
        WeekField("weekly_hours", "Weekly hours, in your time zone",
                  hint="Like: Mon-Fri 09:00-17:00; Sat 10:00-13:00")],
        submit_label="Preview")


def details_form() -> Form:
    """Optional details offered on the preview."""
    return Form("consultant_details", "Profile details", [
        ListField("keywords", "Keywords (comma-separated)", max_length=400, required=False),
        DecimalField("notice_minutes", "Minimum notice before a booking (minutes)", places=0),
        DecimalField("buffer_minutes", "Buffer between sessions (minutes)", places=0),
        DecimalField("daily_max", "At most this many sessions a day", places=0),
        TextField("meeting_url", "Your meeting link (https://…)", max_length=300, required=False),
        ListField("days_off", "Days off (dates, comma-separated)", max_length=400, required=False,
                  hint="Like 2026-12-24, 2026-12-31.")],
        submit_label="Save")
