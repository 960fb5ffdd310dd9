"""`/apikeys` in chat on the database: an admin makes a key acting as a colleague, with the
scopes chosen, shown once with the colleague it acts as; the list then shows it by its
visible part only, and revokes it; a buyer who is not an admin is refused; the key's secret
is kept only as its hash."""

from __future__ import annotations

import re

from sqlalchemy import select

from conversations.messages import Choice, ListPage
from core.companies import api_key_rules as key_rules
from core.companies.tables import ApiKey
from tests.catalog.helpers import make_account
from tests.companies.chat_steps import found_company
from tests.support.chat import ChatUser


async def test_an_admin_makes_a_key_for_a_colleague_sees_it_once_and_revokes_it(app):
    await make_account(app, "alice", roles=("buyer",))
    await make_account(app, "anna", roles=("buyer",))
    alice, anna = ChatUser(app, "alice"), ChatUser(app, "anna")
    code = await found_company(alice)
    await anna.say(f"/start company-join_{code}")
    await anna.say("/apikeys")
    assert "does not allow that" in anna.texts()

    await alice.say("/apikeys")
    assert "No API keys yet" in alice.texts()
    await alice.tap("New key")
    await alice.say("ERP")
    await alice.tap("Read: the market, the company's deals and offers")
    await alice.tap("Documents: invoices, e-invoices and the statement")
    await alice.tap("Done")
    assert {"Alice", "Anna"} <= set(alice.labels())
    await alice.tap("Anna")
    said = alice.texts()
    assert "New key “ERP”, acting as Anna (read, documents)" in said
    token = re.search(r"agora_[0-9a-f]{12}_\S+", said).group(0)
    async with app.uow() as uow:
        row = (await uow.session.execute(select(ApiKey))).scalar_one()
    assert row.secret_sha256 == key_rules.digest(token.split("_", 2)[2])
    assert token.split("_", 2)[2] not in str(vars(row))

    await alice.say("/apikeys")
    (key,) = [item for reply in alice.last if isinstance(reply, ListPage) for item in reply.items]
    assert key.title == "ERP" and key.subtitle.startswith("Anna · read, documents · agora_")
    assert token not in key.subtitle and key.subtitle.endswith("last used: never")
    assert key.button is not None and key.button.label == "✖ Revoke"
    await alice.send(Choice(key.button.data))
    assert "Key “ERP” revoked" in alice.texts()
    async with app.uow() as uow:
        row = (await uow.session.execute(select(ApiKey))).scalar_one()
    assert row.revoked_at is not None and row.revoked_by is not None
