"""Slack's own surfaces beyond the DM: link previews (unfurls) of Agora's public pages, the
shortcuts, and the "Open in Agora" button those carry.

- `link_shared`: an Agora listing, consultant or market address pasted in any conversation is
  unfurled (`chat.unfurl`) into a card of its public data only — what the public page shows —
  written in the language of the person who pasted it.
- The global shortcut "Search Agora" opens the search form, as `/agora search` does.
- The message shortcut "Ask a consultant about this" opens the consultant directory with the
  message as what the person needs, and keeps it as the topic of the booking they request.
- "Open in Agora" (`agora_open`, a button of unfurls and shared cards) opens the same object in
  the presser's DM with the app, as a deep link does (registering a newcomer first).

The names here are the ones `manifest.yml` declares (tests/slack/test_slack_manifest.py)."""

from __future__ import annotations

import logging
import re
from types import SimpleNamespace
from typing import Any, Protocol
from urllib.parse import urlsplit

from slack_sdk.errors import SlackApiError

from bots.slack.blocks import LINK_PREFIX
from core.errors import NotFound
from core.i18n import _, language_of, n_
from core.money.reading import reading

log = logging.getLogger(__name__)

OPEN_ACTION = "agora_open"  # the "Open in Agora" button: its value is a deep-link payload
SEARCH_SHORTCUT = "search_agora"  # global shortcut
ASK_SHORTCUT = "ask_consultant"  # message shortcut
EVENTS = ("message.im", "app_home_opened", "link_shared")  # bot events the app subscribes to
SHORTCUTS = {SEARCH_SHORTCUT: "global", ASK_SHORTCUT: "message"}
PAGES = re.compile(r"^/(?:(listings|consultants)/(\d{1,12})|(market))/?$")
PAYLOADS = {"listings": "view", "consultants": "consultant"}
TOPIC_LIMIT = 300  # a booking's topic: the first characters of the message


class Host(Protocol):
    """What the surfaces need of the Slack channel (bots.slack.channel) that hosts them."""

    app: Any  # slack_bolt's AsyncApp
    client: Any  # slack_sdk's AsyncWebClient
    container: Any  # config.container.Container

    async def locale(self, user_id: str) -> str | None: ...

    async def run_command(self, body: dict[str, Any], name: str, args: str, source: str
                          ) -> None: ...


