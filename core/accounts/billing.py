"""Billing details: the legal name, address and VAT number invoices carry, asked once at a
party's first deal and kept on the account. A VAT number is optional (private persons); when
given it is checked against the country's format and check digits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Protocol

from core.accounts.book import book_of
from core.accounts.events import ProfileUpdated
from core.accounts.intents import AccountIntent
from core.accounts.read_model import Member
from core.accounts.tables import Account, BillingColumns
from core.accounts.vat_ids import check_vat_id, country_name, in_eu, known_country
from core.accounts.vat_rates import HIGHEST, standard_rate
from core.actions import Action
from core.errors import DomainError, NotAllowed
from core.i18n import N_, _, bilingual, countries, present
from core.storage.uow import UnitOfWork

# Countries that write the town before the postcode on an address line.
TOWN_FIRST = frozenset({"GB", "IE", "US", "CA", "AU", "NZ"})
LIMITS = {"legal_name": 200, "street": 200, "postcode": 20, "town": 120}
_SPACES = re.compile(r"\s+")
_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]*$")


@dataclass(frozen=True)
class Billing:
    """A party's billing details as an invoice shows them."""

    legal_name: str
    street: str
    postcode: str
    town: str
    country: str  # ISO 3166 alpha-2
    vat_id: str | None = None
    vat_rate: Decimal | None = None  # the rate it charges, when not its country's standard
    # A German public buyer's routing id, its XRechnungs' buyer reference (BT-10): a company's,
    # kept beside its details and given apart (core.companies.billing.give_leitweg_id).
    leitweg_id: str | None = None

    @property
    def is_business(self) -> bool:
        """Whether the party gave a VAT number (a registered business)."""
        return bool(self.vat_id)

    @property
    def charged_rate(self) -> Decimal | None:
        """The VAT rate the party charges on what it sells: its own, else its country's
        standard rate; None when it is not registered for VAT (no VAT number)."""
        if not self.is_business:
            return None
        return self.vat_rate if self.vat_rate is not None else standard_rate(self.country)

    def address_lines(self) -> tuple[str, ...]:
        """Street, postcode and town in the country's order, and the country's name."""
        place = (f"{self.town} {self.postcode}" if self.country in TOWN_FIRST
                 else f"{self.postcode} {self.town}").strip()
        return self.street, place, country_name(self.country)


@dataclass(frozen=True)
class Party:
    """How a document names a party: a name, address lines and a VAT number when known."""

    name: str
    lines: tuple[str, ...] = ()
    vat_id: str | None = None

    def block(self, legal: bool = True) -> str:
        """The party as lines of text: name, address (as written, but the country named in
        the reader's language), "VAT ID: …" in the reader's language, with the English beside
        it on a `legal` document."""
        say = bilingual if legal else _
        vat = (say(N_("VAT ID: {vat_id}"), vat_id=self.vat_id),) if self.vat_id else ()
        lines = (*self.lines[:-1], country_line(self.lines[-1])) if self.lines else ()
        return "\n".join((self.name, *lines, *vat))

    def frozen(self) -> dict[str, Any]:
        """The party as plain data, for a document that must keep naming it as it was."""
        return {"name": self.name, "address": list(self.lines), "vat_id": self.vat_id}

    @classmethod
    def thawed(cls, data: Mapping[str, Any]) -> Party:
        """A party kept by `frozen`."""
        return cls(str(data.get("name") or "—"), tuple(str(x) for x in data.get("address") or ()),
                   data.get("vat_id") or None)


PLATFORM = Party("Agora (platform)")


def country_line(line: str) -> str:
    """An address's last line, the country as `Billing.address_lines` wrote it (in English,
    frozen so into a document's fingerprinted data), in the reader's language ("Latvia" →
    "Lettland"); any other line as it is."""
    code = english_country_codes().get(line)
    return countries.country_name(code) if code else line


@cache
def english_country_codes() -> dict[str, str]:
    """Each country's English name, as `country_name` writes it, to its code."""
    return {country_name(code): code for code in countries.ISO_3166}


def check(legal_name: str, street: str, postcode: str, town: str, country: str,
          vat_id: str | None = None, vat_rate: str | Decimal | None = None) -> Billing:
    """Billing details tidied and checked; DomainError saying what to fix."""
    code = (country or "").strip().upper()
    if not known_country(code):
        raise DomainError(_("Please give the country as its two-letter code, like LV or DE."))
    values = {name: _tidy(name, value) for name, value in
              (("legal_name", legal_name), ("street", street), ("postcode", postcode),
               ("town", town))}
    if values["postcode"] and not _POSTCODE.match(values["postcode"]):
        raise DomainError(_("A postcode has letters, digits, spaces and hyphens only."))
    if not values["postcode"] and in_eu(code):
        raise DomainError(_("Please give the postcode: addresses in {country_name} have one.",
                            country_name=country_name(code)))
    vat = check_vat_id(code, vat_id) if vat_id and vat_id.strip() else None
    rate = checked_rate(code, vat_rate) if vat else None  # no VAT number: charges no VAT
    return Billing(country=code, vat_id=vat, vat_rate=rate, **values)


