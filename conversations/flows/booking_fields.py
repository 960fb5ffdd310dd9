"""Up to three times proposed for a session (by the seeker, or by the consultant answering),
typed in the reader's own zone: “2026-12-03 14:00” or “3.12. 14:00”."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

from conversations.fields import Field, FieldError, Raw
from conversations.forms import Form
from core.i18n import N_, _


class TimeField(Field):
    """A local date and time (its zone is applied when the answers are read)."""

    kind: ClassVar[str] = "text"
    today: date | None = None

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw)
        try:
            moment = dateparser.parse(text, dayfirst="." in text, default=datetime(
                *(self.today or datetime.now(UTC).date()).timetuple()[:3], 9, 0))
        except (ValueError, OverflowError):
            raise FieldError(_("{label}: write a day and time, like 2026-12-03 14:00.",
                               label=_(self.label))) from None
        if moment.tzinfo is not None:
            raise FieldError(_("{label}: write the time in your own zone, without one.",
                               label=_(self.label)))
        return moment.replace(second=0, microsecond=0).isoformat(timespec="minutes")


_TIME_LABELS = (N_("Time 1"), N_("Time 2"), N_("Time 3"))


def times_form(today: date) -> Form:
    fields = []
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
