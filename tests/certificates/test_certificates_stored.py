"""A profile's certificates on the database (SQLite and PostgreSQL): added, listed, replaced
and removed, the member's own or their company's (its admins change them); the card of a
listing reads them; the month-before notice is told once, and again for a renewal."""

from __future__ import annotations

from datetime import date

import pytest

from core.catalog.listing_card import viewable_card
from core.certificates import expiry
from core.certificates import service as certificates
from core.companies import service as companies
from core.errors import DomainError, NotAllowed, NotFound
from tests.catalog.helpers import make_account, publish
from tests.support.outbox import told

PDF = certificates.Document("ab/ab12cd.pdf", "enplus.pdf", "application/pdf")


async def _add(app, account_id: int, scheme: str = "enplus", number: str = "de 301 1234",
               valid_until: date = date(2027, 6, 30)) -> certificates.Held:
    async with app.uow() as uow:
        held = await certificates.add(uow, account_id, scheme, number, "Sam Pellets SIA",
                                      valid_until, PDF)
        await uow.commit()
    return held


async def test_a_member_adds_replaces_and_removes_certificates_of_their_own(app):
    sam = await make_account(app, "sam")
    added = await _add(app, sam.id)
    assert (added.number, added.valid, added.of_company) == ("DE 301 1234", True, False)
    await _add(app, sam.id, "sbp", "sbp-01-23", date(2027, 1, 31))
    async with app.uow() as uow:
        with pytest.raises(DomainError, match="It looks like “EU-ISCC-Cert-DE100-12345678”"):
            await certificates.add(uow, sam.id, "iscc", "ISCC 12", "Sam", date(2027, 1, 1), PDF)
        held = await certificates.held(uow, sam.id)
        assert [(h.scheme, h.number) for h in held] == [("enplus", "DE 301 1234"),
                                                         ("sbp", "SBP-01-23")]
        renewed = await certificates.replace(uow, sam.id, added.id, "DE 301 1235", "Sam SIA",
                                             date(2028, 6, 30), PDF)
        assert (renewed.number, renewed.holder, renewed.valid_until) == (
            "DE 301 1235", "Sam SIA", date(2028, 6, 30))
        await certificates.remove(uow, sam.id, held[1].id)
        await uow.commit()
    ann = await make_account(app, "ann")
    async with app.uow() as uow:
        assert [h.scheme for h in await certificates.held(uow, sam.id)] == ["enplus"]
        with pytest.raises(NotFound):  # not hers
            await certificates.remove(uow, ann.id, added.id)
        assert (await certificates.document_of(uow, sam.id, added.id)).name == "enplus.pdf"


async def test_a_companys_certificates_are_its_admins_to_change_and_every_colleagues_to_list(app):
    sam = await make_account(app, "sam")
    eve = await make_account(app, "eve")
    async with app.uow() as uow:
        await companies.found(uow, sam.id, "Sam Pellets SIA")
        code = (await companies.invite(uow, sam.id, ["buyer"], None)).code
        await companies.join(uow, eve.id, code)
        await uow.commit()
    added = await _add(app, sam.id)
    assert added.of_company
    async with app.uow() as uow:
        assert [h.id for h in await certificates.held(uow, eve.id)] == [added.id]
        with pytest.raises(NotAllowed, match="Only an admin of Sam Pellets SIA"):
            await certificates.remove(uow, eve.id, added.id)


async def test_the_listing_card_says_certified_until_the_last_day_and_not_after(app, clock):
    sam = await make_account(app, "sam")
    buyer = await make_account(app, "bob")
    await _add(app, sam.id, valid_until=date(2026, 12, 1))
    listing_id = await publish(app, sam, certifications=["enplus"])  # no document needed
    async with app.uow() as uow:
        card = await viewable_card(uow, listing_id, buyer.id, whole=True)
    assert [(c.scheme, c.valid) for c in card.certified] == [("enplus", True)]
    clock.advance(days=12)  # 2 December: the certificate ran out yesterday
    async with app.uow() as uow:
        card = await viewable_card(uow, listing_id, buyer.id, whole=True)
    assert [(c.scheme, c.valid) for c in card.certified] == [("enplus", False)]


