"""What a consultant may write in their profile: each change checked and put in the form it is
kept in (texts within their limits, a rate in a known currency, hours, bounds, days off, a
meeting link) before `service.save` stores it."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.numbers import list_currencies

from core.consulting.bookings.availability import parse_hours, zone_of
from core.consulting.profiles.taxonomy import (
    MAX_KEYWORDS,
    RATE_KINDS,
    SESSION_MINUTES,
    check_categories,
    check_languages,
)
from core.consulting.profiles.view import ProfileView
from core.errors import DomainError
from core.i18n import N_, _, countries
from core.money.model import Money

TEXT_LIMITS = {"headline": 120, "bio": 2000}
BOUNDS = {"notice_minutes": (0, 30 * 24 * 60), "buffer_minutes": (0, 240), "daily_max": (1, 48),
          "horizon_days": (1, 365)}
BOUND_LABELS = {"notice_minutes": N_("Minimum notice before a booking (minutes)"),
                "buffer_minutes": N_("Buffer between sessions (minutes)"),
                "daily_max": N_("Most sessions a day"),
                "horizon_days": N_("How far ahead seekers may book (days)")}
SLOT_MINUTES = (15, 30, 60)  # the steps in which a consultant's starts are offered


def _checked(profile: ProfileView, changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("headline", "bio"):
        if name in changes:
            text = str(changes[name] or "").strip()
            if len(text) > TEXT_LIMITS[name]:
                raise DomainError(_("The {name} is {count} characters; at most "
                                    "{most}.", name=name, count=len(text), most=TEXT_LIMITS[name]))
            out[name] = text
    if "categories" in changes:
        out["categories"] = check_categories(list(changes["categories"]))
    if "keywords" in changes:
        out["keywords"] = _keywords(changes["keywords"])
    if "languages" in changes:
        out["languages"] = check_languages(list(changes["languages"]))
    out |= _rate(profile, changes)
    if "inspection_fee" in changes:
        out["inspection_fee_minor"] = _fee(changes["inspection_fee"],
                                           out.get("currency", profile.currency))
    if "countries_served" in changes:
        out["countries_served"] = _countries(changes["countries_served"] or [])
    if "timezone" in changes:
        out["timezone"] = zone_of(str(changes["timezone"])).key
    if "weekly_hours" in changes:
        parse_hours(changes["weekly_hours"])
        out["weekly_hours"] = {d: [list(span) for span in spans]
                               for d, spans in changes["weekly_hours"].items() if spans}
    for name, (low, high) in BOUNDS.items():
        if name in changes:
            value = int(changes[name])
            if not low <= value <= high:
                raise DomainError(_("{field} must be between "
                                    "{low} and {high}.",
                                    field=_(BOUND_LABELS[name]), low=low, high=high))
            out[name] = value
    if "days_off" in changes:
        out["days_off"] = _days(changes["days_off"])
    if "meeting_url" in changes:
        out["meeting_url"] = _url(changes["meeting_url"])
    if "slot_minutes" in changes:
        if int(changes["slot_minutes"]) not in SLOT_MINUTES:
            raise DomainError(_("Times are offered every 15, 30 or 60 minutes."))
        out["slot_minutes"] = int(changes["slot_minutes"])
    return out


def _keywords(words: Any) -> list[str]:
    found: list[str] = []
    for word in words:
        text = " ".join(str(word).split())[:40]
        if text and text.lower() not in (w.lower() for w in found):
            found.append(text)
    if len(found) > MAX_KEYWORDS:
        raise DomainError(_("At most {max_keywords} keywords.", max_keywords=MAX_KEYWORDS))
    return found


def _rate(profile: ProfileView, changes: dict[str, Any]) -> dict[str, Any]:
    if not {"rate_kind", "session_minutes", "price", "currency"} & set(changes):
        return {}
    kind = changes.get("rate_kind", profile.rate_kind)
    currency = str(changes.get("currency", profile.currency)).upper()
    if kind not in RATE_KINDS:
        raise DomainError(_("Charge per session (30 or 60 minutes) or per minute."))
    minutes = changes.get("session_minutes", profile.session_minutes) if kind == "session" else None
    if kind == "session" and minutes not in SESSION_MINUTES:
        raise DomainError(_("A session lasts 30 or 60 minutes."))
    if currency not in list_currencies():
        raise DomainError(_("“{currency}” is not a currency code.", currency=currency))
    price = changes.get("price")
    if price is None:
        minor = profile.rate.amount if profile.rate is not None else None
    else:
        minor = (price if isinstance(price, Money) else Money.parse(str(price), currency)).amount
    if minor is None or minor <= 0:
        raise DomainError(_("The rate must be more than zero."))
    return {"rate_kind": kind, "session_minutes": minutes, "price_minor": minor,
            "currency": currency}


def _fee(fee: Any, currency: str) -> int | None:
    """An inspector's fixed fee per inspection in the rate's currency; empty: none offered."""
    if fee in (None, ""):
        return None
    minor = (fee if isinstance(fee, Money) else Money.parse(str(fee), currency)).amount
    if minor <= 0:
        raise DomainError(_("The fee per inspection must be more than zero."))
    return minor


def _countries(codes: Any) -> list[str]:
    """ISO country codes, upper-cased, each once, in order; DomainError naming an unknown one."""
    seen: list[str] = []
    for code in codes:
        folded = str(code).strip().upper()
        if folded not in countries.codes():
            raise DomainError(_("“{code}” is not a country code: use two letters, like LV, DE.",
                                code=str(code)[:20]))
        if folded not in seen:
            seen.append(folded)
    return seen


def _days(values: Any) -> list[str]:
    try:
        return sorted({(v if isinstance(v, date) else date.fromisoformat(str(v))).isoformat()
                       for v in values})
    except ValueError:
        raise DomainError(_("Days off are dates, like 2026-12-24.")) from None


def _url(value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.startswith("https://") or len(text) > 300 or any(c.isspace() for c in text):
        raise DomainError(_("The meeting link must be an https:// address."))
    return text
