"""The Mini App's screens that act on a listing: an offer or a purchase (the chat's offer form,
then its preview, then Send) and a question to the seller. A new listing is made in
bots.web.mini_app.selling, a consultant's free time requested in bots.web.mini_app.bookings.

Each goes through the core service the chat uses, and leaves in the person's chat what the
chat would have said (conversations.confirmations) — with the same next steps as buttons — so
the conversation carries on there; the other party hears as they do from the chat."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from bots.web.deps import ContainerDep
from bots.web.mini_app.auth import CHANNEL, MemberDep, Registered, mini_app_person
from bots.web.mini_app.views import local_now, part
from config.container import Container
from conversations import confirmations
from conversations.confirmations import Confirmation
from conversations.fields import Raw
from conversations.flows.deals.offer import review_text
from conversations.flows.deals.offering import Offering, offering
from conversations.forms import Form
from core.catalog.listing_card import ListingCard
from core.deals import views as deal_views
from core.deals.approvals import service as approvals
from core.deals.offers.facts import Terms
from core.deals.threads import service as threads
from core.errors import DomainError
from core.i18n import _
from core.ids import parse_id
from core.notifications.outbox import notify
from core.storage.uow import UnitOfWork

router = APIRouter(prefix="/app/part", include_in_schema=False,
                   dependencies=[Depends(mini_app_person)])
MAX_QUESTION = 2000


def raw_values(form: Form, posted: FormData) -> dict[str, Raw]:
    """A posted HTML form as the chat's form reads a whole-form submission."""
    raw: dict[str, Raw] = {}
    for field in form.fields:
        if field.kind == "multichoice":
            raw[field.name] = [str(v) for v in posted.getlist(field.name)]
        else:
            value = posted.get(field.name)
            raw[field.name] = value.strip() if isinstance(value, str) else None
    return raw


async def tell_chat(uow: UnitOfWork, account_id: int, said: Confirmation) -> None:
    """What the chat would have answered, left in the person's Telegram chat."""
    await notify(uow, account_id, said.text, buttons=said.actions, channel=CHANNEL)



async def _offering(request: Request, container: Container, person: Registered,
                    listing_id: str, verb: str) -> Offering | Response:
    """The offering behind `/listings/{id}/{verb}`, or the screen that says why there is none."""
    number = parse_id(listing_id)
    if number is None or verb not in ("offer", "buy", "ask"):
        return part(request, "app/message.html", status_code=404, message=_("No such page."))
    today = local_now(person, container.clock.now()).date()
    try:
        async with container.uow() as uow:
            return await offering(uow, number, person.account.id, verb == "buy", today)
    except DomainError as exc:
        return part(request, "app/message.html", status_code=400, message=str(exc))


def _accepted(container: Container) -> tuple[str, ...]:
    payments = container.engine.services.payments
    return tuple(payments.methods) if payments is not None else ()


@router.get("/listings/{listing_id}/{verb}", response_class=HTMLResponse)
async def offer_form(request: Request, container: ContainerDep, person: MemberDep,
                     listing_id: str, verb: str) -> Response:
    """`offer` or `buy`: the chat's offer form, filled in with its defaults; `ask`: a message."""
    found = await _offering(request, container, person, listing_id, verb)
    if not isinstance(found, Offering):
        return found
    if verb == "ask":
        return part(request, "app/ask.html", listing=found.listing, text="", error="")
    specs = [f.spec(found.start.get(f.name)) for f in found.form.fields]
    return part(request, "app/offer.html", listing=found.listing, specs=specs, errors={},
                buying=found.fixed, review="", raw={})


@router.post("/listings/{listing_id}/{verb}", response_class=HTMLResponse)
async def make_offer(request: Request, container: ContainerDep, person: MemberDep,
                     listing_id: str, verb: str) -> Response:
    """The form checked as the chat checks it; then its preview; Send places it."""
    found = await _offering(request, container, person, listing_id, verb)
    if not isinstance(found, Offering):
        return found
    listing, fixed, form = found.listing, found.fixed, found.form
    posted = await request.form()
    if verb == "ask":
        return await _ask(request, container, person, listing, str(posted.get("text") or ""))
    raw = raw_values(form, posted)
    values, errors = found.checked(raw)
    if errors:
        specs = [f.spec(raw.get(f.name)) for f in form.fields]
        return part(request, "app/offer.html", status_code=400, listing=listing, specs=specs,
                    errors=errors, buying=fixed, review="", raw={})
    if posted.get("send") != "1":  # the preview first, as in the chat
        mode = "buy" if fixed else "offer"
        return part(request, "app/offer.html", listing=listing, specs=[], errors={},
                    buying=fixed, raw=raw,
                    review=review_text(listing, values, mode, fixed, _accepted(container)))
    return await _place(request, container, person, listing, found.terms(values), fixed)


async def _place(request: Request, container: Container, person: Registered,
                 listing: ListingCard, terms: Terms, fixed: bool) -> Response:
    try:
        async with container.uow() as uow:
            placed = await (approvals.buy if fixed else approvals.offer)(
                uow, listing.id, person.account.id, terms)
            said = confirmations.placed(placed, buying=fixed)
            await tell_chat(uow, person.account.id, said)
            await uow.commit()
    except DomainError as exc:
        return part(request, "app/message.html", status_code=400, message=str(exc))
    return part(request, "app/done.html", location="/app/deals", said=said.text,
                view="/app/deals", more=None)


async def _ask(request: Request, container: Container, person: Registered,
               listing: ListingCard, text: str) -> Response:
    """A message to the seller, as the chat's “Ask the seller” sends it."""
    text = text.strip()
    if not text or len(text) > MAX_QUESTION:
        error = _("Type your question (up to {n} characters).", n=MAX_QUESTION)
        return part(request, "app/ask.html", status_code=400, listing=listing,
                    text=text[:MAX_QUESTION], error=error)
    try:
        async with container.uow() as uow:
            message = await threads.ask(uow, listing.id, person.account.id, text)
            other, __ = await deal_views.thread_names(uow, message.thread_id, person.account.id)
            said = confirmations.question_sent(other, message.masked, message.thread_id)
            await tell_chat(uow, person.account.id, said)
            await uow.commit()
    except DomainError as exc:
        return part(request, "app/ask.html", status_code=400, listing=listing, text=text,
                    error=str(exc))
    page = f"/app/listings/{listing.id}"
    return part(request, "app/done.html", location=page, said=said.text, view=page, more=None)
