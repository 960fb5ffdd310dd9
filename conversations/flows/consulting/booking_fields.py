"""Up to three times proposed for a session (by the seeker, or by the consultant answering),
typed in the reader's own zone and conventions: “2026-12-03 14:00”, “3.12. 14:00”,
“12/3/2026 2:00 pm”."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from babel.dates import format_time
from dateutil import parser as dateparser

from conversations.fields import Field, FieldError, Raw
from conversations.forms import Form
from conversations.number_and_date_fields import typed_day
from core.i18n import N_, READER_LOCALE, _
from core.i18n.typed import Ambiguous, date_example, read_date


class TimeField(Field):
    """A local date and time (its zone is applied when the answers are read)."""

    kind: ClassVar[str] = "text"
    today: date | None = None

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw)
        today = self.today or datetime.now(UTC).date()
        local = _TYPED.fullmatch(text.lower())
        if not local and _a_day(text, today):  # a day alone: at nine
            return datetime.combine(typed_day(text, self.label, today), time(9)).isoformat(
                timespec="minutes")
        if local:
            day = typed_day(local["day"], self.label, today) if local["day"] else today
            hour = int(local["hour"]) % 12 + (12 if local["half"] == "pm" else 0) \
                if local["half"] else int(local["hour"])
            if hour > 23 or int(local["minute"]) > 59:
                raise FieldError(_("{label}: write a day and time, like {example}.",
                                   label=_(self.label), example=_time_example()))
            return datetime.combine(day, time(hour, int(local["minute"]))).isoformat(
                timespec="minutes")
        return self._anything_else(text, today)

    def _anything_else(self, text: str, today: date) -> str:
        """Forms the reader's conventions don't cover (“Dec 3 2pm”), read as English."""
        try:
            moment = dateparser.parse(text, dayfirst="." in text, default=datetime(
                *today.timetuple()[:3], 9, 0))
        except (ValueError, OverflowError):
            raise FieldError(_("{label}: write a day and time, like {example}.",
                               label=_(self.label), example=_time_example())) from None
        if moment.tzinfo is not None:
            raise FieldError(_("{label}: write the time in your own zone, without one.",
                               label=_(self.label)))
        return moment.replace(second=0, microsecond=0).isoformat(timespec="minutes")


# A day as the reader writes it (or none: today), then a time: “24.12.2026 14:00”, “3.12. 14.30”,
# “12/3/2026 2:00 pm”, “2026-12-03T14:00”, “14h30” (“14.30” only after a day: “3.12” is a day).
_TYPED = re.compile(r"(?:(?P<day>.*?\d.*?|.*?[^\W\d_].*?)[\s,t]+)?(?P<hour>\d{1,2})(?:[:h]|(?(day)\.|(?!)))"
                    r"(?P<minute>\d{2})\s*(?P<half>am|pm)?")


def _a_day(text: str, today: date) -> bool:
    """Whether `text` is a day in the reader's conventions (or reads as two: typed_day asks)."""
    try:
        return read_date(text, READER_LOCALE.get(), today) is not None
    except Ambiguous:
        return True


def _time_example() -> str:
    locale = READER_LOCALE.get()
    return f"{date_example(locale)} {format_time(time(14), 'short', locale=locale)}"


_TIME_LABELS = (N_("Time 1"), N_("Time 2"), N_("Time 3"))


def times_form(today: date) -> Form:
    fields: list[Field] = []
    for n, label in zip((1, 2, 3), _TIME_LABELS, strict=True):
        field = TimeField(f"time{n}", label, required=n == 1,
                          hint=N_("Like 2026-12-03 14:00, in your time zone."))
        field.today = today
        fields.append(field)
    return Form("times", N_("Propose times"), fields, submit_label=N_("Send"))


def to_times(values: dict[str, Any], zone: str) -> list[datetime]:
    """The proposed local times, as moments."""
    where = ZoneInfo(zone)
    return [datetime.fromisoformat(values[k]).replace(tzinfo=where)
            for k in ("time1", "time2", "time3") if values.get(k)]
