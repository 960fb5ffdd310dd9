"""The consultant profile's fields: weekly hours typed as people write them (“Mon-Fri
09:00-17:00; Sat 10-13”), languages by name or code, keywords as a comma list."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from conversations.fields import ChoiceField, Field, FieldError, MultiChoiceField, Raw, TextField
from conversations.forms import Form
from conversations.number_and_date_fields import DecimalField, typed_day
from conversations.profile_fields import COUNTRIES, CountriesField
from core.consulting.profiles.service import BOUND_LABELS, BOUNDS
from core.consulting.profiles.taxonomy import CATEGORIES, WEEKDAYS, language_code, language_name
from core.i18n import N_, READER_LOCALE, _, countries, current_language
from core.i18n.typed import read_weekday, weekday_names, written_date

_TIME = r"(\d{1,2})(?::(\d{2}))?"
_DAY = r"[^\W\d_]+\.?"  # a day's name in any alphabet, perhaps abbreviated (“Mo.”, “śr.”)
# A part without days (“…, 13:00-17:00”) is more hours of the days before it.
_PART = re.compile(rf"^(?:({_DAY})(?:\s*-\s*({_DAY}))?\s+)?{_TIME}\s*-\s*{_TIME}$")


def _day(word: str) -> int:
    index = read_weekday(word, current_language())
    if index is None:
        days = weekday_names(current_language())
        raise FieldError(_("“{word}” is not a day: write {days}", word=word,
                           days=f"{days[0]}, {days[1]} … {days[6]}"))
    return index


def week_example() -> str:
    """“Mon-Fri 09:00-17:00” with the reader's names of the days."""
    days = weekday_names(current_language())
    return f"{days[0]}-{days[4]} 09:00-17:00"


def _clock(hours: str, minutes: str | None) -> str:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise FieldError(_("{hours}:{minutes} is not a time of day.", hours=hours, minutes=minutes or "00"))
    return f"{h:02d}:{m:02d}"


def parse_week(text: str) -> dict[str, list[list[str]]]:
    """“Mon-Fri 09:00-17:00; Sat 10-13” → {"mon": [["09:00", "17:00"]], …, "sat": …}."""
    week: dict[str, list[list[str]]] = {}
    days: tuple[int, int] | None = None
    for part in re.split(r"[;,\n]+", text.strip().lower()):
        part = " ".join(part.split())
        if not part:
            continue
        found = _PART.match(part)
        if not found or not (found.group(1) or days):
            raise FieldError(_("“{part}”: write days and hours like {example}.", part=part[:40],
                               example=week_example()))
        if found.group(1):
            days = _day(found.group(1)), _day(found.group(2) or found.group(1))
        assert days is not None  # a part without days was refused above unless days came before
        first, last = days
        if last < first:
            raise FieldError(_("“{part}”: the days run backwards.", part=part[:40]))
        start, end = _clock(found.group(3), found.group(4)), _clock(found.group(5), found.group(6))
        if start >= end:
            raise FieldError(_("“{part}”: the hours end before they start.", part=part[:40]))
        for index in range(first, last + 1):
            week.setdefault(WEEKDAYS[index], []).append([start, end])
    if not week:
        raise FieldError(_("Write at least one day with hours, like {example}.",
                           example=week_example()))
    return week


def week_text(week: Mapping[str, Sequence[Sequence[str]]]) -> str:
    """The weekly hours as one line again, with the reader's names of the days (“Mo.
    09:00-17:00; …”), as `parse_week` reads them back."""
    names = weekday_names(current_language())
    return "; ".join(f"{names[i]} " + ", ".join(f"{a}-{b}" for a, b in week[d])
                     for i, d in enumerate(WEEKDAYS) if week.get(d))


@dataclass
class WeekField(Field):
    kind: ClassVar[str] = "text"

    def parse_raw(self, raw: Raw) -> dict[str, list[list[str]]]:
        return parse_week(self._require(raw))

    def display(self, value: Any) -> str:
        return week_text(value) if isinstance(value, dict) else super().display(value)

    def hint_text(self) -> str:
        saturday = weekday_names(current_language())[5]
        return _("Like: {example}; {saturday} 10:00-13:00", example=week_example(),
                 saturday=saturday) if self.hint else ""


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


@dataclass
class DaysField(TextField):
    """Calendar days, separated by semicolons or new lines, each written as the reader writes
    dates (“24.12.2026; 31.12.2026”, “12/24/2026”, “24. Dezember”); commas too where the
    reader's dates have none."""

    def parse_raw(self, raw: Raw) -> list[str]:  # type: ignore[override]
        text = super().parse_raw(raw)
        parts = re.split(r"[;\n]" if ";" in text or "\n" in text else r"[;,\n]", text)
        today = datetime.now(UTC).date()  # for a day written without its year
        return sorted({typed_day(p.strip(), self.label, today).isoformat()
                       for p in parts if p.strip()})

    def display(self, value: Any) -> str:
        if isinstance(value, list):
            return "; ".join(written_date(date.fromisoformat(v), READER_LOCALE.get())
                             for v in value)
        return super().display(value)

    def hint_text(self) -> str:
        locale = READER_LOCALE.get()
        return _("Like {first}; {second}", first=written_date(date(2026, 12, 24), locale),
                 second=written_date(date(2026, 12, 31), locale)) if self.hint else ""


def _language_code(word: str) -> str:
    """A language by its code (“lv”) or English name (“Latvian”)."""
    code = language_code(word)
    if code is None:
        raise FieldError(_("“{word}” is not a language: write English or en, Latvian or lv.", word=word[:30]))
    return code


def served_line(codes: Sequence[str]) -> str:
    """“Samples in: Estonia, Latvia” in the reader's names and order; "" for none."""
    if not codes:
        return ""
    names = countries.named_in(current_language(), list(codes))
    return _("Samples in: {countries}", countries=", ".join(name for __, name in names))


def _inspects(values: dict[str, Any]) -> bool:
    """Whether the profile offers sampling and lab analysis (an inspector's fee and countries)."""
    return "sampling-lab" in (values.get("categories") or [])


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
        DecimalField("inspection_fee", N_("Fee per inspection (sampling and lab analysis)"),
                     places=2, required=False, when=_inspects),
        CountriesField("countries_served", N_("Countries you sample in"), choices=COUNTRIES,
                       max_selected=60, when=_inspects,
                       hint=N_("Parties of deals whose goods are there are offered you. "
                               "For example: {country}, {code}.")),
        WeekField("weekly_hours", N_("Weekly hours, in your time zone"),
                  hint=N_("Like: {example}; {saturday} 10:00-13:00"))],
        submit_label=N_("Preview"))


def details_form() -> Form:
    """Optional details offered on the preview."""
    return Form("consultant_details", N_("Profile details"), [
        ListField("keywords", N_("Keywords (comma-separated)"), max_length=400, required=False),
        *(DecimalField(name, BOUND_LABELS[name], places=0, minimum=Decimal(low),
                       maximum=Decimal(high)) for name, (low, high) in BOUNDS.items()),
        ChoiceField("slot_minutes", N_("Offer start times every"), choices=[
            ("15", N_("15 minutes")), ("30", N_("30 minutes")), ("60", N_("60 minutes"))]),
        TextField("meeting_url", N_("Your meeting link (https://…)"), max_length=300, required=False),
        DaysField("days_off", N_("Days off"), max_length=400, required=False,
                  hint=N_("Like {first}; {second}"))],
        submit_label=N_("Save"))
