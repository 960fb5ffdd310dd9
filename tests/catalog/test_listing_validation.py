"""Every listing rule says exactly what to fix: field answers, plausibility checks, files."""

from __future__ import annotations

import pytest

from conversations.messages import FileUpload
from core.catalog import lifecycle, listings, media
from core.catalog.media import FileStore
from core.clock import FakeClock
from core.errors import DomainError
from tests.catalog.helpers import PELLETS, answer_form, make_account, values
from tests.support.chat import ChatUser


async def at_field(app, index: int) -> ChatUser:
    """A seller in the short listing form, with the first `index` answers given."""
    await make_account(app, "sam")
    sam = ChatUser(app, "sam")
    await sam.say("/sell")
    await sam.tap("Wood pellets")
    await answer_form(sam, PELLETS[:index])
    return sam


async def at_detail(app, label: str) -> ChatUser:
    """A seller editing one detail of a fresh draft from its preview."""
    sam = await at_field(app, len(PELLETS))
    await sam.tap("Add details")
    await sam.tap(label)
    return sam


@pytest.mark.parametrize(("index", "answer", "message"), [
    (0, "lots", "must be a number"),
    (0, "0", "must be between 0,001"),  # (in the seller's Latvian format)
    (0, "1.2345", "at most 3 decimal places"),
    (0, "500 litres", "is in t or kg or loose m³ or MWh for this product"),
    (1, "-5", "must be between 0,01"),
    (1, "230 Doubloons", "I don't know the currency"),
    (3, "Xyzzyville", "I don't know the place"),
])
async def test_a_wrong_answer_is_refused_with_the_reason_and_asked_again(app, index, answer,
                                                                          message):
    sam = await at_field(app, index)
    question = sam.texts().splitlines()[-2]
    await sam.say(answer)
    assert message in sam.texts()
    assert question in sam.texts()


@pytest.mark.parametrize(("label", "answer", "message"), [
    ("Title", "Pel", "at least 5 characters"),
    ("Title", "!!!!!!", "needs letters"),
    ("Available from", "someday", "write a date like"),
    ("Available from", "2020-01-01", "can't be before"),
    ("Valid until", "2099-01-01", "years ahead"),
    ("Moisture", "95", "Moisture % must be between 0 and 70"),
    ("Minimum order", "900", "can't be above the quantity on offer (500)"),
])
async def test_a_wrong_detail_is_refused_at_its_own_question(app, label, answer, message):
    sam = await at_detail(app, label)
    question = sam.texts().splitlines()[-2]
    await sam.say(answer)
    assert message in sam.texts()
    assert question in sam.texts()


async def test_a_misspelt_city_offers_the_closest_names_to_tap(app):
    sam = await at_field(app, 3)
    await sam.say("Rgia")
    assert "Did you mean" in sam.texts()
    await sam.tap("Riga, LV")
    assert "Delivery options" in sam.texts()


async def test_a_shared_location_resolves_to_the_nearest_city(app):
    sam = await at_field(app, 3)
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


async def test_a_claimed_certification_needs_a_document_before_publishing(app):
    seller = await make_account(app, "sam")
    async with app.uow() as uow:
        draft = await listings.create_draft(uow, seller.id, values(certifications=["enplus"]))
        with pytest.raises(DomainError, match="add the certificate as a document"):
            await lifecycle.submit(uow, draft.id, seller.id)
        await media.attach(uow, FileStore(app.settings.data_dir), draft.id, kind="document",
                           name="enplus.pdf", mime="application/pdf", data=b"%PDF-1.7 cert")
        assert await lifecycle.submit(uow, draft.id, seller.id) == "published"


async def test_a_draft_with_a_problem_from_the_form_is_refused_in_chat(app):
    sam = await at_field(app, 0)
    answers = list(PELLETS)
    answers[1] = "2"  # 2 EUR per tonne of pellets
    await answer_form(sam, answers)
    assert "outside the plausible range" in sam.texts()


@pytest.mark.parametrize(("upload", "message"), [
    (FileUpload("x.exe", "x.exe", "application/x-msdownload", 100, "document"), "isn't accepted"),
    (FileUpload("big.pdf", "big.pdf", "application/pdf", 50 * 1024 * 1024, "document"),
     "the limit is 10 MB"),
])
async def test_files_of_the_wrong_type_or_size_are_refused(app, upload, message):
    sam = await at_field(app, len(PELLETS))
    await sam.tap("Add photos or documents")
    await sam.send(upload)
    assert message in sam.texts()


async def test_a_file_whose_bytes_are_not_what_it_claims_is_refused(app, tmp_path):
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ not a jpeg")
    sam = await at_field(app, len(PELLETS))
    await sam.tap("Add photos or documents")
    await sam.send(FileUpload(str(fake), "photo.jpg", "image/jpeg", 13, "photo"))
    assert "doesn't look like a real JPEG" in sam.texts()


async def card_of(uow, listing) -> str:
    from conversations.flows.market.listing_card import card_text
    from core.catalog import listing_card

    return card_text(await listing_card.card_of(uow, listing))