def checked_rate(country: str, rate: str | Decimal | None) -> Decimal | None:
    """The VAT rate a registered seller gives (percent, 0 to 30, at most 2 decimals), None
    for their country's standard rate (outside the EU, where Agora knows none, the rate stays
    unknown and documents say the seller invoices its VAT itself)."""
    text = str(rate).strip().rstrip("%").strip().replace(",", ".") if rate is not None else ""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= HIGHEST or value != round(value, 2):
        raise DomainError(_("A VAT rate is 0 to {highest} percent, like {whole} or {fraction}.",
                              whole=present.number(21), fraction=present.number(Decimal("25.5")),
                            highest=HIGHEST))
    return value


def _tidy(name: str, value: str | None) -> str:
    text = _SPACES.sub(" ", value or "").strip()
    label = name.replace("_", " ")
    if len(text) > LIMITS[name]:
        raise DomainError(_("The {label} is too long ({limit} characters at most).",
                            label=label, limit=LIMITS[name]))
    if name != "postcode" and len(text) < 2:
        raise DomainError(_("Please give the {label}.", label=label))
    return text


class HoldsBilling(Protocol):
    """What holds billing details: an account, a company, or a member's read model."""

    @property
    def billing_name(self) -> str | None: ...
    @property
    def billing_street(self) -> str | None: ...
    @property
    def billing_postcode(self) -> str | None: ...
    @property
    def billing_town(self) -> str | None: ...
    @property
    def billing_country(self) -> str | None: ...
    @property
    def vat_id(self) -> str | None: ...
    @property
    def vat_rate(self) -> str | None: ...


def from_account(holder: HoldsBilling) -> Billing | None:
    """The billing details an account (or a company) holds, or None while any required part
    is missing."""
    parts = (holder.billing_name, holder.billing_street, holder.billing_town,
             holder.billing_country)
    if not all(parts) or holder.billing_postcode is None:
        return None
    rate = Decimal(holder.vat_rate) if holder.vat_rate else None
    return Billing(holder.billing_name or "", holder.billing_street or "",
                   holder.billing_postcode, holder.billing_town or "",
                   holder.billing_country or "", holder.vat_id, rate)


def columns(billing: Billing) -> dict[str, str | None]:
    """Checked details as the billing columns hold them (the rate as written: "25.5")."""
    return {"billing_name": billing.legal_name, "billing_street": billing.street,
            "billing_postcode": billing.postcode, "billing_town": billing.town,
            "billing_country": billing.country, "vat_id": billing.vat_id,
            "vat_rate": None if billing.vat_rate is None else f"{billing.vat_rate.normalize():f}"}


def keep(holder: BillingColumns, billing: Billing) -> None:
    """Write checked details onto a company (an account's go through its book: `set_billing`)."""
    for name, value in columns(billing).items():
        setattr(holder, name, value)


async def _member(uow: UnitOfWork, account_id: int) -> Member:
    found = await book_of(uow).member(account_id)
    if found is None:
        raise NotAllowed(_("Please register first."),
                         actions=(Action(AccountIntent.REGISTER, N_("📝 Register")),))
    return found


async def billing_of(uow: UnitOfWork, account_id: int) -> Billing | None:
    """The account's billing details, or None when they haven't been given yet."""
    return from_account(await _member(uow, account_id))


async def missing(uow: UnitOfWork, account_id: int) -> bool:
    """Whether the account still has to give its billing details (ask at its first deal)."""
    return await billing_of(uow, account_id) is None


async def set_billing(uow: UnitOfWork, account_id: int, *, legal_name: str, street: str,
                      postcode: str, town: str, country: str, vat_id: str | None = None,
                      vat_rate: str | None = None) -> Billing:
    """Check and keep the account's billing details; DomainError saying what to fix."""
    await _member(uow, account_id)
    billing = check(legal_name, street, postcode, town, country, vat_id, vat_rate)
    await book_of(uow).change(account_id, columns(billing))
    uow.emit(ProfileUpdated(account_id, ("billing",)))
    return billing


def party(account: Account | Member | None) -> Party:
    """How documents name an account: its billing details when given, else its display name,
    company and email as registered."""
    if account is None:
        return Party("—")
    billing = from_account(account)
    if billing is not None:
        return Party(billing.legal_name, billing.address_lines(), billing.vat_id)
    return Party(account.display_name, tuple(p for p in (account.company, account.email) if p))


async def party_of(uow: UnitOfWork, account_id: int | None) -> Party:
    """`party` for an account id; the platform itself when there is none."""
    if account_id is None:
        return PLATFORM
    return party(await book_of(uow).member(account_id))
