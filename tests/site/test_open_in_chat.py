"""“Open in Telegram” and “Open in Slack” land on the same listing or profile in chat: the
Telegram deep link through the engine's deep-link registry, Slack through Sign in with Slack
(the real SDK against the fake Slack, which plays slack.com's consent page too)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from bots.server import create_app
from bots.slack.channel import SlackChannel
from config.container import Container, build
from config.settings import Settings
from tests.catalog.helpers import make_account, publish
from tests.consulting.helpers import consultant
from tests.slack.conftest import SIGNING_SECRET, _settle
from tests.support.accounts import registered
from tests.support.chat import ChatUser
from tests.support.fake_slack import FakeSlack
from tests.support.servers import free_port, serve

APP_ID = "A0AGORA"


@dataclass
class Site:
    app: Container
    slack: FakeSlack
    browser: httpx.AsyncClient  # follows redirects and keeps cookies, as a browser does
    base: str


@pytest.fixture
async def site(db_url, clock, mailbox, tmp_path) -> AsyncIterator[Site]:
    slack = FakeSlack()
    port = free_port()
    async with serve(slack.app) as slack_url:
        settings = Settings(  # type: ignore[call-arg]
            database_url=db_url, environment="test", data_dir=str(tmp_path / "data"),
            public_url=f"http://127.0.0.1:{port}", slack_bot_token=slack.token,
            slack_signing_secret=SIGNING_SECRET, slack_api_url=f"{slack_url}/api/",
            slack_client_id=slack.client_id, slack_client_secret=slack.client_secret,
            slack_app_id=APP_ID, slack_team_id=slack.team_id)
        app = build(settings, clock=clock, senders={"email": mailbox})
        channel = SlackChannel(app)
        async with serve(create_app(app, [channel], run_workers=False), port) as base, \
                httpx.AsyncClient(base_url=base, follow_redirects=True) as browser:
            try:
                yield Site(app, slack, browser, base)
            finally:
                await _settle()
                with contextlib.suppress(Exception):
                    await channel.stop()
                await app.close()


def slack_button(page: str) -> str:
    [href] = re.findall(r'<a class="button[a-z ]*" href="([^"]+)" rel="nofollow">'
                        r'(?:Open|Book) in Slack</a>', page)
    return href


async def test_open_in_slack_signs_in_and_lands_the_listing_card_in_the_persons_dm(site):
    seller = await make_account(site.app, "sam")
    listing_id = await publish(site.app, seller)
    await registered(site.app, "T0AGORA:U7BOB", channel="slack", address="U7BOB",
                     display_name="Bob")
    page = (await site.browser.get(f"/listings/{listing_id}")).text
    assert slack_button(page) == f"/open/slack/listing/{listing_id}"
    landed = await site.browser.get(slack_button(page))
    assert landed.status_code == 200 and landed.url.path == "/app_redirect"
    assert parse_qs(landed.url.query.decode()) == {"app": [APP_ID], "team": ["T0AGORA"]}
    authorize = next(r for r in landed.history if r.url.path.startswith("/open/slack/listing"))
    sent_to = urlparse(authorize.headers["location"])
    assert sent_to.path == "/openid/connect/authorize"
    card = await site.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == "U7BOB"
                                     and "ENplus A1 wood pellets" in str(p))
    assert "Save to watchlist" in str(card["blocks"])  # the same card /agora view shows
    callback = next(r for r in landed.history if r.url.path == "/open/slack/callback")
    again = await site.browser.get(str(callback.url))  # a replayed callback opens nothing
    assert again.status_code == 400 and "expired" in again.text
    await _settle()
    cards = [p for p in site.slack.calls_to("chat.postMessage")
             if p.get("channel") == "U7BOB" and "ENplus A1 wood pellets" in str(p)]
    assert len(cards) == 1


async def test_open_in_slack_opens_a_consultants_profile_and_refuses_forged_states(site):
    cora = await consultant(site.app, "cora")
    await registered(site.app, "T0AGORA:U7BOB", channel="slack", address="U7BOB")
    page = (await site.browser.get(f"/consultants/{cora.id}")).text
    landed = await site.browser.get(slack_button(page))
    assert landed.url.path == "/app_redirect"
    await site.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == "U7BOB"
                              and "Pellet quality auditor" in str(p))
    started = await site.browser.get(f"/open/slack/consultant/{cora.id}",
                                     follow_redirects=False)
    state = parse_qs(urlparse(started.headers["location"]).query)["state"][0]
    body, _, signature = state.partition(".")
    forged = await site.browser.get("/open/slack/callback",
                                    params={"state": body + "x." + signature, "code": "c"})
    assert forged.status_code == 400
    async with httpx.AsyncClient(base_url=site.base) as other_browser:  # without our cookie
        elsewhere = await other_browser.get("/open/slack/callback",
                                            params={"state": state, "code": "c"})
    assert elsewhere.status_code == 400
    assert (await site.browser.get("/open/slack/listing/999")).status_code == 404
    assert (await site.browser.get("/open/slack/nonsense/1")).status_code == 404


async def test_a_slack_newcomer_is_asked_to_register_first(site):
    seller = await make_account(site.app, "sam")
    listing_id = await publish(site.app, seller)
    page = (await site.browser.get(f"/listings/{listing_id}")).text
    assert (await site.browser.get(slack_button(page))).url.path == "/app_redirect"
    asked = await site.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == "U7BOB")
    assert asked["text"].startswith("Registration")  # the listing follows once registered


async def test_the_telegram_links_of_the_site_open_the_same_listing_and_consultant(app):
    seller = await make_account(app, "sam")
    listing_id = await publish(app, seller)
    cora = await consultant(app, "cora")
    await make_account(app, "bob", roles=("buyer",))
    from bots.web.site.links import chat_payload

    bob = ChatUser(app, "bob")
    await bob.say(f"/start {chat_payload('listing', listing_id)}")
    assert "ENplus A1 wood pellets" in bob.texts()
    await bob.say(f"/start {chat_payload('consultant', cora.id)}")
    assert "Pellet quality auditor" in bob.texts()
    assert "Book a time" in " ".join(bob.labels())


async def test_a_development_site_without_chat_apps_shows_the_terminal_recipe(db_url, clock,
                                                                              tmp_path):
    settings = Settings(database_url=db_url, environment="development",  # type: ignore[call-arg]
                        data_dir=str(tmp_path / "data"), public_url="https://agora.example")
    app = build(settings, clock=clock)
    try:
        listing_id = await publish(app, await make_account(app, "sam"))
        cora = await consultant(app, "cora")
        transport = httpx.ASGITransport(app=create_app(app, run_workers=False))
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as web:
            home, listing, profile = [(await web.get(path)).text for path in (
                "/", f"/listings/{listing_id}", f"/consultants/{cora.id}")]
    finally:
        await app.close()
    for page in (home, listing, profile):
        assert "<code>agora chat --as NAME</code>" in page and "Open in Telegram" not in page
    assert f"type <code>/start view-{listing_id}</code>" in listing
    assert f"type <code>/start consultant-{cora.id}</code>" in profile
    assert "then\ntype" not in home and "type <code>" not in home


async def test_a_site_outside_development_without_chat_apps_shows_no_terminal_recipe(app):
    transport = httpx.ASGITransport(app=create_app(app, run_workers=False))
    async with httpx.AsyncClient(transport=transport, base_url="https://agora.example") as web:
        assert "agora chat" not in (await web.get("/")).text  # a test server: not development
