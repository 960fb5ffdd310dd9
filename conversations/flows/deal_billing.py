"""Billing details, asked once at a party's first deal (before accepting its terms), or as a
consultant goes live: the legal name, address and VAT number that invoices carry, defaults from
the profile, the VAT number checked against its country at the question that can fix it."""

from __future__ import annotations

from typing import Any

from conversations import form_runner
from conversations.fields import TextField
from conversations.flow import Ctx
from conversations.forms import Form, Rule
from conversations.profile_fields import country_field
from core.accounts.billing import checked_rate
from core.accounts.vat_ids import check_vat_id
from core.companies import billing
from core.companies.seats import seat_of
from core.errors import DomainError
from core.i18n import N_

INTRO = N_("🧾 Once per account: your billing details, for the invoices of your deals (shown only "
           "on documents for the other party of a deal).")


def _vat_ok(values: dict[str, Any]) -> str | None:
    if not values.get("vat_id") or not values.get("country"):
        return None
    try:
        check_vat_id(values["country"], values["vat_id"])
    except DomainError as exc:
        return str(exc)
    return None


def _rate_ok(values: dict[str, Any]) -> str | None:
    if not values.get("vat_id") or not values.get("country"):
        return None
    try:
        checked_rate(values["country"], values.get("vat_rate"))
    except DomainError as exc:
        return str(exc)
    return None


def billing_form(charges: bool = True) -> Form:
    """The billing questions; the VAT rate only of one who `charges` (a seller, a consultant):
    a buyer's invoices carry the seller's rate, never their own."""
    rate = [TextField("vat_rate", N_("VAT rate you charge (%)"), max_length=8, required=False,
                      when=lambda values: bool(values.get("vat_id")),
                      hint=N_("Only if it is not your country's standard rate (a reduced rate "
                              "for firewood, say). Skip for the standard rate."),
                      form_hint=N_("Only if not your country's standard rate."))]
    rules = [Rule(("country", "vat_id"), _vat_ok, fix="vat_id"),
             Rule(("country", "vat_id", "vat_rate"), _rate_ok, fix="vat_rate")]
    return Form("billing", N_("Billing details"), [
        TextField("legal_name", N_("Legal name (person or company)"), max_length=200),
        TextField("street", N_("Street address"), max_length=200),
        TextField("postcode", N_("Postcode"), max_length=20),
        TextField("town", N_("Town"), max_length=120),
        country_field(),
        TextField("vat_id", N_("VAT number"), max_length=20, required=False,
                  hint=N_("Businesses: with the country prefix, e.g. LV40003521600. Skip if none."),
                  form_hint=N_("Businesses: with the country prefix, e.g. LV40003521600.")),
        *(rate if charges else [])],
        submit_label=N_("Save"), rules=rules if charges else rules[:1])


def seed(ctx: Ctx, key: str) -> None:
    """Offer what the profile knows: the company (or name), the town and the country."""
    account = ctx.account
    assert account is not None
    known = {"legal_name": ctx.data.get("company_name") or account.company
             or account.display_name, "town": account.city, "country": account.country}
    values = {k: v for k, v in known.items() if v}
    form_runner.seed(ctx, key, values)


async def save(ctx: Ctx, values: dict[str, Any]) -> None:
    """Keep the details (checked again in core)."""
    assert ctx.account is not None
    await billing.give(ctx.uow, ctx.account.id, legal_name=values["legal_name"],
                              street=values["street"], postcode=values["postcode"],
                              town=values["town"], country=values["country"],
                              vat_id=values.get("vat_id"), vat_rate=values.get("vat_rate"))


async def needed(ctx: Ctx) -> bool:
    """Whether to ask first; a company member's are the company's (its name offered)."""
    if ctx.account is None or not await billing.missing(ctx.uow, ctx.account.id):
        return False
    seat = await seat_of(ctx.uow, ctx.account.id)
    if seat is not None:
        ctx.data["company_name"] = seat.company.name
    return True
