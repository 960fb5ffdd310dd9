"""The curl recipe in docs/api.md runs as written: its ```bash block marked `# recipe:
bid-and-invoice` is run by bash with the machine's own curl against the application served by
uvicorn, the key typed on its standard input — only the lines that set the reader's ids are set
to the test's —, and bids on a lot, makes an offer and downloads a receipt as PDF, CII and UBL.
Should the docs and the API drift apart, this fails (curl is required: missing, it fails)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

from core.deals.requests import lots
from core.money.model import Money
from tests.api.helpers import bearer, company, key_for, paid_deal, served
from tests.catalog.helpers import publish

DOCS = Path(__file__).parents[2] / "docs" / "api.md"
MARK = "# recipe: bid-and-invoice"
IDS = ("API", "LOT", "LISTING", "DEAL", "DOCUMENT")  # the reader's own values in the recipe


def recipe(values: dict[str, str]) -> str:
    """The marked block of docs/api.md, its ids set to `values`."""
    blocks = re.findall(r"```bash\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    [block] = [b for b in blocks if b.startswith(MARK + "\n")]
    for name, value in values.items():
        block, found = re.subn(rf"^{name}=\S+", f"{name}={value}", block, flags=re.M)
        assert found == 1, f"the recipe no longer sets {name}"
    return block


def _answers(printed: str) -> list[dict[str, object]]:
    """The JSON answers curl printed one after another."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (at := printed.find("{", at)) >= 0:
        answer, at = decoder.raw_decode(printed, at)
        found.append(answer)
    return found


async def test_the_docs_curl_recipe_bids_offers_and_downloads_an_invoice(app, issuer,
                                                                           tmp_path):
    curl, bash = shutil.which("curl"), shutil.which("bash")
    assert curl and bash, "the recipe's test needs curl and bash on PATH (apt-get install curl)"
    c = await company(app, limit="50000")
    token = await key_for(app, c["alice"].id, c["anna"].id)
    chips = await publish(app, c["sam"], negotiable="yes", min_order="10", quantity="300")
    async with app.uow() as uow:
        lot = await lots.put_up(uow, c["sam"].id, chips, lots.LotTerms(
            Decimal("100"), Money.parse("150", "EUR"), Money.parse("5", "EUR")))
        await uow.commit()
    deal_id = await paid_deal(app, c["listing"], c["anna"].id, c["sam"].id)
    async with served(app) as http:
        deal = (await http.get(f"/api/v1/deals/{deal_id}", headers=bearer(token))).json()
        number = deal["documents"][0]["number"]
        script = recipe({"API": f"{http.base_url}/api/v1", "LOT": str(lot.id),
                         "LISTING": str(c["listing"]), "DEAL": str(deal_id),
                         "DOCUMENT": number})
        run = await asyncio.create_subprocess_exec(
            bash, "-e", "-o", "pipefail", "-c", script, cwd=tmp_path,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(run.communicate(f"{token}\n".encode()), 60)
    assert run.returncode == 0, (out + err).decode()
    auctions, bid, offer, seen, statement = _answers(out.decode())
    assert [a["id"] for a in auctions["requests"]] == [lot.id]
    assert (bid["own"], bid["rank"]) == ({"amount": "155.00", "currency": "EUR"}, 1)
    assert offer["status"] == "offer_sent"
    assert seen["id"] == deal_id and statement["held"] == [deal["payable"]]
    assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF")
    assert number.encode() in (tmp_path / "invoice.xml").read_bytes()
    assert b"<Invoice" in (tmp_path / "invoice-ubl.xml").read_bytes()
