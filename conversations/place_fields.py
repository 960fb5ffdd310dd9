"""Where someone or something is: a place from the gazetteer, typed (typos offered the right
spelling with one tap) or shared as a location (turned into the nearest named place)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conversations.fields import FieldError, LocationField, Raw
from conversations.messages import Choice, Inbound, Location
from core.catalog import gazetteer

KEEP_TYPED = "="  # a suggestion's value that keeps the text as typed


@dataclass
class CityField(LocationField):
    """A known place; with `keep_typed`, a name the gazetteer doesn't know may be kept as
    typed when the person insists (one tap), without coordinates."""

    keep_typed: bool = False
    country_from: str = ""  # the answer naming the country to prefer (Paris, FR over Paris, US)

    def parse_in(self, msg: Inbound, values: dict[str, Any]) -> dict[str, Any]:
        country = values.get(self.country_from) if self.country_from else None
        if isinstance(msg, Location):
            super().parse(msg)  # off the map is refused there
            near = gazetteer.nearest(msg.latitude, msg.longitude)
            return {**near.as_dict(), "lat": msg.latitude, "lon": msg.longitude}
        text = msg.data if isinstance(msg, Choice) else super().parse(msg)["city"]
        if isinstance(msg, Choice) and text.startswith(KEEP_TYPED) and self.keep_typed:
            return {"city": super().parse_raw(text[1:])["city"]}
        return self.lookup(text, country if isinstance(country, str) else None)

    def parse(self, msg: Inbound) -> dict[str, Any]:
        return self.parse_in(msg, {})

    def parse_raw(self, raw: Raw) -> dict[str, Any]:
        return self.lookup(super().parse_raw(raw)["city"], None)

    def lookup(self, text: str, country: str | None) -> dict[str, Any]:
        """The place `text` names (“Riga” or “Riga, LV”), or the choices to fix a typo."""
        name, _, code = text.partition(",")
        place, close = gazetteer.resolve(name, (code.strip().upper() or country or None))
        if place:
            return place.as_dict()
        offers = [(p.label, p.label) for p in close]
        if self.keep_typed:
            offers.append((KEEP_TYPED + name.strip()[:60], f"Keep “{name.strip()[:30]}” as typed"))
        hint = " Did you mean one of these?" if close else " Try a nearby larger town."
        raise FieldError(f"I don't know the place “{name.strip()[:40]}”.{hint}", offers)

    def display(self, value: Any) -> str:
        if not value:
            return "—"
        return f"{value.get('city') or ''}, {value.get('country') or ''}".strip(", ") or (
            f"{value['lat']:.4f}, {value['lon']:.4f}" if "lat" in value else "—")
