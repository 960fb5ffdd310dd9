"""The site's search (and the Mini App's, which reads the same index) finds a listing by the
certification a profile certificate backs only while that certificate is valid."""

from __future__ import annotations

from datetime import date

from core.certificates import expiry
from core.certificates import service as certificates
from tests.catalog.helpers import make_account, publish

PDF = certificates.Document("ab/ab12cd.pdf", "enplus.pdf", "application/pdf")


async def test_the_site_stops_finding_a_listing_as_certified_once_its_certificate_lapsed(
        site_app, web, clock):
    sam = await make_account(site_app, "sam")
    async with site_app.uow() as uow:
        held = await certificates.add(uow, sam.id, "enplus", "DE 301 1234", "Sam Pellets SIA",
                                      date(2026, 12, 1), PDF)
        await uow.commit()
    await publish(site_app, sam, title="Birch wood pellets", grade="A1",
                  certifications=["enplus"])
    for query in ("cert=enplus", "q=ENplus"):
        assert "Birch wood pellets" in (await web.get(f"/listings?{query}")).text
    clock.advance(days=12)  # 2 December: the certificate's last day was yesterday
    await expiry.run(site_app.uow)
    for query in ("cert=enplus", "q=ENplus"):
        assert "Birch wood pellets" not in (await web.get(f"/listings?{query}")).text
    assert "Birch wood pellets" in (await web.get("/listings?q=pellets")).text
    async with site_app.uow() as uow:  # renewed
        await certificates.replace(uow, sam.id, held.id, "DE 301 1234", "Sam Pellets SIA",
                                   date(2027, 12, 1), PDF)
        await uow.commit()
    assert "Birch wood pellets" in (await web.get("/listings?cert=enplus")).text
