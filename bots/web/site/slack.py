"""“Open in Slack” from a public page: Sign in with Slack (OpenID Connect) tells us who the
person is, the engine opens the listing or profile in their DM with the app — as the `/agora`
command or a deep link would — and Slack's app_redirect takes them to that DM.

The `state` names the page (kind and id), a nonce and an expiry, signed with a key derived from
the client secret; the nonce is also kept in a short-lived cookie, so a callback is honoured
only in the browser that started it. The id token comes straight from Slack's token endpoint
over TLS, authenticated by the client secret, so its claims are read without a signature check
(OpenID Connect Core 3.1.3.7); audience, issuer, nonce, expiry and workspace are checked."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from bots.web.deps import ContainerDep, SlackChannelDep
from bots.web.language import speaking
from bots.web.site.errors import not_found, problem
from bots.web.site.links import KINDS, app_redirect, canonical, chat_payload, page_of, slack_web
from config.settings import Settings
from core.errors import NotFound
from core.i18n import N_, _
from core.ids import parse_id
from core.market.index_view import definition
from core.public import consultants as public_consultants
from core.public import listings as public_listings
from core.public import requests as public_requests
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

CALLBACK = "/open/slack/callback"
COOKIE = "agora_slack_sign_in"
STATE_TTL = 600  # seconds to sign in
ISSUER = "https://slack.com"
LEEWAY = 300  # seconds of clock difference allowed on the id token's expiry
EXPIRED = N_("That sign-in has expired or was started in another browser. Open the page again.")


def _key(settings: Settings) -> bytes:
    return hmac.new((settings.slack_client_secret or "").encode(), b"agora:slack-sign-in-state",
                    hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_state(settings: Settings, kind: str, object_id: int, nonce: str, now: float) -> str:
    body = _b64(json.dumps({"k": kind, "i": object_id, "n": nonce,
                            "e": int(now) + STATE_TTL}).encode())
    return f"{body}.{_b64(hmac.new(_key(settings), body.encode(), hashlib.sha256).digest())}"


def read_state(settings: Settings, state: str, now: float) -> dict[str, Any] | None:
    """The state's contents if we signed it and it has not expired."""
    body, _, signature = state.partition(".")
    wanted = _b64(hmac.new(_key(settings), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature.encode(), wanted.encode()):
        return None
    try:
        data = json.loads(_unb64(body))
    except ValueError:
        return None
    ok = isinstance(data, dict) and data.get("k") in KINDS and isinstance(data.get("i"), int) \
        and isinstance(data.get("e"), int) and data["e"] >= now
    return data if ok else None


def authorize_url(settings: Settings, state: str, nonce: str) -> str:
    query = {"response_type": "code", "scope": "openid", "client_id": settings.slack_client_id,
             "state": state, "nonce": nonce, "team": settings.slack_team_id,
             "redirect_uri": canonical(settings, CALLBACK)}
    return slack_web(settings, "/openid/connect/authorize?" + urlencode(query))


def id_claims(id_token: str) -> dict[str, Any]:
    """The claims of the id token (its payload segment)."""
    parts = id_token.split(".")
    claims = json.loads(_unb64(parts[1])) if len(parts) == 3 else None
    if not isinstance(claims, dict):
        raise ValueError("not an id token")
    return claims


def who(settings: Settings, claims: dict[str, Any], nonce: str) -> tuple[str, str] | None:
    """(team id, user id) when the token is for us, this sign-in and our workspace."""
    team, user = claims.get("https://slack.com/team_id"), claims.get("https://slack.com/user_id")
    if (claims.get("aud") == settings.slack_client_id and claims.get("iss") == ISSUER
            and claims.get("nonce") == nonce and isinstance(team, str)
            and team == settings.slack_team_id
            and isinstance(claims.get("exp"), int) and claims["exp"] + LEEWAY > time.time()
            and isinstance(user, str) and user.isalnum()):
        return team, user
    return None


async def still_public(uow: UnitOfWork, kind: str, object_id: int) -> None:
    """NotFound unless the listing is published, the consultant live or the request public."""
    if kind == "listing":
        await public_listings.published(uow, object_id)
    elif kind == "request":
        await public_requests.public_request(uow, object_id)
    elif kind == "index":
        definition(str(object_id))
    else:
        await public_consultants.live_profile(uow, object_id)


# The sign-in's two steps; mounted only where the Slack channel runs (and its sign-in is set up).
router = APIRouter(include_in_schema=False, dependencies=[Depends(speaking)])


@router.get("/open/slack/{kind}/{object_id}")
async def start(request: Request, container: ContainerDep, kind: str, object_id: str
                ) -> Response:
    number = parse_id(object_id)
    try:
        if kind not in KINDS or number is None:
            raise NotFound(_("There is no such page."))
        async with container.uow() as uow:
            await still_public(uow, kind, number)
    except NotFound as exc:
        return not_found(request, str(exc))
    settings = container.settings
    nonce = secrets.token_urlsafe(16)
    state = make_state(settings, kind, number, nonce, container.clock.now().timestamp())
    response = RedirectResponse(authorize_url(settings, state, nonce), status_code=303)
    response.set_cookie(COOKIE, nonce, max_age=STATE_TTL, httponly=True, samesite="lax",
                        secure=settings.public_url.startswith("https://"), path="/open/slack")
    return response


@router.get(CALLBACK)
async def callback(request: Request, container: ContainerDep, slack: SlackChannelDep,
                   state: str = "", code: str = "", error: str = "") -> Response:
    settings = container.settings
    found = read_state(settings, state[:1000], container.clock.now().timestamp())
    nonce = request.cookies.get(COOKIE, "")
    if found is None or not nonce or not hmac.compare_digest(nonce, str(found["n"])):
        return problem(request, _("Sign-in expired"), _(EXPIRED), 400)
    kind, number = found["k"], found["i"]
    if error or not code:  # the person declined on Slack's page
        return RedirectResponse(page_of(kind, number), status_code=303)
    person = await _signed_in(settings, code[:500], nonce)
    if person is None:
        return problem(request, _("Slack sign-in failed"),
                       _("Slack did not confirm who you are. Please try again."), 400)
    try:
        async with container.uow() as uow:
            await still_public(uow, kind, number)
    except NotFound as exc:
        return not_found(request, str(exc))
    await slack.open_link(*person, chat_payload(kind, number), f"sign-in:{nonce}")
    response = RedirectResponse(app_redirect(settings), status_code=303)
    response.delete_cookie(COOKIE, path="/open/slack")
    return response


async def _signed_in(settings: Settings, code: str, nonce: str) -> tuple[str, str] | None:
    """Exchange the code at openid.connect.token; (team id, user id) of the person."""
    # slack_sdk's client loads aiohttp (a third of a second): only a server with Slack needs it.
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(base_url=settings.slack_api_url)
    try:
        answer = await client.openid_connect_token(
            client_id=settings.slack_client_id or "", client_secret=settings.slack_client_secret
            or "", code=code, redirect_uri=canonical(settings, CALLBACK))
        return who(settings, id_claims(str(answer.get("id_token") or "")), nonce)
    except (SlackApiError, ValueError, IndexError) as exc:
        log.info("slack sign-in refused: %s", exc)
        return None
