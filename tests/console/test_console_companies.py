"""The console's companies page: Agora's finance lets a company pay on terms (net days and a
limit), each refusal at its field, and withdraws it; other operators never see the page."""

from __future__ import annotations

from sqlalchemy import select

from core.companies.tables import Company, CompanyAudit
from core.operators import grants
from tests.catalog.helpers import make_account
from tests.companies.test_purchase_approval import company_of_three
from tests.console.helpers import client, post_form, root, signed_in
from tests.support.outbox import told_texts

PAGE = "/admin/companies"


async def test_finance_approves_and_withdraws_payment_on_terms_and_support_cannot(app):
    _sam, alice, _anna, _fred, _bob, _listing = await company_of_three(app)
    admin = await root(app)
    sue = await make_account(app, "sue")
    async with app.uow() as uow:
        await grants.grant(uow, admin.id, sue.id, "support")
        company = (await uow.session.execute(select(Company))).scalar_one()
        await uow.commit()
    async with client(app) as http:
        await signed_in(app, http, sue)
        assert (await http.get(PAGE)).status_code in (403, 404)
        assert f'href="{PAGE}"' not in (await http.get("/admin")).text
    async with client(app) as http:
        await signed_in(app, http, admin)
        assert f'href="{PAGE}"' in (await http.get("/admin")).text
        listed = await http.get(PAGE)
        assert "Baltic Heat AS" in listed.text and "<td>no</td>" in listed.text
        bad = await post_form(http, PAGE, f"{PAGE}/terms", company=str(company.id), days="30",
                              limit="lots", currency="EUR")
        assert bad.status_code == 400 and 'id="limit-error"' in bad.text
        wrong = await post_form(http, PAGE, f"{PAGE}/terms", company=str(company.id), days="45",
                                limit="50000", currency="EUR")
        assert wrong.status_code == 400 and 'id="days-error"' in wrong.text
        ok = await post_form(http, PAGE, f"{PAGE}/terms", company=str(company.id), days="30",
                             limit="50000", currency="EUR")
        assert ok.status_code == 303 and "done=terms-approved" in ok.headers["location"]
        shown = (await http.get(PAGE)).text
        assert "net 30 days" in shown and "50,000.00" in shown
        gone = await post_form(http, PAGE, f"{PAGE}/withdraw", company=str(company.id))
        assert gone.status_code == 303 and "done=terms-withdrawn" in gone.headers["location"]
    assert await told_texts(app, alice.id, "Agora approved Baltic Heat AS for payment on terms")
    assert await told_texts(app, alice.id, "Payment on terms for Baltic Heat AS was withdrawn")
    async with app.uow() as uow:
        actions = list((await uow.session.execute(select(CompanyAudit.action).where(
            CompanyAudit.action.like("terms%")).order_by(CompanyAudit.id))).scalars())
        assert actions == ["terms_approved", "terms_withdrawn"]
