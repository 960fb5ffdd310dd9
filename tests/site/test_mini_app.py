"""The Telegram Mini App over HTTP: every screen needs initData Telegram signed for this bot
within the hour (forged, altered, stale or missing is refused); the screens that act check
as the chat checks, go through the chat's core services, and leave the chat's own words in
the person's Telegram chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from core.catalog.tables import Listing, ListingMedia
from core.consulting.packages import service as packages
from core.consulting.tables import Booking
from core.deals.tables import Offer
from core.deals.threads.tables import Thread
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import confirmed, consultant
from tests.site.conftest import jpeg_with_gps
from tests.support.accounts import registered
from tests.support.mini_app import signed_init_data
from tests.support.outbox import told, told_texts

TOKEN = "123:site-test-token"  # the site tests' bot (tests.site.conftest)
SELLER, BUYER, STRANGER = 7001, 7002, 7003


def signed(clock: Any, user: int, token: str = TOKEN, ago: timedelta = timedelta(0)
           ) -> dict[str, str]:
    return {"Authorization": "tma " + signed_init_data(token, user, clock.now() - ago)}


class _Fields(HTMLParser):
    """The values a form holds as the browser would send them (its defaults)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and name and a.get("type") not in ("file", "submit"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value"))
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def defaults(html: str, **changes: Any) -> dict[str, Any]:
    found = _Fields()
    found.feed(html)
    return {**found.values, **changes}


async def _people(app: Any) -> tuple[Any, Any]:
    seller = await make_account(app, str(SELLER), channel="telegram")
    buyer = await make_account(app, str(BUYER), channel="telegram", roles=("buyer",))
    return seller, buyer


@pytest.mark.parametrize("headers, why", [
    ({}, "no initData"),
    ({"Authorization": "Bearer x"}, "no initData"),
    ("forged", "not signed by Telegram for this bot"),
    ("stale", "stale"),
])
async def test_a_screen_without_fresh_signed_init_data_is_refused(site_app, web, clock, headers,
                                                                   why):
    await _people(site_app)
    if headers == "forged":
        headers = signed(clock, SELLER, token="999:another-bot")
    elif headers == "stale":
        headers = signed(clock, SELLER, ago=timedelta(hours=2))
    for path in ("/app/part/listings", "/app/part/deals", "/app/part/sell"):
        page = await web.get(path, headers=headers)
        assert page.status_code == 401, path
        assert "Open Agora again" in page.text and why in page.headers["x-refused"]
    refused = await web.post("/app/part/sell", headers=headers, data={"price": "1"})
    assert refused.status_code == 401
    async with site_app.uow() as uow:
        assert (await uow.session.execute(select(Listing))).first() is None


async def test_the_shell_carries_nothing_personal_and_loads_telegrams_script(web):
    page = await web.get("/app/listings/5")
    assert page.status_code == 200
    assert "https://telegram.org/js/telegram-web-app.js" in page.text
    assert "/static/mini_app.js" in page.text and "noindex" in page.text


async def test_the_screens_and_the_tabs_speak_the_accounts_language_not_the_phones(
        site_app, web, clock):
    await registered(site_app, str(SELLER), channel="telegram", language="de")
    phone = {**signed(clock, SELLER), "Accept-Language": "en"}
    shell = await web.get("/app/deals", headers={"Accept-Language": "en"})
    assert "My deals" in shell.text  # the shell knows only the phone's language
    deals = await web.get("/app/part/deals", headers=phone)
    assert deals.headers["content-language"] == "de" and "Meine Geschäfte" in deals.text
    tabs = await web.get("/app/part/frame", headers=phone)
    assert tabs.headers["content-language"] == "de"
    assert "Meine Geschäfte" in tabs.text and "Berater" in tabs.text and "My deals" not in tabs.text
    assert (await web.get("/app/part/frame")).status_code == 401


async def test_a_new_search_line_keeps_the_filters_already_chosen(site_app, web, clock):
    seller, __ = await _people(site_app)
    await publish(site_app, seller, title="Pine pellets 6 mm")
    found = await web.get("/app/part/listings?q=pellets+under+250+eur+near+riga",
                          headers=signed(clock, BUYER))
    assert "near Riga" in found.text  # a chip
    form = found.text.split('<form class="search-line"')[1].split("</form>")[0]
    assert '<input type="hidden" name="near" value="Riga">' in form
    assert '<input type="hidden" name="max" value="250">' in form
    assert 'name="q" value="pellets"' in form  # the words left; the rest became chips


async def test_someone_not_set_up_browses_but_is_sent_to_the_chat_to_sell(site_app, web, clock):
    seller, __ = await _people(site_app)
    await publish(site_app, seller, title="Pine pellets 6 mm")
    browse = await web.get("/app/part/listings?q=pellets", headers=signed(clock, STRANGER))
    assert browse.status_code == 200 and "Pine pellets 6 mm" in browse.text
    assert 'href="/app/listings/' in browse.text
    sell = await web.get("/app/part/sell", headers=signed(clock, STRANGER))
    assert sell.status_code == 403 and "Set up Agora first" in sell.text
    assert "https://t.me/agora_test_bot\"" in sell.text


async def test_the_listing_form_checks_as_the_chat_then_publishes_with_its_photo(site_app, web,
                                                                                   clock):
    seller, __ = await _people(site_app)
    me = signed(clock, SELLER)
    form = await web.get("/app/part/sell", headers=me)
    assert form.status_code == 200 and 'name="price"' in form.text
    fields = {"product_type": "pellets", "quantity": "120", "unit": "t", "price": "abc",
              "negotiable": "yes", "location": "Riga", "delivery": ["pickup"]}
    wrong = await web.post("/app/part/sell", headers=me, data=fields)
    assert wrong.status_code == 400
    assert "Price" in wrong.text and 'aria-invalid="true"' in wrong.text
    preview = await web.post("/app/part/sell/preview", headers=me, data={**fields, "price": "210"})
    assert preview.json()["errors"] == {} and "Wood pellets" in preview.json()["html"]
    published = await web.post("/app/part/sell", headers=me, data={**fields, "price": "210"},
                               files={"photos": ("lot.jpg", jpeg_with_gps(), "image/jpeg")})
    assert published.status_code == 200, published.text
    assert "Published! Buyers can find it now." in published.text
    async with site_app.uow() as uow:
        listing = (await uow.session.execute(select(Listing))).scalar_one()
        photos = (await uow.session.execute(select(ListingMedia))).scalars().all()
        assert listing.status == "published" and listing.negotiable
        assert [p.kind for p in photos] == ["photo"]
        listing_id = listing.id
    assert published.headers["x-app-location"] == f"/app/listings/{listing_id}"
    [notice] = await told(site_app, seller.id, "Published! Buyers can find it now.")
    assert notice["channel"] == "telegram"
    assert [[b["intent"], b["arg"]] for row in notice["buttons"] for b in row] == [
        ["view_listing", str(listing_id)]]


async def test_a_photo_that_is_not_one_is_refused_and_nothing_is_saved(site_app, web, clock):
    await _people(site_app)
    fields = {"product_type": "pellets", "quantity": "120", "unit": "t", "price": "210",
              "negotiable": "no", "location": "Riga", "delivery": ["pickup"]}
    page = await web.post("/app/part/sell", headers=signed(clock, SELLER), data=fields,
                          files={"photos": ("lot.jpg", b"%PDF-1.4 not a photo", "image/jpeg")})
    assert page.status_code == 400 and "look like a real JPEG" in page.text
    async with site_app.uow() as uow:
        assert (await uow.session.execute(select(Listing))).first() is None


async def test_an_offer_is_previewed_then_sent_and_both_chats_hear(site_app, web, clock):
    seller, buyer = await _people(site_app)
    listing = await publish(site_app, seller, negotiable="yes", price="230")
    me = signed(clock, BUYER)
    form = await web.get(f"/app/part/listings/{listing}/offer", headers=me)
    assert form.status_code == 200 and 'name="quantity"' in form.text
    too_few = await web.post(f"/app/part/listings/{listing}/offer", headers=me,
                             data=defaults(form.text, quantity="1", price="220"))
    assert too_few.status_code == 400 and "22" in too_few.text  # the minimum order
    chosen = defaults(form.text, quantity="30", price="220")
    preview = await web.post(f"/app/part/listings/{listing}/offer", headers=me, data=chosen)
    assert "Offer on “ENplus A1 wood pellets”" in preview.text and "× " in preview.text
    async with site_app.uow() as uow:
        assert (await uow.session.execute(select(Offer))).first() is None  # not before Send
    sent = await web.post(f"/app/part/listings/{listing}/offer", headers=me,
                          data=defaults(preview.text))  # the preview's Send: its hidden values
    assert defaults(preview.text)["send"] == "1"
    assert sent.status_code == 200 and "Sent (offer #" in sent.text
    async with site_app.uow() as uow:
        offer = (await uow.session.execute(select(Offer))).scalar_one()
        assert (offer.buyer_id, offer.quantity_milli) == (buyer.id, 30_000)
        offer_id = offer.id
    assert await told_texts(site_app, buyer.id, f"Sent (offer #{offer_id})")
    assert await told(site_app, seller.id, "30")  # the seller's offer card, as from the chat


async def test_a_buyer_asks_the_seller_from_the_app(site_app, web, clock):
    seller, buyer = await _people(site_app)
    listing = await publish(site_app, seller)
    me = signed(clock, BUYER)
    empty = await web.post(f"/app/part/listings/{listing}/ask", headers=me, data={"text": " "})
    assert empty.status_code == 400 and "Type your question" in empty.text
    asked = await web.post(f"/app/part/listings/{listing}/ask", headers=me,
                           data={"text": "Is the moisture under 8%?"})
    assert asked.status_code == 200 and "Sent to" in asked.text
    async with site_app.uow() as uow:
        thread = (await uow.session.execute(select(Thread))).scalar_one()
        assert (thread.buyer_id, thread.seller_id) == (buyer.id, seller.id)
    assert await told(site_app, seller.id, "Is the moisture under 8%?")
    assert await told_texts(site_app, buyer.id, "✉ Sent to")  # and the asker's own chat says so
    own = await web.get(f"/app/part/listings/{listing}", headers=signed(clock, SELLER))
    assert "This is your listing." in own.text and "/offer" not in own.text


async def test_the_booking_calendar_requests_a_free_time(site_app, web, clock):
    cora = await consultant(site_app, "cora")
    __, buyer = await _people(site_app)
    me = signed(clock, BUYER)
    page = await web.get(f"/app/part/consultants/{cora.id}", headers=me)
    assert page.status_code == 200 and 'name="starts"' in page.text
    assert "The first 10 minutes are free" in page.text  # their first session with Cora
    first = page.text.split('name="starts" value="')[1].split('"')[0]
    booked = await web.post(f"/app/part/consultants/{cora.id}/book", headers=me,
                            data={"starts": first, "topic": "Biomass boiler sizing"})
    assert booked.status_code == 200 and "Requested." in booked.text
    assert await told_texts(site_app, buyer.id, "📨 Requested.")
    async with site_app.uow() as uow:
        booking = (await uow.session.execute(select(Booking))).scalar_one()
        assert booking.seeker_id == buyer.id and int(booking.starts_at.timestamp()) == int(first)
    again = await web.post(f"/app/part/consultants/{cora.id}/book", headers=me,
                           data={"starts": "12345"})
    assert again.status_code == 400


async def test_a_start_no_calendar_offers_is_refused_whatever_the_face_sends(site_app, web, clock):
    """Past Python's calendar, in the year 5138, 400 days ahead, off the half-hour grid: each
    is refused with the reason, never a 500, and nothing is booked."""
    cora = await consultant(site_app, "cora")
    await _people(site_app)
    me = signed(clock, BUYER)
    page = await web.get(f"/app/part/consultants/{cora.id}", headers=me)
    offered = sorted(int(v.split('"')[0]) for v in page.text.split('name="starts" value="')[1:])
    # Between two starts offered half an hour apart: within the hours, off their steps.
    between = next(a for a, b in pairwise(offered) if b - a == 1800) + 7 * 60
    refused = {"999999999999": "Tap a time", "99999999999": "too far ahead",
               str(offered[0] + 400 * 86400): "too far ahead",
               str(between): "Sessions start at the times offered"}
    for starts, why in refused.items():
        answer = await web.post(f"/app/part/consultants/{cora.id}/book", headers=me,
                                data={"starts": starts})
        assert answer.status_code == 400 and why in answer.text, (starts, answer.text)
    async with site_app.uow() as uow:
        assert (await uow.session.execute(select(Booking))).first() is None


async def test_a_booking_in_the_app_shows_where_to_meet_to_its_two_parties_alone(
        site_app, web, clock):
    own = "https://zoom.us/j/8123456789?pwd=cora"
    cora = await consultant(site_app, str(SELLER), channel="telegram", meeting_url=own)
    buyer = await make_account(site_app, str(BUYER), channel="telegram", roles=("buyer",))
    await make_account(site_app, str(STRANGER), channel="telegram", roles=("buyer",))
    booking = await confirmed(site_app, buyer.id, cora.id, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    for party in (SELLER, BUYER):
        mine = await web.get("/app/part/bookings", headers=signed(clock, party))
        assert f"/app/bookings/{booking.id}" in mine.text and f'href="{own}"' in mine.text
        card = await web.get(f"/app/part/bookings/{booking.id}", headers=signed(clock, party))
        assert card.status_code == 200 and f"Booking #{booking.id} with" in card.text
        assert f'href="{own}" rel="external' in card.text and "Meeting link" in card.text
        assert f"?start=booking-{booking.id}" in card.text  # its steps are taken in the chat
    other = signed(clock, STRANGER)
    refused = await web.get(f"/app/part/bookings/{booking.id}", headers=other)
    assert refused.status_code == 404 and own not in refused.text
    for seen in (await web.get("/app/part/bookings", headers=other),
                 await web.get(f"/app/part/consultants/{cora.id}", headers=other),
                 await web.get(f"/consultants/{cora.id}")):  # the public site
        assert seen.status_code == 200 and own not in seen.text and "zoom.us" not in seen.text


async def test_a_booking_from_a_package_shows_the_package_not_a_card_hold_in_the_app(
        site_app, web, clock):
    cora = await consultant(site_app, str(SELLER), channel="telegram")
    buyer = await make_account(site_app, str(BUYER), channel="telegram", roles=("buyer",))
    async with site_app.uow() as uow:
        package = await packages.offer(uow, cora.id, 5, 60, 10, 90, "full")
        purchase = await packages.buy(uow, buyer.id, package.id)
        await uow.commit()
    escrow = await site_app.payments.by_reference(packages.reference(purchase.id))
    await site_app.payments.pay_with_test_card(escrow.id, "4242 4242 4242 4242")
    booking = await confirmed(site_app, buyer.id, cora.id, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    card = await web.get(f"/app/part/bookings/{booking.id}", headers=signed(clock, BUYER))
    assert "📦 Prepaid from package #1: 4 of 5 sessions left to book" in card.text
    assert "At most" not in card.text and "goes back to your package" in card.text


async def test_my_deals_name_each_deals_next_step(site_app, web, clock):
    seller, __ = await _people(site_app)
    listing = await publish(site_app, seller, price="230")
    me = signed(clock, BUYER)
    form = await web.get(f"/app/part/listings/{listing}/buy", headers=me)
    bought = await web.post(f"/app/part/listings/{listing}/buy", headers=me,
                            data=defaults(form.text, send="1"))
    assert "Bought: deal #" in bought.text, bought.text
    deals = await web.get("/app/part/deals", headers=me)
    assert "Deal #" in deals.text and "Next: Read and accept the terms" in deals.text
    assert 'href="/app/deals/' in deals.text  # each opens its room
    mine = await web.get("/app/part/mine", headers=signed(clock, SELLER))
    assert "ENplus A1 wood pellets" in mine.text and "Published" in mine.text


@pytest.mark.parametrize(("language", "country"), [("de", "DE"), ("pl", "PL"), ("fi", "FI")])
async def test_every_screen_reads_in_the_accounts_language_and_its_figures(
        site_app, web, clock, language, country):
    from core.accounts.tables import Account
    from tests.site.test_site_languages import words
    from tests.support.languages import english_figures, english_in

    seller, buyer = await _people(site_app)
    async with site_app.uow() as uow:
        for account in (seller, buyer):
            row = await uow.session.get(Account, account.id)
            row.language, row.country = language, country
        await uow.commit()
    listing = await publish(site_app, seller, price="230.50", quantity="1234.5", ncv="17.2",
                            moisture="8.5")
    me = signed(clock, BUYER)
    form = await web.get(f"/app/part/listings/{listing}/buy", headers=me)
    bought = await web.post(f"/app/part/listings/{listing}/buy", headers=me,
                            data=defaults(form.text, send="1"))
    screens = [form, bought] + [await web.get(path, headers=me) for path in (
        "/app/part/listings", f"/app/part/listings/{listing}", "/app/part/deals",
        "/app/part/consultants")]
    screens.append(await web.get("/app/part/mine", headers=signed(clock, SELLER)))
    # the deal's room and its first step, the terms with the billing details asked first
    deal = next(s.text for s in screens if 'href="/app/deals/' in s.text).split(
        'href="/app/deals/')[1].split('"')[0]
    screens += [await web.get(f"/app/part/deals/{deal}{step}", headers=me)
                for step in ("", "/sign-terms")]
    assert [s.status_code for s in screens[-2:]] == [200, 200]
    # What the person reads: a date input's value stays ISO, as HTML wants it.
    texts = [words(s.text) for s in screens]
    assert all(s.headers["content-language"] == language for s in screens)
    assert english_in(language, texts) == []
    assert english_figures(language, texts) == []
    assert any("230,50" in t for t in texts) and any("1\xa0234,5" in t or "1.234,5" in t
                                                     for t in texts)


async def test_a_buyer_bids_on_a_sellers_lot_from_the_app_with_the_chats_checks(
        site_app, web, clock):
    from decimal import Decimal

    from core.deals.requests import lots
    from core.money.model import Money

    seller, _ = await _people(site_app)
    listing = await publish(site_app, seller, quantity="500")
    async with site_app.uow() as uow:
        lot = await lots.put_up(uow, seller.id, listing, lots.LotTerms(
            Decimal("100"), Money.parse("200", "EUR"), Money.parse("5", "EUR"),
            reserve=Money.parse("210", "EUR")))
        await uow.commit()
    me = signed(clock, BUYER)
    listed = await web.get("/app/part/auctions", headers=me)
    assert listed.status_code == 200 and f"/app/auctions/{lot.id}" in listed.text
    screen = await web.get(f"/app/part/auctions/{lot.id}", headers=me)
    assert "Lot #" in screen.text and "at least 200,00\xa0€" in screen.text  # Riga's figures
    assert "Reserve not met yet." in screen.text and "210" not in screen.text  # never its figure
    low = await web.post(f"/app/part/auctions/{lot.id}", headers=me, data={"price": "199"})
    assert low.status_code == 400 and "starts at 200,00\xa0€" in low.text
    placed = await web.post(f"/app/part/auctions/{lot.id}", headers=me, data={"price": "211"})
    assert placed.status_code == 200 and "Your bid of 211,00\xa0€ per t is in." in placed.text
    assert "Highest bid: 211,00\xa0€" in placed.text and "✅ Reserve met." in placed.text
    own = await web.post(f"/app/part/auctions/{lot.id}", headers=signed(clock, SELLER),
                         data={"price": "300"})
    assert own.status_code == 400 and "your own lot" in own.text
