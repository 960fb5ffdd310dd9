"""The Telegram Mini App: Agora inside Telegram, opened from the bot's menu button.

`/app/…` is the app's shell, the same page at every address: Telegram's script, our stylesheet
and `static/mini_app.js`. The script reads the `initData` Telegram hands the app and loads each
screen from `/app/part/…` with it in the Authorization header (bots.web.mini_app.auth), so
every request is signed afresh; screens are server-rendered HTML, as the site's pages are.

Here: the shell and the screens that only read — browse and search (the site's one-line
search, cards and map), a listing with its next steps, My listings, My deals with each deal's
next step, the consultant directory and a consultant's booking calendar. The screens that act
are in bots.web.mini_app.actions and bots.web.mini_app.selling, a person's bookings in
bots.web.mini_app.bookings, a deal with its steps in bots.web.mini_app.deal_room (its own PDFs
in bots.web.mini_app.documents), auctions and their bids in bots.web.mini_app.bidding; all go
through the same core services as the chat."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from bots.web.deps import ContainerDep
from bots.web.language import speaking
from bots.web.mini_app import actions, bidding, bookings, deal_room, documents, selling
from bots.web.mini_app.auth import SCHEME, MemberDep, NotRegistered, NotSignedIn, PersonDep, mini_app_person
from bots.web.mini_app.views import needs_account, part, zone_of
from bots.web.pages import render
from bots.web.site import search as site_search
from bots.web.site.errors import page_number
from bots.web.site.listings import listing_page, map_points
from bots.web.site.views import result_card
from core.catalog import lifecycle, views
from core.consulting import views as consulting_views
from core.consulting.profiles.directory import DirectoryQuery
from core.consulting.profiles.taxonomy import CATEGORIES
from core.deals import dashboard
from core.deals.carbon import records as carbon_records
from core.deals.carbon.words import member_lines
from core.errors import DomainError, NotFound
from core.i18n import _
from core.ids import parse_id
from core.public import listings as public
from core.public.consultants import GONE as CONSULTANT_GONE

CALENDAR_DAYS = 14
CALENDAR_TIMES = 40

parts = APIRouter(prefix="/app/part", include_in_schema=False,
                  dependencies=[Depends(mini_app_person)])


@parts.get("", response_class=HTMLResponse)
@parts.get("/listings", response_class=HTMLResponse)
async def browse(request: Request, container: ContainerDep, person: PersonDep,
                 page: str = "1") -> Response:
    """Listings: the chat's one-line search, as cards with a map."""
    search = site_search.read(request.query_params)
    wanted = site_search.params(search)
    assert container.catalog is not None  # wired by the composition root
    async with container.uow() as uow:
        found = await public.latest(uow, container.catalog, search.query, page_number(page))
        cards = [result_card(result) for result in found.results]
    settings = container.settings
    return part(request, "app/browse.html", cards=cards, found=found, search=search,
                kept=[(k, v) for k, v in wanted.items() if k != "q"],  # a new line keeps them
                chips=[(label, "/app" + without) for label, without in site_search.chips(search)],
                map_points=map_points(cards, "/app"), tiles=settings.map_tiles_url,
                attribution=settings.map_attribution,
                page_link=lambda n: "/app" + site_search.address(wanted, n))


@parts.get("/listings/{listing_id}", response_class=HTMLResponse)
async def listing(request: Request, container: ContainerDep, person: PersonDep,
                  listing_id: str) -> Response:
    """A listing with its next steps: Buy now, Make an offer (where it is negotiable), Ask."""
    try:
        page = await listing_page(container, listing_id)
    except NotFound as exc:
        return part(request, "app/message.html", status_code=404, message=str(exc))
    return part(request, "app/listing.html", card=page.card, seller=page.seller,
                reputation=page.reputation, own=person.account_id == page.seller_id)


@parts.get("/frame", response_class=HTMLResponse)
async def frame(request: Request, person: PersonDep) -> Response:
    """The app's tabs in the account's language (the shell's are in the phone's)."""
    return part(request, "app/_tabs.html")


