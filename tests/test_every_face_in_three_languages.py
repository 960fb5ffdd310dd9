"""Every face of a whole deal and of a paid consulting session, for a German, a Polish and a
Finnish pair. The deal: a Latvian seller and a
buyer at home, both reading their language, go from an offer and a counter-offer to both
ratings. Read for each of them:

- every notice the deal wrote them (its words and its buttons' labels) and the card each of
  their latest deal cards is rewritten to;
- every document those notices carry, drawn as the dispatcher draws it for them (the terms,
  the buyer's receipt, the seller's commission invoice — the e-invoices' readable face — and
  the carbon receipt);
- the deal's card and `/deals` in chat, and the pay page before and after paying.

None may hold an English sentence of the catalogue (on a legal document the English stands
beside the reader's words, as the law wants it, and only there) nor a number, an amount or a day written by
English conventions. The site's pages and the Mini App's screens are read the same way in
tests/site/test_site_languages.py and tests/site/test_mini_app.py."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from urllib.parse import urlparse

import httpx
import pytest

from bots.server import create_app
from conversations.messages import Choice, ListPage, Reply
from core.accounts import billing
from core.accounts.service import find_account
from core.accounts.tables import Account
from core.consulting.sessions import recap, reviews
from core.consulting.sessions import service as sessions
from core.deals import after_sale, deals, offers, terms
from core.i18n import translations
from core.i18n.catalogue import TEMPLATE
from core.money.model import Money
from core.money.reading import reading
from tests.consulting.session_support import act, live, people
from tests.deals.chat_helpers import trading_pair
from tests.support.chat import ChatUser
from tests.support.languages import PLACEHOLDER, english_figures, english_in
from tests.support.outbox import told
from tests.support.pdf import pdf_text
from tests.support.servers import serve

pytestmark = pytest.mark.journey

BUYERS = {  # a buyer at home in each language's country, with their billing details
    "de": ("DE", dict(legal_name="Müller Energie GmbH", street="Hauptstraße 5", postcode="10115",
                      town="Berlin", country="DE", vat_id="DE136695976")),
    "pl": ("PL", dict(legal_name="Łódź Ciepło sp. z o.o.", street="ul. Piotrkowska 104",
                      postcode="90-926", town="Łódź", country="PL", vat_id="PL8567346215")),
    "fi": ("FI", dict(legal_name="Oulun Energia Oy", street="Torikatu 1", postcode="90100",
                      town="Oulu", country="FI", vat_id="FI20774740")),
}
SELLER = dict(legal_name="Jānis Bērziņš SIA", street="Brīvības iela 1", postcode="LV-1010",
              town="Rīga", country="LV", vat_id="LV40003521600")


def terms_of(quantity: str, price: str) -> offers.Terms:
    return offers.Terms(Decimal(quantity), Money.parse(price, "EUR"), "DAP", "Rīga")


@cache
def _messages(language: str) -> tuple[tuple[str, str], ...]:
    """The catalogue's (English, translation) pairs that differ."""
    from babel.messages.pofile import read_po

    with open(TEMPLATE, "rb") as pot:
        template = read_po(pot)
    pairs = []
    for message in template:
        for english in (message.id if isinstance(message.id, tuple) else (message.id,)):
            local = translations(language).gettext(english) if english else english
            if english and local != english:
                pairs.append((english, local))
    return tuple(pairs)


def english_alone(language: str, document: str) -> list[str]:
    """English sentences of the catalogue in a legal document that are not beside their
    translation (core.i18n.bilingual prints both: “Käufer / Buyer”)."""
    flat = " ".join(document.split())
    alone = []
    for stretch in english_in(language, [flat]):
        beside = [part.strip() for english, local in _messages(language) if stretch in english
                  for part in PLACEHOLDER.split(local) if len(part.strip()) >= 4]
        if not any(part in flat for part in beside):
            alone.append(stretch)
    return alone


def words_of(payloads: list[dict]) -> list[str]:
    """A person's notices as they read them: each text and its buttons' labels."""
    return [str(p.get("text") or "") + "\n" + " | ".join(
        b["label"] for row in p.get("buttons") or [] for b in row) for p in payloads]


async def documents(app, account_id: int, payloads: list[dict]) -> list[str]:
    """Every document the notices carry, drawn for their reader as the dispatcher draws them."""
    texts = []
    async with app.uow() as uow:
        with reading(await uow.session.get(Account, account_id)):
            for ref in (r for p in payloads for r in p.get("attachments") or []):
                attachment = await app.attachments[ref["kind"]](ref["key"])
                if attachment.mime_type == "application/pdf":
                    texts.append(pdf_text(attachment.content))
    return texts


