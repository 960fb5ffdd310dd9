"""A member's carbon totals, as plain rules on the records (no database): this year in their
own time zone, all time, by product, bought apart from supplied; and the yearly statement's
PDF states each deal with its method and the year's totals."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from core.deals.carbon.records import standing
from core.deals.carbon.statement import CarbonStatement, render_carbon_statement
from core.deals.carbon.totals import BUYER, SELLER, entry_for, in_year, totals, years
from core.i18n import present
from core.money.reading import reading
from tests.deals.carbon_fakes import MemoryCarbonBook
from tests.support.pdf import pdf_text

ANN, SAM, BOB = 1, 2, 3
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class Reader:
    def __init__(self, language: str, country: str | None) -> None:
        self.language, self.country = language, country


ENGLISH, GERMAN = Reader("en", None), Reader("de", "DE")


def pellets(deal_id: int, at: datetime, tonnes: str = "100", buyer: int = ANN,
            seller: int = SAM):
    return entry_for(deal_id, buyer, seller, "pellets", Decimal(tonnes), "t", Decimal("4.8"), at)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_member_with_no_records_has_empty_totals():
    found = totals([], ANN, BUYER, "Europe/Riga", NOW)
    assert found.empty and (found.this_year_kg, found.all_time_kg, found.by_product) == (0, 0, ())
    assert years([], "UTC") == []


def test_this_year_is_the_calendar_year_in_the_members_own_time_zone():
    # 22:30 UTC on 31 December 2025 is already 2026 in Riga (UTC+2), still 2025 in UTC.
    new_year = pellets(1, datetime(2025, 12, 31, 22, 30, tzinfo=UTC))
    last_year = pellets(2, datetime(2025, 12, 31, 21, 30, tzinfo=UTC))  # 23:30 in Riga
    riga = totals([new_year, last_year], ANN, BUYER, "Europe/Riga", NOW)
    assert riga.year == 2026
    assert riga.this_year_kg == Decimal("126144.0")
    assert riga.all_time_kg == Decimal("252288.0") and riga.deals == 2
    utc = totals([new_year, last_year], ANN, BUYER, "UTC", NOW)
    assert utc.this_year_kg == 0
    assert years([new_year, last_year], "Europe/Riga") == [2026, 2025]
    assert [e.deal_id for e in in_year([new_year, last_year], 2026, "Europe/Riga")] == [1]
    assert years([new_year, last_year], "UTC") == [2025]


def test_totals_add_up_by_product_the_largest_first_and_keep_bought_apart_from_supplied():
    hvo = entry_for(3, ANN, BOB, "hvo", Decimal(1000), "l", Decimal("0.009516"), NOW)
    entries = [pellets(1, NOW, "10"), pellets(2, NOW, "5"), hvo,
               pellets(4, NOW, "50", buyer=BOB, seller=ANN)]
    bought = totals(entries, ANN, BUYER, "UTC", NOW)
    assert [(p.product_type, p.avoided_kg, p.deals) for p in bought.by_product] == [
        ("pellets", Decimal("18921.6"), 2), ("hvo", Decimal("2021.2"), 1)]
    assert bought.all_time_kg == Decimal("20942.8") == bought.this_year_kg
    supplied = totals(entries, ANN, SELLER, "UTC", NOW)
    assert (supplied.all_time_kg, supplied.deals) == (Decimal("63072.0"), 1)
    assert totals(entries, SAM, BUYER, "UTC", NOW).empty


def test_an_entry_keeps_the_methods_values_and_the_receipts_figure():
    entry = pellets(1, NOW)
    assert (entry.end_use, entry.comparator_g_mj, entry.product_g_mj) == ("heat", 80, 7)
    assert entry.avoided_kg == Decimal("126144.0")  # 480 MWh x 3,600 x 73 / 1,000


async def test_the_standing_reads_the_members_records_and_their_years():
    book = MemoryCarbonBook()
    assert (await standing(book, ANN, "UTC")).empty
    assert await book.keep(pellets(1, NOW))
    assert not await book.keep(pellets(1, NOW, "999"))  # a deal's record is kept once
    await book.keep(pellets(2, datetime(2025, 6, 1, tzinfo=UTC)))
    await book.keep(pellets(3, NOW, buyer=BOB))
    mine = await standing(book, ANN, "Europe/Riga")
    assert mine.years == (2026, 2025)
    assert (mine.totals.bought.this_year_kg, mine.totals.bought.all_time_kg) == (
        Decimal("126144.0"), Decimal("252288.0"))
    assert mine.totals.supplied.empty
    assert (await standing(book, SAM, "UTC")).totals.supplied.deals == 3


def test_tonnes_of_co2e_are_written_in_the_readers_number_format():
    with reading(ENGLISH):
        assert present.co2e(Decimal("126144.0")) == "126.1 t CO₂e"
        assert present.co2e(Decimal("42.6")) == "0.043 t CO₂e"
        assert present.co2e(Decimal(0)) == "0 t CO₂e"
    with reading(GERMAN):
        assert present.co2e(Decimal("1261440.0")) == "1.261,4 t CO₂e"


def test_the_yearly_statement_states_each_deal_with_its_method_and_the_years_totals():
    first = pellets(7, datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    sold = entry_for(9, BOB, ANN, "hvo", Decimal(1000), "l", Decimal("0.009516"),
                     datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
    end = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
    statement = CarbonStatement(ANN, "Ann · Heat Oy", "Europe/Helsinki", 2026, (first, sold),
                                totals([first, sold], ANN, BUYER, "Europe/Helsinki", end),
                                totals([first, sold], ANN, SELLER, "Europe/Helsinki", end),
                                NOW.date())
    with reading(ENGLISH):
        text = flat(pdf_text(render_carbon_statement(statement)))
    for expected in ("Carbon statement 2026", "Member Ann · Heat Oy", "Time zone Europe/Helsinki",
                     "Avoided by what you bought 126.1 t CO₂e · deals: 1",
                     "Avoided by what you supplied 2.0 t CO₂e · deals: 1",
                     "Deal #7 2 Mar 2026, bought", "Product Wood pellets", "Quantity 100 t",
                     "RED II fossil fuel comparator for heat: 80 g CO₂e/MJ; product 7 g CO₂e/MJ",
                     "480 MWh × 3,600 MJ/MWh × (80 − 7) g CO₂e/MJ ÷ 1,000 = 126,144.0 kg",
                     "Deal #9 4 May 2026, supplied", "Quantity 1,000 L",
                     "comparator for transport: 94 g CO₂e/MJ"):
        assert expected in text, (expected, text)
    with reading(GERMAN):
        german = flat(pdf_text(render_carbon_statement(statement)))
    assert "126,1 t CO₂e" in german and "126.144,0 kg" in german


async def test_deals_shows_the_totals_and_asks_the_year_of_the_statement_when_there_are_two():
    from conversations.messages import FileReply
    from tests.deals.deal_fakes import BOB as BOB_ID
    from tests.deals.deal_fakes import SAM as SAM_ID
    from tests.deals.in_memory import deal_chat, person

    carbon = MemoryCarbonBook()
    chat, book = deal_chat(carbon=carbon)
    book.sale("completed")
    await carbon.keep(pellets(1, datetime(2025, 6, 1, tzinfo=UTC), buyer=BOB_ID, seller=SAM_ID))
    await carbon.keep(pellets(2, NOW, "10", buyer=BOB_ID, seller=SAM_ID))
    bob = person(chat, "bob")
    await bob.say("/deals")
    assert "CO₂e avoided by what you bought: 12,6 t CO₂e in 2026, 138,8 t CO₂e in all" \
        in bob.texts()  # Bob reads Latvian figures
    await bob.tap("Carbon statement")
    assert "Which year's carbon statement?" in bob.texts()
    assert {"2026", "2025", "🤝 My deals"} <= set(bob.labels())  # back to the list, not a dead end
    await bob.tap("2025")
    [pdf] = [r for r in bob.last if isinstance(r, FileReply)]
    assert pdf.file_name == "agora-carbon-statement-2025.pdf"
    text = flat(pdf_text(pdf.content))
    assert "Carbon statement 2025" in text and "Deal #1" in text and "Deal #2" not in text
