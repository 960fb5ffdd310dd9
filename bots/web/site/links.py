"""Where the public site points: canonical URLs, and the chat links that land on the same
listing or consultant in Telegram (a deep link) or Slack (Sign in with Slack, then the app)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

from bots.web.deps import get_container
from config.settings import Settings
from core.indices.definitions import BY_NUMBER

# The deep link's flow for each kind of page: `view-42` opens listing 42, `consultant-7`
# consultant 7, `see_request-5` request for supply 5, `index-1` price index 1
# (conversations.registry.deep_link), on Telegram and through Slack's sign-in.
KINDS = {"listing": "view", "consultant": "consultant", "request": "see_request",
         "index": "index"}


@dataclass(frozen=True)
class ChatLinks:
    telegram: str | None  # None: that channel is not set up, so no button (never a dead link)
    slack: str | None
    # In development with neither set up, the way in is `agora chat --as NAME`: what to type
    # there to land on the page's object ("" nothing: the chat opens at its start).
    terminal: str | None = None


def _terminal(settings: Settings, telegram: str | None, slack: str | None, typed: str
              ) -> ChatLinks:
    """The links, or in development with no chat app set up, the terminal's recipe."""
    local = settings.environment == "development" and not (telegram or slack)
    return ChatLinks(telegram, slack, typed if local else None)


def settings_of(request: Request) -> Settings:
    return get_container(request).settings


def canonical(settings: Settings, path: str) -> str:
    """The page's address under AGORA_PUBLIC_URL."""
    return settings.public_url.rstrip("/") + path


def chat_payload(kind: str, object_id: int) -> str:
    return f"{KINDS[kind]}-{object_id}"


def page_of(kind: str, object_id: int) -> str:
    """The site's page of an object a chat link names (where a declined sign-in returns)."""
    if kind == "index":
        return f"/indices/{BY_NUMBER[object_id].code}" if object_id in BY_NUMBER else "/indices"
    return {"listing": "/listings/", "request": "/requests/"}.get(kind, "/consultants/") + \
        str(object_id)


def slack_ready(request: Request) -> bool:
    """Sign in with Slack is configured and this server runs the Slack app."""
    return settings_of(request).slack_sign_in_enabled and \
        getattr(request.app.state, "slack_channel", None) is not None


def slack_web(settings: Settings, path: str) -> str:
    """An address on Slack's website, the host of the configured Web API."""
    return settings.slack_api_url.rstrip("/").removesuffix("/api") + path


def app_redirect(settings: Settings) -> str:
    """Slack's link into the app's DM in the configured workspace."""
    query = urlencode({"app": settings.slack_app_id or "", "team": settings.slack_team_id or ""})
    return slack_web(settings, f"/app_redirect?{query}")


def chat_links(request: Request, kind: str, object_id: int) -> ChatLinks:
    """“Open in Telegram” and “Open in Slack” for a page, where each channel is set up."""
    settings = settings_of(request)
    telegram = (f"https://t.me/{settings.telegram_bot_username}?start="
                f"{chat_payload(kind, object_id)}") if settings.telegram_enabled else None
    slack = f"/open/slack/{kind}/{object_id}" if slack_ready(request) else None
    return _terminal(settings, telegram, slack, f"/start {chat_payload(kind, object_id)}")


def bot_links(request: Request) -> ChatLinks:
    """The bots themselves, for the home page."""
    settings = settings_of(request)
    telegram = f"https://t.me/{settings.telegram_bot_username}" if settings.telegram_enabled \
        else None
    slack = app_redirect(settings) if settings.slack_enabled and settings.slack_app_id and \
        settings.slack_team_id else None
    return _terminal(settings, telegram, slack, "")
