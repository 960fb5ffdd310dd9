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
from core.i18n import N_, _

_DAY_NAMES = {d: d for d in WEEKDAYS} | {
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "saturday": "sat", "sunday": "sun", "tues": "tue", "thur": "thu", "thurs": "thu"}
_TIME = r"(\d{1,2})(?::(\d{2}))?"
_PART = re.compile(rf"^([a-z]+)(?:\s*-\s*([a-z]+))?\s+{_TIME}\s*-\s*{_TIME}$")


def _day(word: str) -> int:
    name = _DAY_NAMES.get(word.lower())
    if name is None:
        raise FieldError(_("“{word}” is not a day: write Mon, Tue … Sun.", word=word))
    return WEEKDAYS.index(name)


def _clock(hours: str, minutes: str | None) -> str:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise FieldError(_("{hours}:{minutes} is not a time of day.", hours=hours, minutes=minutes or "00"))
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
            raise FieldError(_("“{part}”: write days and hours like Mon-Fri 09:00-17:00.", part=part[:40]))
        first, last = _day(found.group(1)), _day(found.group(2) or found.group(1))
        if last < first:
            raise FieldError(_("“{part}”: the days run backwards.", part=part[:40]))
        start, end = _clock(found.group(3), found.group(4)), _clock(found.group(5), found.group(6))
        if start >= end:
            raise FieldError(_("“{part}”: the hours end before they start.", part=part[:40]))
        for index in range(first, last + 1):
            week.setdefault(WEEKDAYS[index], []).append([start, end])
    if not week:
        raise FieldError(_("Write at least one day with hours, like Mon-Fri 09:00-17:00."))
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
        raise FieldError(_("“{word}” is not a language: write English or en, Latvian or lv.", word=word[:30]))
    return code


def short_form() -> Form:
    """What a profile needs to go live, asked one by one (one Slack modal)."""
    return Form("consultant", N_("Your consultant profile"), [
        TextField("headline", N_("Headline (one line people see first)"), max_length=120),
        TextField("bio", N_("About you (at least 40 characters)"), min_length=40, max_length=2000,
                  multiline=True),
        MultiChoiceField("categories", N_("Expertise"), choices=list(CATEGORIES.items())),
        ListField("languages", N_("Languages you consult in"), languages=True, max_length=200,
                  hint=N_("For example: English, Latvian (or en, lv).")),
        ChoiceField("rate_kind", N_("How you charge"), choices=[
            ("session", N_("Per session")), ("minute", N_("Per minute"))]),
        ChoiceField("session_minutes", N_("Session length"), choices=[("30", N_("30 minutes")),
                                                                      ("60", N_("60 minutes"))],
                    when=lambda v: v.get("rate_kind") == "session"),
        DecimalField("price", N_("Price (per session, or per minute)"), places=2),
        WeekField("weekly_hours", N_("Weekly hours, in your time zone"),
                  hint=N_("Like: Mon-Fri 09:00-17:00; Sat 10:00-13:00"))],
        submit_label=N_("Preview"))


def details_form() -> Form:
    """Optional details offered on the preview."""
    return Form("consultant_details", N_("Profile details"), [
        ListField("keywords", N_("Keywords (comma-separated)"), max_length=400, required=False),
        DecimalField("notice_minutes", N_("Minimum notice before a booking (minutes)"), places=0),
        DecimalField("buffer_minutes", N_("Buffer between sessions (minutes)"), places=0),
        DecimalField("daily_max", N_("At most this many sessions a day"), places=0),
        TextField("meeting_url", N_("Your meeting link (https://…)"), max_length=300, required=False),
        ListField("days_off", N_("Days off (dates, comma-separated)"), max_length=400, required=False,
                  hint=N_("Like 2026-12-24, 2026-12-31."))],
        submit_label=N_("Save"))
