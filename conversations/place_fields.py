"""Where someone or something is: a location shared or a place name typed (`LocationField`); a
place from the gazetteer, typed (a clear typo corrected and said so, an unclear one or a name
shared by several places offered as buttons) or shared as a location (turned into the nearest
named place)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from conversations.fields import Also, Field, FieldError, Raw, text_of
from conversations.messages import Choice, Inbound, Location
from core.catalog import gazetteer
from core.i18n import _, present
from core.i18n.countries import country_name
from core.text import fold

KEEP_TYPED = "="  # a suggestion's value that keeps the text as typed


@dataclass
class LocationField(Field):
    """A shared location, or a place name typed as text."""

    kind: ClassVar[str] = "location"

    def parse(self, msg: Inbound) -> dict[str, Any]:
        if isinstance(msg, Location):
            if not (-90 <= msg.latitude <= 90 and -180 <= msg.longitude <= 180):
                raise FieldError(_("That location is off the map."))
            return {"lat": msg.latitude, "lon": msg.longitude}
        return self.parse_raw(text_of(msg, self.label))

    def parse_raw(self, raw: Raw) -> dict[str, Any]:
        text = self._require(raw)
        if len(text) > 120:
            raise FieldError(_("{label} can be at most {n} characters.", label=_(self.label), n=120))
        if not any(ch.isalpha() for ch in text):
            raise FieldError(_("{label}: type a place name, like Riga.", label=_(self.label)))
        return {"city": text}

    def display(self, value: Any) -> str:
        if not value:
            return "—"
        if "city" in value:
            return str(value["city"])
        return present.coordinates(value["lat"], value["lon"])


@dataclass
class CityField(LocationField):
    """A known place; with `keep_typed`, a name the gazetteer doesn't know may be kept as
    typed when the person insists (one tap), without coordinates."""

    keep_typed: bool = False
    country_from: str = ""  # the answer naming the country to prefer (Paris, FR over Paris, US)
    country: str = ""  # the country to prefer when no answer names one (the profile's)

    def form_hint_text(self) -> str:
        """A whole form has no location to share: the label (a town) says what to type."""
        return super().form_hint_text() if self.form_hint is not None else ""

    def parse_in(self, msg: Inbound, values: dict[str, Any]) -> Any:
        chosen = values.get(self.country_from) if self.country_from else None
        country = chosen if isinstance(chosen, str) and chosen else self.country or None
        if isinstance(msg, Location):
            super().parse(msg)  # off the map is refused there
            near = gazetteer.nearest(msg.latitude, msg.longitude)
            return {**near.as_dict(), "lat": msg.latitude, "lon": msg.longitude}
        text = msg.data if isinstance(msg, Choice) else self._typed(text_of(msg, self.label))
        if isinstance(msg, Choice) and text.startswith(KEEP_TYPED) and self.keep_typed:
            return {"city": self._typed(text[1:])}
        return self.lookup(text, country)

    def parse(self, msg: Inbound) -> Any:
        return self.parse_in(msg, {})

    def parse_raw(self, raw: Raw) -> Any:
        return self.lookup(self._typed(raw), self.country or None)

    def _typed(self, raw: Raw) -> str:
        """The name as typed, once its length and letters are checked."""
        return str(LocationField.parse_raw(self, raw)["city"])

    def lookup(self, text: str, country: str | None) -> Any:
        """The place `text` names (“Riga” or “Riga, LV”) — with a word when the spelling was
        corrected or a namesake elsewhere was passed over — or the choices to settle it."""
        name, __, code = text.partition(",")
        found = gazetteer.lookup(name, code.strip().upper() or country)
        if found.place:
            return _noted(found)
        offers = [(p.label, p.label) for p in found.choices]
        if self.keep_typed:
            offers.append((KEEP_TYPED + name.strip()[:60],
                           _("Keep “{name}” as typed", name=name.strip()[:30])))
        said = name.strip()[:40]
        if len(found.choices) > 1 and fold(found.choices[0].city) == fold(said):
            raise FieldError(_("There are several places called “{name}”. Which one?", name=said),
                             offers)
        if found.choices:
            raise FieldError(_("I don't know the place “{name}”. Did you mean one of these?",
                               name=said), offers)
        raise FieldError(_("I don't know the place “{name}”. Try a nearby larger town.", name=said),
                         offers)

    def display(self, value: Any) -> str:
        if not value:
            return "—"
        return gazetteer.place_name(value.get("city"), value.get("country")) or (
            present.coordinates(value["lat"], value["lon"]) if "lat" in value else "—")


def _noted(found: gazetteer.Match) -> Any:
    """The place's value, with what the person should know about how it was read."""
    place = found.place
    assert place is not None
    where = f"{place.city}, {country_name(place.country)}"
    if found.corrected:
        return Also(place.as_dict(), note=_("{place} — I corrected the spelling.", place=where))
    if found.namesakes:
        return Also(place.as_dict(), note=_("{place}. Another {town}? Add its country, like "
                                            "“{town}, {country}”.", place=where, town=place.city,
                                            country=found.namesakes[0]))
    return place.as_dict()