async def test_the_holder_is_told_a_month_before_once_and_again_for_the_renewal(app, clock):
    sam = await make_account(app, "sam")
    soon = await _add(app, sam.id, valid_until=date(2026, 12, 25))  # told from 25 November
    await _add(app, sam.id, "sbp", "SBP-01-23", date(2027, 6, 30))  # months away
    assert await expiry.run(app.uow) == []  # 20 November: not yet
    clock.advance(days=5)
    assert await expiry.run(app.uow) == [soon.id]
    assert await expiry.run(app.uow) == []  # told once
    notices = await told(app, sam.id, "runs out on")
    assert len(notices) == 1
    assert "ENplus certificate DE 301 1234 runs out on 25 Dec 2026" in notices[0]["text"]
    async with app.uow() as uow:
        await certificates.replace(uow, sam.id, soon.id, "DE 301 1234", "Sam Pellets SIA",
                                   date(2027, 1, 10), PDF)
        await uow.commit()
    clock.advance(days=16)  # 11 December: a month before 10 January
    assert await expiry.run(app.uow) == [soon.id]
    assert len(await told(app, sam.id, "runs out on")) == 2


async def test_search_counts_an_enplus_claim_while_its_certificate_is_valid(app, clock):
    from bots.catalog_jobs import sync_index
    from core.catalog.query import SearchQuery

    async def found(**query) -> int:
        async with app.uow() as uow:
            return (await app.catalog.search(uow, SearchQuery(**query))).total

    sam = await make_account(app, "sam")
    held = await _add(app, sam.id, valid_until=date(2026, 12, 1))
    await publish(app, sam, title="Wood pellets", grade="A1", certifications=["enplus"])
    await sync_index(app)
    assert (await found(text="ENplus"), await found(certification="enplus")) == (1, 1)
    clock.advance(days=11)  # 1 December: its last valid day
    await expiry.run(app.uow)
    assert await found(certification="enplus") == 1
    clock.advance(days=1)  # 2 December: the hourly job sees it lapsed
    await expiry.run(app.uow)
    async with app.uow() as uow:
        assert await expiry.lapse_due(uow) == []  # once: the next run re-indexes nothing
    assert (await found(text="ENplus"), await found(certification="enplus")) == (0, 0)
    assert await found(text="pellets") == 1  # still for sale, not as certified
    async with app.uow() as uow:
        await certificates.replace(uow, sam.id, held.id, "DE 301 1234", "Sam Pellets SIA",
                                   date(2027, 12, 1), PDF)
        await uow.commit()
    assert (await found(text="ENplus"), await found(certification="enplus")) == (1, 1)


async def test_a_company_certificates_lapse_reindexes_every_colleagues_listing(app, clock):
    from bots.catalog_jobs import sync_index
    from core.catalog.query import SearchQuery

    sam = await make_account(app, "sam")
    eve = await make_account(app, "eve")
    async with app.uow() as uow:
        await companies.found(uow, sam.id, "Sam Pellets SIA")
        code = (await companies.invite(uow, sam.id, ["buyer"], None)).code
        await companies.join(uow, eve.id, code)
        await uow.commit()
    await _add(app, sam.id, valid_until=date(2026, 12, 1))
    await publish(app, eve, title="Wood pellets", grade="A1", certifications=["enplus"])
    await sync_index(app)
    query = SearchQuery(certification="enplus")
    async with app.uow() as uow:
        assert (await app.catalog.search(uow, query)).total == 1
    clock.advance(days=12)
    await expiry.run(app.uow)
    async with app.uow() as uow:
        assert (await app.catalog.search(uow, query)).total == 0
