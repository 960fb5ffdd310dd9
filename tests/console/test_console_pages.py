"""Console pages through HTTP: the dashboard and its charts, moderation, disputes, users,
roles, payments, promotions and the audit log — each form re-rendered with its error next to
the field, and everything users wrote shown as text."""

from __future__ import annotations

import dataclasses
import re

from sqlalchemy import select

from core.accounts.tables import Account
from core.catalog import listings
from core.catalog.query import SearchQuery
from core.catalog.tables import Listing
from core.operators.tables import AuditEntry
from tests.catalog.helpers import make_account, publish, values
from tests.console.helpers import (
    client,
    disputed_deal,
    escrow_state,
    outbox,
    post_form,
    root,
    signed_in,
)
from tests.support.chat import ChatUser

SCRIPT = "<script>alert(1)</script>"


async def audit_actions(app) -> list[tuple[str, str]]:
    async with app.uow() as uow:
        return [(a, s) for a, s in (await uow.session.execute(select(
            AuditEntry.action, AuditEntry.subject).order_by(AuditEntry.id))).all()]


async def pending_listing(app, title: str) -> tuple[Account, int]:
    app.policy = dataclasses.replace(app.policy, listing_moderation=True)
    seller = await make_account(app, "sel", roles=("seller",))
    async with app.uow() as uow:
        draft = await listings.create_draft(uow, seller.id, values(title=title))
        from core.catalog import lifecycle

        await lifecycle.submit(uow, draft.id, seller.id)
        await uow.commit()
    return seller, draft.id


async def test_the_dashboard_shows_figures_and_serves_each_chart_as_a_png(app):
    admin = await root(app)
    await publish(app, admin)
    async with client(app) as http:
        await signed_in(app, http, admin)
        home = await http.get("/admin")
        charts = {name: await http.get(f"/admin/charts/{name}.png")
                  for name in ("registrations", "listings", "deals", "gmv")}
        missing = await http.get("/admin/charts/nope.png")
    html = re.sub(r">\s+<", "><", home.text)
    assert "<h1>Dashboard</h1>" in html and "New registrations per month" in html
    assert 'alt="Bar chart of listings by status. Count: 1 in all' in html
    assert '<th scope="row">published</th><td>1</td>' in html
    assert "2026-11</th><td>1</td>" in html  # root registered this month (the fake clock's)
    for answer in charts.values():
        assert answer.headers["content-type"] == "image/png"
        assert answer.content.startswith(b"\x89PNG") and len(answer.content) > 5000
    assert missing.status_code == 404


async def test_moderation_approves_and_a_rejection_needs_a_reason_next_to_its_field(app):
    admin = await root(app)
    _, listing_id = await pending_listing(app, SCRIPT)
    async with client(app) as http:
        await signed_in(app, http, admin)
        queue = await http.get("/admin/moderation")
        page = f"/admin/moderation/{listing_id}"
        empty = await post_form(http, page, f"{page}/reject", reason="  ")
        approved = await post_form(http, page, f"{page}/approve")
    assert SCRIPT not in queue.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in queue.text
    assert empty.status_code == 400
    assert 'id="reason-error">Give the seller a reason of 5 to 500 characters.' in empty.text
    assert approved.status_code == 303
    async with app.uow() as uow:
        assert (await uow.session.get(Listing, listing_id)).status == "published"
    assert ("listing-approved", f"listing:{listing_id}") in await audit_actions(app)


async def test_a_split_above_the_escrow_and_an_empty_reason_are_shown_at_their_fields(app):
    admin = await root(app)
    _, _, deal_id, dispute_id = await disputed_deal(app)
    page = f"/admin/disputes/{dispute_id}"
    async with client(app) as http:
        await signed_in(app, http, admin)
        too_much = await post_form(http, page, f"{page}/decide", outcome="split",
                                   refund="25000", reasons="Half of it was wet")
        no_reason = await post_form(http, page, f"{page}/decide", outcome="refund", reasons="")
        not_money = await post_form(http, page, f"{page}/decide", outcome="split",
                                    refund="lots", reasons="Half of it was wet")
    assert too_much.status_code == 400 and 'id="refund-error">A split needs' in too_much.text
    assert 'value="25000"' in too_much.text  # what was typed stays in the form
    assert 'id="reasons-error">Give both parties your reasons' in no_reason.text
    assert 'id="refund-error">Type the buyer' in not_money.text
    assert await escrow_state(app, deal_id) == ("held", 0)  # nothing moved


async def test_asking_a_party_reaches_them_on_their_channel_and_shows_on_the_dispute(app):
    admin = await root(app)
    sam, _, _, dispute_id = await disputed_deal(app)
    page = f"/admin/disputes/{dispute_id}"
    async with client(app) as http:
        await signed_in(app, http, admin)
        empty = await post_form(http, page, f"{page}/ask", party="seller", question="")
        asked = await post_form(http, page, f"{page}/ask", party="seller",
                                question=f"Photos of the wet bags? {SCRIPT}")
        after = await http.get(page)
    assert 'id="question-error">Ask in 3 to 2000 characters.' in empty.text
    assert asked.status_code == 303
    told = [(c, t) for c, _, t in await outbox(app, sam.id) if "Photos of the wet bags" in t]
    assert told and told[0][0] == "telegram"
    assert "Photos of the wet bags? &lt;script&gt;" in after.text and SCRIPT not in after.text
    assert ("dispute-question", f"dispute:{dispute_id}") in await audit_actions(app)


