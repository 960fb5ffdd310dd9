"""Profile fields shared by registration, profile editing and preferences."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from conversations.fields import ChoiceField, EmailField, FieldError, MultiChoiceField, Raw, TextField
from conversations.messages import FieldSpec
from conversations.place_fields import CityField
from core.accounts import accepted
from core.accounts.model import (
    CURRENCIES,
    INTERESTS,
    ROLE_LABELS,
    SELF_CHOSEN_ROLES,
    known_timezone,
)
from core.accounts.xrechnung_details import check_phone
from core.errors import DomainError
from core.i18n import LANGUAGES, N_, _, countries, current_language
from core.notifications.quiet_hours import parse_hhmm

COUNTRIES = countries.named_in("en", sorted(countries.codes()))  # shown in the reader's language
EXAMPLE = "LV"  # the country hints and errors give as an example


@dataclass
class CountryField(ChoiceField):
    """A country typed by ISO code or by name in English, in the members' languages or in its
    own ("Deutschland", "Latvija", "Suomi"); typos get the closest countries to tap."""

    def hint_text(self) -> str:
        """The hint with its example country named in the reader's language ("Lettland")."""
        return _(self.hint, **_example()) if self.hint else ""

    def _unknown(self, text: str) -> str:
        offered = dict(self.choices)
        code = countries.country_code(text)
        if code in offered:
            return code
        close = [(code, score) for code, score in countries.close_countries(text)
                 if code in offered]
        if close and close[0][1] >= 92 and (len(close) == 1 or close[1][1] < close[0][1]):
            return close[0][0]
        names = dict(self.options())
        suggestions = [(code, names[code]) for code, __ in close]
        if suggestions:
            message = _("I don't know the country “{text}”. Did you mean one of these?",
                        text=text[:40])
        else:
            message = _("I don't know the country “{text}”. Type its name or code, like "
                        "{country}, {own} or {code}.", text=text[:40], **_example(own=True))
        raise FieldError(message, suggestions)

    def options(self) -> list[tuple[str, str]]:
        """The countries by their names in the reader's language, in that language's order."""
        return countries.named_in(current_language(), [code for code, __ in self.choices])

    def spec(self, initial: Any = None) -> FieldSpec:
        """In a whole form, a select that finds the country as the person types."""
        return replace(super().spec(initial), source="country")


@dataclass
class CountriesField(CountryField, MultiChoiceField):
    """Several countries, each as CountryField reads one: typed as a list (“Latvia, Estonia”,
    “LV, EE”) in chat, found as the person types in a whole form (Slack's multi-select)."""

    typed: ClassVar[bool] = True  # far too many to tap through: typed, with a Keep button

    def _unknown(self, text: str) -> str:
        try:
            return super()._unknown(text)
        except FieldError as exc:  # a list has no single answer to tap: the names said instead
            if not exc.suggestions:
                raise
            raise FieldError(_("I don't know the country “{text}”; did you mean {countries}?",
                               text=text[:40], countries=", ".join(
                                   name for __, name in exc.suggestions))) from None


def _example(own: bool = False) -> dict[str, str]:
    """The example country (Latvia) as the reader names it, by its code, and (`own`) as its
    own people do."""
    found = {"country": countries.name_in(current_language(), EXAMPLE), "code": EXAMPLE}
    return found | ({"own": countries.name_in(EXAMPLE.lower(), EXAMPLE)} if own else {})


@dataclass
class QuietHoursField(TextField):
    """A local-time window like 22:00-07:00, or “none”."""

    kind: ClassVar[str] = "text"

    def parse_raw(self, raw: Raw) -> str | None:  # type: ignore[override]
        text = self._require(raw).lower().replace(" ", "").replace("–", "-")
        if text in {"none", "no", "off", "-"}:
            return None
        try:
            start, end = text.split("-")
            parse_hhmm(start), parse_hhmm(end)
        except ValueError:
            raise FieldError(_("Write quiet hours as HH:MM-HH:MM, like 22:00-07:00, or “none”.")) from None
        return f"{parse_hhmm(start):%H:%M}-{parse_hhmm(end):%H:%M}"