class Surfaces:
    """The listeners of Slack's surfaces, bound to the channel that renders for them."""

    def __init__(self, channel: Host) -> None:
        self.channel = channel
        app = channel.app
        app.event("link_shared")(self.on_link_shared)
        app.shortcut(SEARCH_SHORTCUT)(self.on_search_shortcut)
        app.shortcut(ASK_SHORTCUT)(self.on_ask_shortcut)
        app.action(OPEN_ACTION)(self.on_open)

    # --- link previews ----------------------------------------------------------------------

    async def on_link_shared(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """Unfurl the Agora addresses of a shared message, each into its public card."""
        links = [str(link.get("url") or "") for link in event.get("links") or []
                 if isinstance(link, dict)]
        language = await self._language_of(str(event.get("user") or ""))
        unfurls = {}
        for url in links[:5]:
            card = await self.card(url, language)
            if card is not None:
                unfurls[url] = {"blocks": card}
        if not unfurls:
            return
        where = ({"unfurl_id": event["unfurl_id"], "source": event.get("source", "conversations_history")}
                 if event.get("unfurl_id") else
                 {"channel": event.get("channel"), "ts": event.get("message_ts")})
        try:
            await self.channel.client.chat_unfurl(unfurls=unfurls, **where)
        except SlackApiError as exc:  # the message was deleted meanwhile, or is not ours to unfurl
            log.info("slack: could not unfurl (%s)", exc.response.get("error"))

    async def card(self, url: str, language: str = "en") -> list[dict[str, Any]] | None:
        """The blocks of an Agora address's card (its public data), or None when the address
        is not one of Agora's pages or its object is not public."""
        found = self._page(url)
        if found is None:
            return None
        kind, number = found
        with reading(SimpleNamespace(language=language, country=None)):
            try:
                async with self.channel.container.uow() as uow:
                    if kind == "listings":
                        return await _listing_card(uow, url, number)
                    if kind == "consultants":
                        return await _consultant_card(uow, url, number)
                    return await _market_card(uow, url)
            except NotFound:
                return None

    def _page(self, url: str) -> tuple[str, int] | None:
        """(kind, id) of an address on Agora's public site; the market page is ("market", 0)."""
        own = urlsplit(self.channel.container.settings.public_url)
        parts = urlsplit(url)
        if parts.hostname is None or parts.hostname != own.hostname:
            return None
        matched = PAGES.match(parts.path)
        if matched is None:
            return None
        if matched.group(3):
            return "market", 0
        return matched.group(1), int(matched.group(2))

    async def _language_of(self, user_id: str) -> str:
        """The language of the Slack member who shared the link, from their Slack locale."""
        return language_of(await self.channel.locale(user_id)) if user_id else "en"

    # --- shortcuts and the open button ------------------------------------------------------

    async def on_search_shortcut(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        await self.channel.run_command(body, "search", "", "shortcut")

    async def on_ask_shortcut(self, ack: Any, body: dict[str, Any]) -> None:
        """The message's text as what the person needs: the directory opens on it, and the
        booking they request from there carries it as its topic."""
        await ack()
        text = str((body.get("message") or {}).get("text") or "").strip()
        await self.channel.run_command(body, "consultants", " ".join(text.split())[:TOPIC_LIMIT],
                                       "shortcut")

    async def on_open(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        value = str(((body.get("actions") or [{}])[0]).get("value") or "")
        if re.fullmatch(r"(view|consultant|deal)-\d{1,12}|market", value):
            await self.channel.run_command(body, "start", value, "open")


def _open_button(payload: str) -> dict[str, Any]:
    return {"type": "button", "action_id": OPEN_ACTION, "value": payload,
            "text": {"type": "plain_text", "text": _("Open in Agora")[:75]}}


def _view_button(url: str) -> dict[str, Any]:
    return {"type": "button", "action_id": f"{LINK_PREFIX}page", "url": url,
            "text": {"type": "plain_text", "text": _("View the page")[:75]}}


def _blocks(url: str, title: str, lines: list[str], payload: str) -> list[dict[str, Any]]:
    """A card: its title linking to the page, its lines (mrkdwn, what people typed escaped by
    the caller), and its buttons."""
    text = "\n".join([f"*<{url}|{_escape(title)}>*", *(line for line in lines if line)])
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}},
            {"type": "actions", "elements": [_open_button(payload), _view_button(url)]}]


def _escape(text: str) -> str:
    """Slack's mrkdwn escapes: what a seller typed shows as written, never as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def _listing_card(uow: Any, url: str, number: int) -> list[dict[str, Any]]:
    from bots.web.site.views import listing_card, reputation
    from core.public import listings as public

    row = await public.published(uow, number)
    card = listing_card(row)
    seller = await public.seller(uow, row.seller_id)
    price = " · ".join(p for p in (card.price, card.price_mwh) if p)
    lines = [f"{card.product} · {price}", card.quantity and _(
        "Available: {quantity}", quantity=card.quantity), card.place,
        _("Seller: {reputation}", reputation=reputation(seller))]
    return _blocks(url, card.title, [_escape(line) for line in lines if line], f"view-{number}")


async def _consultant_card(uow: Any, url: str, number: int) -> list[dict[str, Any]]:
    from core.public import consultants as public

    page = await public.consultant(uow, number)
    free = await public.next_free(uow, number)
    when = (f"<!date^{int(free.timestamp())}^{{date_short_pretty}} {{time}}|"
            f"{free.strftime('%Y-%m-%d %H:%M')} UTC>" if free else None)
    free_line = _("Next free time: {when}", when=when) if when else _escape(
        _("No free time in the next 7 days"))  # Slack's date token: each reader's own zone
    return _blocks(url, page.name, [_escape(page.headline), _escape(f"{page.rate} · {page.rating}"),
                                    free_line], f"consultant-{number}")


async def _market_card(uow: Any, url: str) -> list[dict[str, Any]]:
    from core.catalog.taxonomy import product
    from core.market.prices import prices_by_product

    lines = []
    for found in (await prices_by_product(uow))[:8]:
        for price in found.listed[:1]:
            lines.append(n_("{product}: {median} per MWh (median of {n} listing)",
                            "{product}: {median} per MWh (median of {n} listings)",
                            price.listings, product=_(product(found.product_type).label),
                            median=price.median))
    return _blocks(url, _("Agora market prices"),
                   [_escape(line) for line in lines or [_("No prices listed yet.")]], "market")
