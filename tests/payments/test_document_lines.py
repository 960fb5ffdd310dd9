"""What a receipt says was paid for: a deal's goods as its frozen terms name them (product,
grade, certifications, quantity and unit price, Incoterm and place), a session by its
consultant, date and length; never an internal reference like "deal:1"."""

from __future__ import annotations

from sqlalchemy import select, update

from core.catalog.tables import Listing
from core.consulting.sessions import service as sessions
from payments.tables import Invoice
from tests.consulting.session_support import act, live
from tests.consulting.session_support import people as consulting_people
from tests.deals.chat_helpers import paid_deal, trading_pair
from tests.support.pdf import pdf_text


async def document(app, kind: str) -> str:
    """The text of the first document of `kind`, spaces made plain and lines joined."""
    async with app.uow() as uow:
        number = await uow.session.scalar(select(Invoice.number).where(Invoice.kind == kind)
                                          .order_by(Invoice.id))
    _, pdf = await app.payments.invoice_pdf(number)
    return " ".join(pdf_text(pdf).replace("\xa0", " ").replace("\u202f", " ").split())


async def test_a_goods_receipt_names_the_goods_as_the_frozen_terms_do(app):
    _, _, listing_id = await trading_pair(app)
    async with app.uow() as uow:  # claimed with certificates uploaded (publishing checks that)
        await uow.session.execute(update(Listing).values(certifications=["enplus", "sbp"]))
        await uow.commit()
    await paid_deal(app, listing_id, quantity="24", price="230")
    text = await document(app, "payment")
    # The buyer reads amounts as written in Estonia, the unit price in the line too.
    assert ("Wood pellets, ENplus A1, certified SBP, 24 t × 230,00 €/t, EXW Riga port — deal #1"
            in text)
    assert "deal:1" not in text


async def test_a_session_receipt_names_the_consultant_the_date_and_the_length(app, clock):
    seeker, consultant = await consulting_people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=25)
    await act(app, sessions.end, session_id, seeker)
    day = "20 Nov 2026"  # in the reader's conventions (English reads as in Britain)
    assert clock.now().date().isoformat() == "2026-11-20"
    text = await document(app, "payment")
    assert f"Consulting session with Jānis Bērziņš, {day}, 25 min — session booking #1" in text
    assert "booking:1" not in text
    statement = await document(app, "payout")
    assert f"Consulting session with Jānis Bērziņš, {day}, 25 min — session booking #1: " \
           "session charge" in statement