async def test_suspending_needs_a_reason_tells_the_person_and_hides_them_until_restored(app):
    admin = await root(app)
    ann = await make_account(app, "ann", roles=("seller",))
    listing_id = await publish(app, ann)
    async with app.uow() as uow:
        account = await uow.session.get(Account, ann.id)
        account.display_name, account.company = SCRIPT, "Pellet Baltics SIA"
        await uow.commit()
    page = f"/admin/users/{ann.id}"
    async with client(app) as http:
        await signed_in(app, http, admin)
        found = await http.get("/admin/users", params={"q": "baltics"})
        none = await http.get("/admin/users", params={"q": "nobody-like-this"})
        empty = await post_form(http, page, f"{page}/suspend", reason="")
        suspended = await post_form(http, page, f"{page}/suspend", reason="Fake certificates")
        chat = await ChatUser(app, "ann").say("/menu")
        hidden = await _search_ids(app)
        restored = await post_form(http, page, f"{page}/restore", reason="Certificates checked")
        profile = await http.get(page)
    assert f'href="/admin/users/{ann.id}">&lt;script&gt;' in found.text and SCRIPT not in found.text
    assert "Nobody matches." in none.text
    # Days as the console's English reads them (CLDR, as in Britain), not ISO.
    assert "20 Nov 2026" in found.text and "2026-11-20" not in found.text
    assert 'id="reason-error">Give a reason of 5 to 500 characters' in empty.text
    assert suspended.status_code == 303 and restored.status_code == 303
    assert "Your Agora account is suspended: Fake certificates" in chat[0].text
    assert listing_id not in hidden and listing_id in await _search_ids(app)
    texts = [t for _, _, t in await outbox(app, ann.id)]
    assert any("suspended: Fake certificates" in t for t in texts)
    assert any("restored: Certificates checked" in t for t in texts)
    assert "Suspend the account" in profile.text and SCRIPT not in profile.text
    assert [a for a, _ in await audit_actions(app)][-2:] == ["account-suspended",
                                                              "account-restored"]


async def _search_ids(app) -> set[int]:
    async with app.uow() as uow:
        found = await app.catalog.search(uow, SearchQuery(text="pellets"))
    return {hit.listing_id for hit in found.hits}


async def test_an_admin_grants_a_role_that_opens_exactly_its_pages_and_revokes_it(app):
    admin = await root(app)
    mod = await make_account(app, "mod")
    async with client(app) as http, client(app) as theirs:
        await signed_in(app, http, admin)
        bad = await post_form(http, "/admin/roles", "/admin/roles/grant", account="x", role="moderator")
        granted = await post_form(http, "/admin/roles", "/admin/roles/grant",
                                  account=str(mod.id), role="moderator")
        table = await http.get("/admin/roles")
        await signed_in(app, theirs, mod)
        moderation, payments = await theirs.get("/admin/moderation"), await theirs.get("/admin/payments")
        await post_form(http, "/admin/roles", "/admin/roles/revoke", account=str(mod.id),
                        role="moderator")
        after = await theirs.get("/admin/moderation")
    assert 'id="grant-account-error">' in bad.text
    assert granted.status_code == 303 and "Moderator" in table.text
    assert (moderation.status_code, payments.status_code, after.status_code) == (200, 403, 403)
    assert [a for a, _ in await audit_actions(app) if a.startswith("role")] == [
        "role-granted", "role-revoked"]


async def test_payments_show_balances_a_deals_journals_and_refuse_a_malformed_reference(app):
    admin = await root(app)
    _, _, deal_id, _ = await disputed_deal(app)
    async with client(app) as http:
        await signed_in(app, http, admin)
        journals = await http.get("/admin/payments", params={"reference": f"deal:{deal_id}"})
        bad = await http.get("/admin/payments", params={"reference": "deal:x; drop"})
        report = await http.get("/admin/payments", params={"reconcile": "1"})
    assert journals.status_code == 200 and "Payment for deal:" in journals.text
    assert "22,000.00 EUR" in journals.text and "-22,000.00 EUR" in journals.text
    assert bad.status_code == 400 and 'id="reference-error"' in bad.text
    assert "nothing to reconcile" in report.text


async def test_the_audit_log_filters_by_action(app):
    admin = await root(app)
    ann = await make_account(app, "ann")
    async with client(app) as http:
        await signed_in(app, http, admin)
        page = f"/admin/users/{ann.id}"
        await post_form(http, page, f"{page}/suspend", reason="Spam in every thread")
        everything = await http.get("/admin/audit")
        only = await http.get("/admin/audit", params={"action": "account-suspended"})
    assert "sign-in" in everything.text and "Spam in every thread" in everything.text
    assert "<td>sign-in</td>" not in only.text and "<td>account-suspended</td>" in only.text


async def test_a_suspended_sellers_listings_disappear_from_the_site_and_from_search(app):
    admin = await root(app)
    ann = await make_account(app, "ann", roles=("seller",))
    listing_id = await publish(app, ann)
    page, public = f"/admin/users/{ann.id}", f"/listings/{listing_id}"
    async with client(app) as http:
        await signed_in(app, http, admin)
        shown = (await http.get(public)).status_code
        assert f"/listings/{listing_id}" in (await http.get("/sitemap.xml")).text
        await post_form(http, page, f"{page}/suspend", reason="Fake certificates")
        gone, index, sitemap = (await http.get(public), await http.get("/listings"),
                                await http.get("/sitemap.xml"))
        hidden = await _search_ids(app)
        await post_form(http, page, f"{page}/restore", reason="Certificates checked")
        back = (await http.get(public)).status_code
    assert (shown, gone.status_code, back) == (200, 404, 200)
    assert f'href="/listings/{listing_id}"' not in index.text
    assert f"/listings/{listing_id}" not in sitemap.text
    assert listing_id not in hidden and listing_id in await _search_ids(app)
