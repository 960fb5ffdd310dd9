"""Every listing rule says exactly what to fix: field answers, plausibility checks, files —
in chat with the catalogue in memory (`in_memory.market`); the same form on the database in
`test_listing_terminal.py`."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from conversations.fields import FieldError
from conversations.flows.market.listing_fields import field_form, quick_form
from conversations.forms import Form
from conversations.messages import FileUpload, Text
from core.catalog import lifecycle, listings, media
from core.catalog.media import FileStore
from core.clock import FakeClock
from core.errors import DomainError
from core.money.reading import reading
from tests.catalog.fakes import SAM, stocked
from tests.catalog.helpers import PELLETS, answer_form, values
from tests.catalog.in_memory import market, member
from tests.support.chat import ChatUser


async def at_field(index: int, files=None) -> ChatUser:
    """A seller (in Latvia) in the short listing form, with the first `index` answers given."""
    sam = member(*market(files), "sam")
    await sam.say("/sell")
    await sam.tap("Wood pellets")
    await answer_form(sam, PELLETS[:index])
    return sam


async def at_detail(label: str) -> ChatUser:
    """A seller editing one detail of a fresh draft from its preview."""
    sam = await at_field(len(PELLETS))
    await sam.tap("Add details")
    await sam.tap(label)
    return sam


def answered(form: Form, name: str, answer: str, values: dict[str, Any] | None = None) -> None:
    """One answer to a field of a listing form, as the form runner takes it: the field's own
    check, then the rules across fields, written for a seller in Latvia (as `member`'s)."""
    field = form.field(name)
    values = dict(values or {})
    with reading(SimpleNamespace(language="en", country="LV")):
        values[name] = field.parse_in(Text(answer), values)
        broken = form.broken_rule(values, form.index(name))
        if broken:
            raise FieldError(broken[1])


@pytest.mark.parametrize(("name", "answer", "message"), [
    ("quantity", "lots", "must be a number"),
    ("quantity", "0", "must be between 0,001"),  # (in the seller's Latvian format)
    ("quantity", "1.2345", "at most 3 decimal places"),
    ("quantity", "500 litres", "is in t or kg or loose m³ or MWh for this product"),
    ("price", "-5", "must be between 0,01"),
    ("price", "230 Doubloons", "I don't know the currency"),
    ("location", "Xyzzyville", "I don't know the place"),
])
def test_a_wrong_answer_to_the_short_form_says_what_is_wrong(name, answer, message):
    with pytest.raises(FieldError, match=re.escape(message)):
        answered(quick_form("pellets", "EUR", "LV"), name, answer)


async def test_a_wrong_answer_is_refused_with_the_reason_and_asked_again():
    sam = await at_field(0)
    question = sam.texts().splitlines()[-2]
    await sam.say("lots")
    assert "must be a number" in sam.texts()
    assert question in sam.texts()


@pytest.mark.parametrize(("name", "answer", "message"), [
    ("title", "Pel", "at least 5 characters"),
    ("title", "!!!!!!", "needs letters"),
    ("available_from", "someday", "write a date like"),
    ("available_from", "2020-01-01", "can't be before"),
    ("valid_until", "2099-01-01", "years ahead"),
    ("moisture", "95", "Moisture % must be between 0 and 70"),
    ("min_order", "900", "can't be above the quantity on offer (500)"),
])
def test_a_wrong_detail_says_what_is_wrong(name, answer, message):
    draft = {"quantity": "500", "unit": "t", "available_from": "2026-11-20",
             "valid_until": "2027-01-19"}
    form = field_form("pellets", name, FakeClock().now().date(), "LV")
    with pytest.raises(FieldError, match=re.escape(message)):
        answered(form, name, answer, {k: v for k, v in draft.items() if k != name})


async def test_a_wrong_detail_is_refused_at_its_own_question():
    sam = await at_detail("Minimum order")
    question = sam.texts().splitlines()[-2]
    await sam.say("900")
    assert "can't be above the quantity on offer (500)" in sam.texts()
    assert question in sam.texts()


async def test_a_misspelt_city_offers_the_closest_names_to_tap():
    sam = await at_field(3)
    await sam.say("Rgia")
    assert "Did you mean" in sam.texts()
    await sam.tap("Riga, LV")
    assert "Delivery options" in sam.texts()


async def test_a_shared_location_resolves_to_the_nearest_city():
    sam = await at_field(3)
    await sam.share_location(54.69, 25.28)
    await answer_form(sam, PELLETS[4:])
    assert "Location: Vilnius, Lithuania" in sam.texts()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"price": "2"}, "outside the plausible range"),
    ({"unit": "nm3"}, "is traded in"),
    ({"min_order": "900"}, "minimum order can't be larger"),
    ({"delivery": ["delivery"], "delivery_radius_km": None}, "needs the radius"),
    ({"delivery": ["CIF"], "incoterm_place": None}, "needs a named place"),
    ({"available_from": "2027-02-01", "valid_until": "2027-01-01"}, "must be after"),
    ({"available_from": "2020-01-01", "valid_until": "2020-02-01"}, "is in the past"),
    ({"available_from": "2026-11-20", "valid_until": "2028-06-01"}, "at most a year"),
])
def test_implausible_listings_are_refused_with_what_to_check(overrides, message):
    # The draft's checks run on the form's values before anything is stored (`sketch`).
    with pytest.raises(DomainError, match=message):
        listings.sketch(1, values(**overrides), FakeClock().now())


async def test_a_claimed_certification_needs_a_document_before_publishing(tmp_path):
    stock = stocked()
    draft = await listings.create_draft(stock, SAM, values(certifications=["enplus"]))
    with pytest.raises(DomainError, match="add the certificate as a document"):
        await lifecycle.submit(stock, draft.id, SAM)
    await media.attach(stock, FileStore(tmp_path), draft.id, kind="document",
                       name="enplus.pdf", mime="application/pdf", data=b"%PDF-1.7 cert")
    assert await lifecycle.submit(stock, draft.id, SAM) == "published"


async def test_a_draft_with_a_problem_from_the_form_is_refused_in_chat():
    sam = await at_field(0)
    answers = list(PELLETS)
    answers[1] = "2"  # 2 EUR per tonne of pellets
    await answer_form(sam, answers)
    assert "outside the plausible range" in sam.texts()


@pytest.mark.parametrize(("upload", "message"), [
    (FileUpload("x.exe", "x.exe", "application/x-msdownload", 100, "document"), "isn't accepted"),
    (FileUpload("big.pdf", "big.pdf", "application/pdf", 50 * 1024 * 1024, "document"),
     "the limit is 10 MB"),
])
async def test_files_of_the_wrong_type_or_size_are_refused(tmp_path, upload, message):
    sam = await at_field(len(PELLETS), tmp_path)
    await sam.tap("Add photos or documents")
    await sam.send(upload)
    assert message in sam.texts()


async def test_a_file_whose_bytes_are_not_what_it_claims_is_refused(tmp_path):
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ not a jpeg")
    sam = await at_field(len(PELLETS), tmp_path)
    await sam.tap("Add photos or documents")
    await sam.send(FileUpload(str(fake), "photo.jpg", "image/jpeg", 13, "photo"))
    assert "doesn't look like a real JPEG" in sam.texts()
