"""The public site shows the CO₂e a seller's deals avoided in the seller box of their listings'
pages only once they allow it in the chat's settings (off by default); off, nothing of it."""

from __future__ import annotations

from tests.catalog.helpers import publish
from tests.deals.carbon_helpers import completed_deal
from tests.support.chat import ChatUser

SAID = "The biofuel they supplied through Agora avoided 126.1 t CO₂e"


async def test_a_sellers_carbon_figure_is_on_the_site_only_once_they_allow_it(site_app, web):
    sam, __, __ = await completed_deal(site_app)  # that listing is sold out
    listing_id = await publish(site_app, sam)
    page = (await web.get(f"/listings/{listing_id}")).text
    assert "Seller" in page and "CO₂e" not in page.split('id="seller"')[1]

    user = ChatUser(site_app, "sam")
    await user.say("/settings")
    for _ in range(12):  # keep every answer until the carbon question
        if "CO₂e your deals avoided" in user.texts():
            break
        await user.tap(next(x for x in user.labels() if x.startswith(("Keep", "Skip"))))
    await user.tap("Yes, on my listings' pages")
    assert "Preferences saved" in user.texts()
    assert SAID in (await web.get(f"/listings/{listing_id}")).text

    await user.say("/settings")
    for _ in range(12):
        if "CO₂e your deals avoided" in user.texts():
            break
        await user.tap(next(x for x in user.labels() if x.startswith(("Keep", "Skip"))))
    await user.tap("No")
    assert "CO₂e" not in (await web.get(f"/listings/{listing_id}")).text.split('id="seller"')[1]
