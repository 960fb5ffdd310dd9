"""A company's books through the API, served by uvicorn against SQLite and PostgreSQL: the
company's finance colleague reads the documents of a deal another colleague bought — listed on
the deal, as PDF, CII and UBL — as payments authorises it (payments.readers), while a buyer
colleague without the right to see every deal finds nothing there; and the company's webhooks
name the API's resources, which its system then fetches with its key."""

from __future__ import annotations

from core.companies import service as companies
from core.webhooks import service as webhooks
from tests.api.helpers import bearer, company, key_for, paid_deal, served
from tests.catalog.helpers import make_account
from tests.webhooks.helpers import receiving


async def _colleague(app, admin_id: int, name: str, role: str) -> int:
    joined = await make_account(app, name, roles=("buyer",))
    async with app.uow() as uow:
        code = await companies.invite(uow, admin_id, [role], None)
        await uow.commit()
    async with app.uow() as uow:
        await companies.join(uow, joined.id, code.code)
        await uow.commit()
    return int(joined.id)


async def test_finance_reads_the_invoices_of_a_colleagues_deal_a_buyer_colleague_does_not(
        app, clock, issuer):
    c = await company(app)
    fiona = await _colleague(app, c["alice"].id, "fiona", "finance")
    bert = await _colleague(app, c["alice"].id, "bert", "buyer")
    books = await key_for(app, c["alice"].id, fiona, ["read", "documents"], "Accounting")
    berts = await key_for(app, c["alice"].id, bert, ["read", "documents"])
    async with receiving(clock) as receiver:
        async with app.uow() as uow:
            made = await webhooks.register(uow, c["alice"].id, app.engine.services.webhooks,
                                           receiver.url, ["deal.paid", "document.issued"])
            await uow.commit()
        receiver.secret = made.secret
        deal_id = await paid_deal(app, c["listing"], c["anna"].id, c["sam"].id)
        while await app.webhooks.run_once():
            pass
    told = {r.event["type"]: r.event["data"] for r in receiver.got}
    document = told["document.issued"]["document"]
    assert told["deal.paid"]["deal"]["api_url"] == f"/api/v1/deals/{deal_id}"
    assert document["api_pdf_url"] == f"/api/v1/documents/{document['number']}.pdf"
    async with served(app) as http:
        deal = await http.get(told["deal.paid"]["deal"]["api_url"], headers=bearer(books))
        pdf = await http.get(document["api_pdf_url"], headers=bearer(books))
        cii = await http.get(document["api_xml_url"], headers=bearer(books))
        ubl = await http.get(document["api_xml_url"] + "?syntax=ubl", headers=bearer(books))
        not_berts = await http.get(document["api_pdf_url"], headers=bearer(berts))
        nor_xml = await http.get(document["api_xml_url"], headers=bearer(berts))
    assert deal.json()["role"] == "colleague"
    assert [(d["number"], d["pdf"]) for d in deal.json()["documents"]] == [
        (document["number"], document["api_pdf_url"])]
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert cii.status_code == 200 and document["number"].encode() in cii.content
    assert ubl.status_code == 200 and b"<Invoice" in ubl.content
    for refused in (not_berts, nor_xml):
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
