"""The console in a real Chromium: an operator signs in with the link sent to their chat and
reads the dashboard; a dispute decided in the console moves the money and tells both parties
on their own channels."""

from __future__ import annotations

import pytest

from bots.server import create_app
from tests.console.helpers import SIGN_IN_LINK, disputed_deal, escrow_state, outbox, root
from tests.support.browser import chromium_page
from tests.support.chat import ChatUser
from tests.support.servers import serve


async def sign_in_from_chat(app, page, base: str) -> None:
    """/console in the operator's chat, then the link from that chat, in the browser."""
    admin = await root(app)
    await ChatUser(app, "root").say("/console")
    [text] = [t for _, _, t in await outbox(app, admin.id) if "sign-in link" in t]
    token = SIGN_IN_LINK.search(text).group(1)
    await page.goto(f"{base}/admin/login/{token}")
    await page.click("button[type=submit]")
    await page.wait_for_load_state()


@pytest.mark.browser
async def test_an_operator_signs_in_from_chat_and_reads_the_dashboard(app, tmp_path):
    await disputed_deal(app)
    async with serve(create_app(app, run_workers=False)) as base, \
            chromium_page(width=390, height=844) as page:  # a phone's screen
        await sign_in_from_chat(app, page, base)
        await page.wait_for_function("[...document.images].every(i => i.complete)")
        await page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        heading = await page.inner_text("h1")
        sections = await page.locator("h2").all_inner_texts()
        images = await page.eval_on_selector_all(
            "main img", "imgs => imgs.map(i => [i.naturalWidth, i.alt])")
        figures = await page.inner_text(".figures")
        nav = await page.locator("header nav a").all_inner_texts()
    assert heading == "Dashboard"
    assert {"New registrations per month", "Deals by status",
            "Gross merchandise value and commission per market and month"} <= set(sections)
    assert len(images) == 4 and all(width > 0 for width, _ in images)
    assert all(alt.startswith(("Bar chart of", "Line chart of")) for _, alt in images)
    assert "1 open disputes" in " ".join(figures.split())
    assert nav[:3] == ["Dashboard", "Moderation", "Disputes"]
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


@pytest.mark.browser
async def test_a_dispute_decided_in_the_console_splits_the_escrow_and_tells_both(app, tmp_path):
    sam, bob, deal_id, dispute_id = await disputed_deal(app)
    async with serve(create_app(app, run_workers=False)) as base, chromium_page() as page:
        await sign_in_from_chat(app, page, base)
        await page.click("text=Disputes")
        await page.click(f"text=#{dispute_id} (deal #{deal_id})")
        await page.screenshot(path=str(tmp_path / "dispute.png"), full_page=True)
        reason = await page.inner_text("dl.facts")
        await page.check("input[value=split]")
        await page.fill("#refund", "30000")  # more than the €22,000 held
        await page.fill("#reasons", "Half of the load was wet; the seller agreed on photos.")
        await page.click("text=Decide >> nth=-1")
        await page.wait_for_load_state()
        too_much = await page.inner_text("#refund-error")
        await page.fill("#refund", "11000")
        await page.click("text=Decide >> nth=-1")
        await page.wait_for_load_state()
        status = await page.inner_text("[role=status]")
        decision = await page.inner_text("#h-decision + p")
    assert "Half of it was wet" in reason and "A split needs" in too_much
    assert "the money moves and both parties are told" in status
    assert decision.startswith("split") and "refund €11,000.00" in decision
    assert await escrow_state(app, deal_id) == ("settled", 1_100_000)
    seller_told = [(c, t) for c, _, t in await outbox(app, sam.id) if "Half of the load" in t]
    buyer_told = [(c, t) for c, _, t in await outbox(app, bob.id) if "Half of the load" in t]
    assert seller_told and seller_told[0][0] == "telegram"
    assert buyer_told and buyer_told[0][0] == "slack"
    assert (tmp_path / "dispute.png").stat().st_size > 10_000
