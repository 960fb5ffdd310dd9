"""Freight's forms and what each answer does: a haulier's profile (routes, loading types,
capacity), a party's request for transport, a haulier's quote, and the "on the way" update."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conversations.fields import ChoiceField, MultiChoiceField, TextField
from conversations.flow import Ctx
from conversations.flows.market.amount_and_date_fields import DateField
from conversations.forms import Form
from conversations.number_and_date_fields import DecimalField, IntegerField
from conversations.place_fields import CityField
from core.deals.freight.rules import LOADING_TYPES, MAX_TRANSIT_DAYS, MAX_WINDOW_DAYS
from core.i18n import N_

UNIT_CHOICES = [("t", N_("tonnes")), ("m3", N_("cubic metres"))]


def loading_choices() -> list[tuple[str, str]]:
    return list(LOADING_TYPES.items())


def haulier_form(ctx: Ctx) -> Form:
    return Form("haulier", N_("Haulier profile"), [
        TextField("routes", N_("Countries and routes you serve"), max_length=300,
                  hint=N_("Two-letter country codes (any route between them) and routes as two "
                          "codes with a dash, e.g. LV, LT, LV-DE.")),
        MultiChoiceField("loading", N_("Loading types"), choices=loading_choices()),
        DecimalField("capacity", N_("Capacity per load"), minimum=Decimal("0.001"), places=3),
        ChoiceField("unit", N_("Capacity unit"), choices=UNIT_CHOICES)],
        submit_label=N_("Save"))


def ask_form(ctx: Ctx) -> Form:
    today = ctx.local_now().date()
    return Form("ask_freight", N_("Ask for transport"), [
        CityField("to", N_("Delivery place (town)")),
        DecimalField("quantity", N_("Quantity"), minimum=Decimal("0.001"), places=3),
        ChoiceField("unit", N_("Unit"), choices=UNIT_CHOICES),
        DateField("load_from", N_("Loading from"), today=today, earliest=1, latest=180),
        DateField("load_to", N_("Loading until"), today=today, earliest=1,
                  latest=180 + MAX_WINDOW_DAYS),
        ChoiceField("loading", N_("Loading type"), choices=loading_choices())],
        submit_label=N_("Ask hauliers"))


def quote_form(ctx: Ctx) -> Form:
    today = ctx.local_now().date()
    return Form("quote_freight", N_("Quote the transport"), [
        DecimalField("price", N_("Price for the whole transport"), minimum=Decimal("0.01"),
                     places=2),
        DateField("pickup", N_("Pickup day"), today=today, earliest=0, latest=240),
        IntegerField("transit", N_("Days in transit"), minimum=0, maximum=MAX_TRANSIT_DAYS)],
        submit_label=N_("Send the quote"))


def way_form(ctx: Ctx) -> Form:
    return Form("freight_way", N_("On the way"), [
        TextField("position", N_("Where the load is (a place or coordinates)"), max_length=120,
                  required=False),
        DateField("eta", N_("Expected arrival"), today=ctx.local_now().date(), earliest=0,
                  latest=60, required=False)],
        submit_label=N_("Send update"))


def day(value: Any) -> date | None:
    """A date answer as a day."""
    return date.fromisoformat(str(value)[:10]) if value else None