async def in_chat(user: ChatUser) -> list[str]:
    """`/deals`, and the deal's card opened from it."""
    seen = [r.text for r in await user.say("/deals") if isinstance(r, Reply)]
    [page] = [r for r in user.last if isinstance(r, ListPage)]
    seen += [page.title, *(f"{item.title} {item.subtitle}" for item in page.items)]
    seen += [r.text for r in await user.send(Choice(page.items[0].button.data))
             if isinstance(r, Reply)]
    return seen


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_deal_reads_in_the_readers_language(app, language):
    country, buyer_billing = BUYERS[language]
    sam, bob, listing_id = await trading_pair(app)
    async with app.uow() as uow:  # (what they were sent as they registered, in English, aside)
        before = {who: len(await told(app, (await find_account(uow, "terminal", who)).id))
                  for who in ("sam", "bob")}
        seller = await find_account(uow, "terminal", "sam")
        buyer = await find_account(uow, "terminal", "bob")
        seller.language = buyer.language = language
        buyer.country = country
        await billing.set_billing(uow, seller.id, **SELLER)
        await billing.set_billing(uow, buyer.id, **buyer_billing)
        first = await offers.make_offer(uow, listing_id, buyer.id, terms_of("24.5", "215.5"))
        countered = await offers.counter(uow, first.id, seller.id, terms_of("24.5", "230.5"))
        deal = await offers.accept(uow, countered.id, buyer.id)
        version = await terms.current(uow, deal.id)
        await terms.accept(uow, deal.id, buyer.id, version.sha256)
        await terms.accept(uow, deal.id, seller.id, version.sha256)
        await uow.commit()
        seller_id, buyer_id, deal_id = seller.id, buyer.id, deal.id

    escrow = await app.payments.by_reference(deals.reference(deal_id))
    pay = urlparse(escrow.pay_url).path
    async with serve(create_app(app, run_workers=False)) as base, httpx.AsyncClient() as http:
        pages = [(await http.get(base + pay)).text]
        pages.append((await http.post(base + pay,
                                      data={"card_number": "4242 4242 4242 4242"})).text)
    async with app.uow() as uow:
        await after_sale.mark_shipped(uow, deal_id, seller_id, "DSV", "CMR-77",
                                      app.clock.now().replace(hour=12))
        await after_sale.update_shipment(uow, deal_id, seller_id, "delivered")
        await deals.take(uow, deal_id, "confirm-receipt", buyer_id)
        await after_sale.rate(uow, deal_id, buyer_id, 5, {"quality": 5, "delivery": 4})
        await after_sale.rate(uow, deal_id, seller_id, 4, {"payment": 5})
        await uow.commit()

    for who, user in ((seller_id, sam), (buyer_id, bob)):
        payloads = (await told(app, who))[before[user.name]:]
        notices = words_of([p for p in payloads if p.get("text")])
        rewritten = await app.card_builders["deal"](str(deal_id), who)
        read = [*notices, *words_of([rewritten]), *await in_chat(user),
                *(pages if who == buyer_id else [])]
        papers = await documents(app, who, payloads)
        assert len(notices) >= 6 and (len(papers) >= 2 or who == seller_id)
        assert english_in(language, read) == [], who
        assert [s for p in papers for s in english_alone(language, p)] == [], who
        found = english_figures(language, read + papers)
        assert found == [], [t[max(0, t.find(found[0]) - 150):t.find(found[0]) + 50]
                             for t in read + papers if found[0] in t]


@pytest.mark.parametrize("language", ["de", "pl", "fi"])
async def test_every_face_of_a_paid_session_reads_in_the_readers_language(app, clock, language):
    """A consultant's paid half-hour past its free minutes, as both read it: the notices from
    the start to the review, the recap, the receipt and the commission invoice."""
    seeker, consultant = await people(app)
    before = {who: len(await told(app, who)) for who in (seeker, consultant)}
    async with app.uow() as uow:
        for who in (seeker, consultant):
            (await uow.session.get(Account, who)).language = language
        await billing.set_billing(uow, consultant, **SELLER)
        await uow.commit()
    session_id = await live(app, seeker, consultant, rate="62.50")
    clock.advance(minutes=2)
    await act(app, sessions.post, session_id, seeker, "Labdien!")
    clock.advance(minutes=24, seconds=30)
    await act(app, sessions.end, session_id, seeker)
    await act(app, recap.set_notes, session_id, consultant, "Ask for the ENplus certificate.")
    await act(app, recap.request, session_id, seeker)
    await act(app, reviews.review, session_id, seeker, 5, "Danke")

    for who in (seeker, consultant):
        payloads = (await told(app, who))[before[who]:]
        read = words_of([p for p in payloads if p.get("text")])
        papers = await documents(app, who, payloads)
        assert len(read) >= 3 and (len(papers) >= 2 or who == consultant), (who, read)
        assert english_in(language, read) == [], who
        assert [s for p in papers for s in english_alone(language, p)] == [], who
        found = english_figures(language, read + papers)
        assert found == [], [t[max(0, t.find(found[0]) - 150):t.find(found[0]) + 50]
                             for t in read + papers if found[0] in t]
