"""Signing in to the console: a one-time link sent to the operator's own chat, a signed,
HttpOnly session cookie, sign-out — and 403 for everyone else on every console route."""

from __future__ import annotations

from sqlalchemy import select

from bots.server import create_app
from conversations.flows.all_flows import ALL_FLOWS
from core.accounts.tables import Account
from core.operators import grants
from core.operators.store import Operators
from core.operators.tables import AuditEntry
from tests.catalog.helpers import make_account
from tests.console.fakes import MemoryOperators
from tests.console.helpers import (
    SIGN_IN_LINK,
    client,
    console_routes,
    csrf_of,
    filled,
    link_for,
    outbox,
    root,
    signed_in,
)
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat


async def test_console_in_chat_sends_an_operator_a_link_to_their_own_chat(app):
    admin = await root(app)
    replies = await ChatUser(app, "root").say("/console")
    assert "sent you a sign-in link" in " ".join(getattr(r, "text", "") for r in replies)
    [(channel, address, text)] = [r for r in await outbox(app, admin.id) if "sign-in" in r[2]]
    assert (channel, address) == ("terminal", "root")
    assert SIGN_IN_LINK.search(text) and "works once, for 10 minutes" in text


async def test_console_in_chat_is_refused_to_someone_without_a_role():
    operators = MemoryOperators()  # the roles in memory (tests/console/fakes.py)
    chat = MemoryChat(ALL_FLOWS, stores={Operators: operators})
    ann = chat.turns.register("terminal", "ann", "Ann", roles=("buyer",))
    operators.accounts[ann.id] = Account(id=ann.id, display_name="Ann")
    person = ChatUser(chat, "ann")
    await person.say("/admin")
    assert "The console is for Agora's operators." in person.texts()
    # No link was sent: in memory there is no outbox to write one to (a step that tried would
    # have failed loudly, with the apology instead of the refusal), and no reply says so.
    assert "sign-in link" not in person.texts()


async def test_a_link_signs_in_once_and_a_replayed_link_is_refused(app):
    admin = await root(app)
    token = await link_for(app, admin)
    async with client(app) as http:
        preview = await http.get(f"/admin/login/{token}")  # what a chat app's link preview does
        first = await http.post(f"/admin/login/{token}")
        dashboard = await http.get("/admin")
    async with client(app) as http:
        replay = await http.post(f"/admin/login/{token}")
    assert preview.status_code == 200 and "Sign in" in preview.text
    assert first.status_code == 303 and first.headers["location"] == "/admin"
    cookie = first.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert "path=/admin" in cookie
    assert dashboard.status_code == 200 and "<h1>Dashboard</h1>" in dashboard.text
    assert replay.status_code == 403 and "expired or was used" in replay.text
    assert "agora_console" not in replay.headers.get("set-cookie", "")


async def test_a_link_expires_after_ten_minutes(app, clock):
    admin = await root(app)
    token = await link_for(app, admin)
    clock.advance(minutes=10, seconds=1)
    async with client(app) as http:
        late = await http.post(f"/admin/login/{token}")
        dashboard = await http.get("/admin")
    assert late.status_code == 403 and dashboard.status_code == 403


async def test_the_cookie_is_secure_when_the_public_url_is_https(app):
    app.settings.public_url = "https://agora.example"
    admin = await root(app)
    token = await link_for(app, admin)
    async with client(app) as http:
        answer = await http.post(f"/admin/login/{token}")
    assert "secure" in answer.headers["set-cookie"].lower()


async def test_sign_in_and_sign_out_are_in_the_audit_log_and_a_kept_cookie_stops_working(app):
    admin = await root(app)
    async with client(app) as http:
        await signed_in(app, http, admin)
        kept = dict(http.cookies)
        page = (await http.get("/admin")).text
        out = await http.post("/admin/logout", data={"csrf": csrf_of(page)})
    async with client(app) as http:
        http.cookies.update(kept)
        after = await http.get("/admin")
    assert out.status_code == 200 and "signed out" in out.text
    assert after.status_code == 403
    async with app.uow() as uow:
        actions = list((await uow.session.execute(select(AuditEntry.action).order_by(
            AuditEntry.id))).scalars())
    assert actions == ["sign-in", "sign-out"]


async def test_every_console_route_refuses_strangers_bad_cookies_and_accounts_without_a_role(app):
    admin = await root(app)
    mia = await make_account(app, "mia")
    async with app.uow() as uow:
        await grants.grant(uow, admin.id, mia.id, "support")
        await uow.commit()
    web = create_app(app, run_workers=False)
    routes = console_routes(web)
    async with client(app, web) as signed_out, client(app, web) as forged, \
            client(app, web) as former:
        forged.cookies.set("agora_console", "InRva2VuIg.forged-signature", path="/admin")
        await signed_in(app, former, mia)
        async with app.uow() as uow:  # her role is taken away; her session cookie stays
            await grants.revoke(uow, admin.id, mia.id, "support")
            await uow.commit()
        for method, path in routes:
            for who, http in (("signed out", signed_out), ("forged", forged),
                              ("former", former)):
                answer = await http.request(method, filled(path), data={"csrf": "x"})
                assert answer.status_code == 403, (who, method, path, answer.status_code)
    assert len(routes) >= 20  # every section's pages and forms were tried


async def test_a_support_operator_is_refused_pages_beyond_their_role(app):
    admin = await root(app)
    mia = await make_account(app, "mia")
    async with app.uow() as uow:
        await grants.grant(uow, admin.id, mia.id, "support")
        await uow.commit()
    async with client(app) as http:
        await signed_in(app, http, mia)
        allowed = [(await http.get(p)).status_code for p in ("/admin", "/admin/disputes",
                                                              "/admin/users")]
        refused = [(await http.get(p)).status_code for p in (
            "/admin/moderation", "/admin/payments", "/admin/audit", "/admin/roles",
            "/admin/promotions")]
        home = (await http.get("/admin")).text
    assert allowed == [200, 200, 200] and refused == [403] * 5
    assert 'href="/admin/roles"' not in home and 'href="/admin/disputes"' in home


async def test_a_form_posted_without_or_with_a_wrong_csrf_token_is_refused(app):
    admin = await root(app)
    ann = await make_account(app, "ann")
    async with client(app) as http:
        await signed_in(app, http, admin)
        bare = await http.post(f"/admin/users/{ann.id}/suspend", data={"reason": "Spam, spam"})
        wrong = await http.post(f"/admin/users/{ann.id}/suspend",
                                data={"reason": "Spam, spam", "csrf": "0" * 64})
    assert bare.status_code == 403 and wrong.status_code == 403
    async with app.uow() as uow:
        assert (await uow.session.get(type(ann), ann.id)).suspended_at is None
