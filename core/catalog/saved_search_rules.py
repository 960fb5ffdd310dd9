"""A buyer's saved searches, on plain values (no database): how many one keeps, how their
alerts come, and when the daily digest goes in the buyer's own zone."""

from __future__ import annotations

from datetime import datetime

from core.clock import zone
from core.errors import DomainError, NotAllowed
from core.i18n import _

MAX_SAVED = 20  # saved searches one person keeps
DIGEST_HOUR = 7  # local time of the daily digest
ALERT_MODES = ("instant", "digest")


def check_may_save(saved: int) -> None:
    """One more saved search, with `saved` kept already: refused at MAX_SAVED."""
    if saved >= MAX_SAVED:
        raise NotAllowed(_("You can keep at most {max_saved} saved searches; delete one first.",
                           max_saved=MAX_SAVED))


def check_alert_mode(mode: str) -> None:
    """Alerts come at once ("instant") or in the daily digest ("digest")."""
    if mode not in ALERT_MODES:
        raise DomainError(_("Choose alerts at once or a daily digest."))


def digest_day(now: datetime, zone_name: str | None, hour: int = DIGEST_HOUR) -> str | None:
    """The buyer's local day (ISO) when `now` is in their digest's hour in their own zone (no
    zone: UTC), else None; the day names the digest, so it goes once a local day."""
    local = now.astimezone(zone(zone_name))
    return local.date().isoformat() if local.hour == hour else None