@parts.get("/mine", response_class=HTMLResponse)
async def my_listings(request: Request, container: ContainerDep, person: MemberDep) -> Response:
    async with container.uow() as uow:
        mine = [{"id": m.id, "title": m.title, "status": m.status}
                for m in await views.mine(uow, person.account.id)]
    return part(request, "app/mine.html", listings=mine, labels=lifecycle.STATUS_LABELS)


@parts.get("/deals", response_class=HTMLResponse)
async def my_deals(request: Request, container: ContainerDep, person: MemberDep) -> Response:
    """Deals, each with the one next step it needs from this person, and open offers."""
    async with container.uow() as uow:
        deals = await dashboard.my_deals(uow, person.account.id)
        offers = await dashboard.open_offers(uow, person.account.id)
        carbon = await carbon_records.standing(uow, person.account.id, person.account.timezone)
    now = container.clock.now()
    statements = [(year, documents.link(container.settings, documents.STATEMENT, year,
                                        person.account.id, now)) for year in carbon.years]
    return part(request, "app/deals.html", deals=deals, offers=offers,
                waiting=_(dashboard.WAITING_ON_OTHERS),
                carbon=member_lines(carbon), statements=statements)


@parts.get("/consultants", response_class=HTMLResponse)
async def consultants(request: Request, container: ContainerDep, person: PersonDep,
                      q: str = "", category: str = "", page: str = "1") -> Response:
    query = DirectoryQuery(text=q[:100], category=category if category in CATEGORIES else None,
                           page=page_number(page), per_page=12)
    assert container.directory is not None  # wired by the composition root
    async with container.uow() as uow:
        found = await container.directory.search(uow, query)
    return part(request, "app/consultants.html", found=found, q=query.text,
                category=query.category or "", categories=CATEGORIES)


@parts.get("/consultants/{consultant_id}", response_class=HTMLResponse)
async def consultant(request: Request, container: ContainerDep, person: PersonDep,
                     consultant_id: str) -> Response:
    """A consultant's page with the booking calendar: free times by day, in the person's zone."""
    number = parse_id(consultant_id)
    zone = zone_of(person)
    try:
        if number is None:
            raise NotFound(_(CONSULTANT_GONE))
        async with container.uow() as uow:
            page = await consulting_views.consultant_view(
                uow, number, person.account_id, zone, days=CALENDAR_DAYS, shown=CALENDAR_TIMES)
            await uow.commit()  # a view counts for the consultant's running promotion
    except DomainError as exc:
        return part(request, "app/message.html", status_code=404, message=str(exc))
    return part(request, "app/consultant.html", c=page, days=_by_day(page.slots, zone),
                zone=zone, own=person.account_id == number)


def _by_day(slots: list[Any], zone: str) -> list[tuple[Any, list[Any]]]:
    """The free starts grouped by their day in the person's zone (the calendar's rows)."""
    days: dict[Any, list[Any]] = {}
    for start in slots:
        days.setdefault(start.astimezone(ZoneInfo(zone)).date(), []).append(start)
    return list(days.items())


shell = APIRouter(prefix="/app", include_in_schema=False, dependencies=[Depends(speaking)])


@shell.get("", response_class=HTMLResponse)
@shell.get("/{path:path}", response_class=HTMLResponse)
async def app_shell(request: Request, path: str = "") -> HTMLResponse:
    """The same page at every address of the app; its script loads the screen of the address.
    Nothing personal is in it: that needs the signed initData, which only the script has."""
    return render(request, "app/shell.html", headers={"cache-control": "no-cache"},
                  bot=request.app.state.container.settings.telegram_bot_username)


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    why = str(getattr(exc, "detail", ""))
    return render(request, "app/message.html", status_code=401, refused=True, message=why,
                  headers={"www-authenticate": SCHEME, "x-refused": why,
                           "cache-control": "no-store"})


async def _not_registered(request: Request, exc: Exception) -> Response:
    return needs_account(request)


def install(app: FastAPI) -> None:
    """The Mini App's routes (screens before the shell, which answers every other address)."""
    app.include_router(parts)
    app.include_router(actions.router)
    app.include_router(selling.router)
    app.include_router(bookings.router)
    app.include_router(deal_room.router)
    app.include_router(documents.router)
    app.include_router(bidding.router)
    app.include_router(shell)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(NotRegistered, _not_registered)
