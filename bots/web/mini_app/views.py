"""How a Mini App screen is sent: a fragment of HTML the app's script puts in its page, never
cached (it is one person's), in that person's language. And what every screen that acts
needs: an Agora account, and the person's own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from bots.web.deps import get_container
from bots.web.mini_app.auth import MiniAppPerson, Registered
from bots.web.pages import render
from core.clock import zone
from core.i18n import current_language

# The address the app shows for a screen an action led to (the script puts it in the history).
LOCATION = "X-App-Location"


def part(request: Request, template: str, status_code: int = 200,
         location: str | None = None, **context: Any) -> HTMLResponse:
    # The language the screen speaks (the account's): the script relabels the shell's tabs,
    # which came in the phone's, when the two differ.
    headers = {"cache-control": "no-store", "content-language": current_language()}
    if location:
        headers[LOCATION] = location
    return render(request, template, status_code=status_code, headers=headers, **context)


def needs_account(request: Request) -> HTMLResponse:
    """The screen that sends someone without an account to the chat, where setting up takes a
    minute (the Mini App asks nothing the chat does not)."""
    bot = get_container(request).settings.telegram_bot_username
    return part(request, "app/message.html", status_code=403, register=True, bot=bot,
                message="")


def zone_of(person: MiniAppPerson | Registered) -> str:
    """The person's time zone's name (UTC when they have none, or not a real one)."""
    return zone(person.account.timezone if person.account is not None else None).key


def local_now(person: MiniAppPerson | Registered, now: datetime) -> datetime:
    """The clock's time in the person's zone (their “today” for a form's dates)."""
    return now.astimezone(zone(zone_of(person)))
