"""How a deal's frozen terms read in the Mini App's deal room (`cards.terms_rows`): every label
and word in the reader's language, every figure, amount and day in their conventions, the
total with the VAT fixed on it — the deal card's own figures, never a number written by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from core.deals import cards
from core.deals.facts import DealFacts, TermsFacts
from core.deals.views import DealView
from core.i18n import dates
from core.money.model import Money
from core.money.reading import reading
from core.payments_port import Vat


@dataclass(frozen=True)
class Reader:
    language: str
    country: str


BODY = {"product": "pellets", "grade": "ENplus A1", "certifications": ["sbp"], "unit": "t",
        "quantity": "1234.5", "unit_price": "230.5", "currency": "EUR", "incoterm": "FCA",
        "place": "Riga port", "delivery_from": "2026-12-01", "delivery_to": "2026-12-20",
        "payment_method": "escrow"}


def _view(vat: Vat | None = None) -> DealView:
    price = Money.parse("230.50", "EUR")
    total = Money.parse("284556.73", "EUR")
    deal = DealFacts(7, "agreed", 3, 11, 12, None, None, Decimal("1234.5"), "t", price, total,
                     vat, total + (vat.amount if vat else Money(0, "EUR")), None, None, None)
    terms = TermsFacts(1, 2, "ab" * 32, MappingProxyType(BODY), None, None)
    return DealView(deal, "buyer", "Pellets", "Sam", None, terms, None, None, False)


def test_the_terms_read_in_the_readers_language_and_figures():
    with reading(Reader("de", "DE")):
        rows = dict(cards.terms_rows(_view()))
        first = dates.day(date(2026, 12, 1))
    assert rows["Produkt"] == "Holzpellets, ENplus A1, zertifiziert: SBP"
    assert rows["Menge"] == "1.234,5 t"
    assert rows["Preis je Einheit"] == "230,50\xa0€ pro t"
    assert rows["Gesamt"] == "284.556,73\xa0€"
    assert (rows["Incoterm"], rows["Ort"]) == ("FCA", "Riga port")  # as the parties wrote it
    assert rows["Lieferung ab"] == first and "Dez" in first
    assert rows["Zahlung"] == "Treuhand über Agora" and rows["Version"].startswith("2 · SHA-256")


def test_a_fixed_vat_shows_in_the_total_in_the_readers_figures():
    vat = Vat(Decimal("21"), Money.parse("59756.91", "EUR"))
    with reading(Reader("lv", "LV")):
        total = dict(cards.terms_rows(_view(vat)))["Kopā"]
    assert total.startswith("344\xa0313,64\xa0€") and "21" in total and "59\xa0756,91" in total


def test_a_call_off_and_a_dispute_say_which_and_why_on_the_card_and_in_the_room():
    from dataclasses import replace
    from datetime import UTC, datetime

    from core.deals.facts import DisputeFacts

    view = _view()
    assert cards.call_off_line(view) == "" and cards.dispute_line(view) == ""
    called = replace(view, deal=replace(view.deal, contract_id=4, call_off=2),
                     dispute=DisputeFacts(9, 7, 11, "Wet pellets", "refund", None, "Lab report",
                                          datetime(2026, 12, 3, tzinfo=UTC),
                                          datetime(2026, 12, 1, tzinfo=UTC)))
    with reading(Reader("en", "GB")):
        assert cards.call_off_line(called) == "📑 Call-off 2 of contract #4"
        assert cards.dispute_line(called) == \
            "Dispute: Wet pellets — decided: refund (Lab report)"