@dataclass
class PhoneField(TextField):
    """A phone number, checked as a seller's XRechnung contact is (core.accounts.xrechnung_details)
    and kept as tidied there."""

    max_length: int = 40

    def parse_raw(self, raw: Raw) -> str:
        try:
            return check_phone(super().parse_raw(raw))
        except DomainError as exc:
            raise FieldError(str(exc)) from None


@dataclass
class TimezoneField(TextField):
    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw).replace(" ", "_")
        for candidate in (text, text.title()):
            if known_timezone(candidate):
                return candidate
        raise FieldError(_("I don't know the time zone “{zone}”. Use a name like Europe/Riga.",
                           zone=text[:40]))


def name_field() -> TextField:
    return TextField("display_name", N_("Your name"), min_length=2, max_length=80,
                     needs_letters=True, hint=N_("As buyers and sellers will see it."))


def company_field() -> TextField:
    return TextField("company", N_("Company"), required=False, min_length=2, max_length=120,
                     hint=N_("Leave it out if you trade privately."))


def email_field() -> EmailField:
    return EmailField("email", N_("Email address"), hint=N_("We send a 6-digit code to check it."))


def roles_field() -> MultiChoiceField:
    return MultiChoiceField("roles", N_("What do you want to do here"),
                            choices=[(r.value, ROLE_LABELS[r]) for r in SELF_CHOSEN_ROLES],
                            hint=N_("Pick one or more, then Done."), form_hint="")


def country_field() -> CountryField:
    return CountryField("country", N_("Country"), choices=COUNTRIES,
                        hint=N_("For example: {country} or {code}."))


def city_field() -> CityField:
    return CityField("city", N_("City"), hint=N_("Type your town or city, or share your location."),
                     keep_typed=True, country_from="country")


def interests_field() -> MultiChoiceField:
    return MultiChoiceField("interests", N_("Interests"), required=False, min_selected=0,
                            choices=list(INTERESTS.items()),
                            hint=N_("Product types or expertise; pick any, then Done."),
                            form_hint=N_("Product types or expertise."))


def currency_field() -> ChoiceField:
    return ChoiceField("currency", N_("Preferred currency"), choices=[(c, c) for c in CURRENCIES])


def currencies_field() -> MultiChoiceField:
    """The currencies a seller accepts offers in; the first is the profile's default."""
    return MultiChoiceField("currencies", N_("Currencies you accept"),
                            choices=[(c, c) for c in CURRENCIES],
                            hint=N_("Offers in others are refused; the first is your default."))


def payment_methods_field(crypto: bool = False) -> MultiChoiceField:
    """The ways to pay a seller accepts (crypto only where the platform takes it)."""
    return MultiChoiceField("payment_methods", N_("Ways to pay you accept"),
                            choices=accepted.method_choices(crypto=crypto),
                            hint=N_("Buyers are offered only these."))


PHONE_HINT = N_("XRechnung, the e-invoice German buyers book, names the seller's phone and "
                "email. With the country code, like +49 30 1234567.")


def phone_field() -> PhoneField:
    """A seller's phone for invoices (an XRechnung's seller contact); left empty, none."""
    return PhoneField("phone", N_("Phone for invoices"), required=False, hint=PHONE_HINT)


def language_field() -> ChoiceField:
    return ChoiceField("language", N_("Language"), choices=list(LANGUAGES.items()))


def timezone_field() -> TimezoneField:
    return TimezoneField("timezone", N_("Time zone"), min_length=1, max_length=64,
                         hint=N_("An IANA name, like Europe/Riga."))


def quiet_hours_field() -> QuietHoursField:
    return QuietHoursField("quiet_hours", N_("Quiet hours"), required=False, max_length=20,
                           hint=N_("No notifications in this window, e.g. 22:00-07:00 (or Skip)."),
                           form_hint=N_("No notifications in this window, e.g. 22:00-07:00."))


def place(value: dict[str, Any] | None) -> dict[str, Any]:
    """Profile columns from a location answer (a typed city or shared coordinates)."""
    if not value:
        return {}
    found = {"city": value["city"]} if value.get("city") else {}
    if "lat" in value and "lon" in value:
        found.update(latitude=value["lat"], longitude=value["lon"])
    return found
