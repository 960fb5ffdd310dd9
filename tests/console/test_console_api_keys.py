"""The console's company page: an Agora admin makes an API key for a colleague of a company —
shown once, on the answer that made it — sees its last use, and revokes it, after which the API
refuses it; finance, who sees the companies, does not see their keys."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.companies.tables import Company, CompanyAudit
from core.operators import grants
from tests.api.helpers import bearer, company
from tests.catalog.helpers import make_account
from tests.console.helpers import client, csrf_of, root, signed_in


async def test_an_admin_makes_and_revokes_a_companys_key_and_finance_cannot(app):
    c = await company(app)
    admin = await root(app)
    fay = await make_account(app, "fay")
    async with app.uow() as uow:
        await grants.grant(uow, admin.id, fay.id, "finance")
        baltic = (await uow.session.execute(select(Company))).scalar_one()
        await uow.commit()
    page = f"/admin/companies/{baltic.id}"
    async with client(app) as http:
        await signed_in(app, http, fay)
        assert f'href="{page}"' not in (await http.get("/admin/companies")).text
        assert (await http.get(page)).status_code in (403, 404)
    async with client(app) as http:
        await signed_in(app, http, admin)
        assert f'href="{page}"' in (await http.get("/admin/companies")).text
        shown = await http.get(page)
        assert "No API keys yet." in shown.text and ">anna</option>" in shown.text.lower()
        made = await http.post(f"{page}/keys", data={
            "csrf": csrf_of(shown.text), "name": "Purchasing robot",
            "holder": str(c["anna"].id), "scopes": ["read", "documents"]})
        assert made.status_code == 200, made.text
        token = re.search(r'<code id="new-key">([^<]+)</code>', made.text).group(1)
        assert token not in (await http.get(page)).text  # shown once
        used = await http.get("/api/v1/deals", headers=bearer(token))
        assert used.status_code == 200
        listed = (await http.get(page)).text
        assert "Purchasing robot" in listed and "read, documents" in listed
        assert "never" not in listed  # its last use is shown
        key_id = re.search(r"/keys/(\d+)/revoke", listed).group(1)
        gone = await http.post(f"{page}/keys/{key_id}/revoke", data={"csrf": csrf_of(listed)})
        assert gone.status_code == 303 and "done=key-revoked" in gone.headers["location"]
        assert (await http.get("/api/v1/deals", headers=bearer(token))).status_code == 401
    async with app.uow() as uow:
        actions = list((await uow.session.execute(select(CompanyAudit.action).where(
            CompanyAudit.action.like("api_key%")).order_by(CompanyAudit.id))).scalars())
    assert actions == ["api_key_created", "api_key_revoked"]
