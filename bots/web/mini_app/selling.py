"""The Mini App's new listing, on one screen: photos from the phone, a live preview of the card
buyers will see, the chat's own form and checks; Publish saves and submits it as the chat's
Publish does, and leaves in the person's chat what the chat would have said."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import FormData, UploadFile

from bots.http_limits import PHOTOS_AT_ONCE
from bots.web.deps import ContainerDep, FilesDep
from bots.web.mini_app.actions import raw_values, tell_chat
from bots.web.mini_app.auth import MemberDep, PersonDep, Registered, mini_app_person
from bots.web.mini_app.views import local_now, part
from bots.web.pages import TEMPLATES
from bots.web.site.views import listing_card
from config.container import Container
from conversations import confirmations
from conversations.flows.market import listing_fields as lf
from conversations.forms import Form
from core.catalog import lifecycle, listings, media
from core.catalog import rules as listing_rules
from core.errors import DomainError
from core.i18n import _

router = APIRouter(prefix="/app/part", include_in_schema=False,
                   dependencies=[Depends(mini_app_person)])


def _listing_form(start: dict[str, Any], person: Registered) -> Form:
    country = person.account.country or ""
    return lf.quick_form(None, str(start.get("currency") or "EUR"), country)


async def _start(container: Container, person: Registered) -> dict[str, Any]:
    async with container.uow() as uow:
        return await listings.starting_values(uow, person.account)


def _sell_page(request: Request, form: Form, values: dict[str, Any], errors: dict[str, str],
               status_code: int = 200, problem: str = "") -> HTMLResponse:
    specs = [f.spec(values.get(f.name)) for f in form.fields]
    return part(request, "app/sell.html", status_code=status_code, form=form, specs=specs,
                errors=errors, problem=problem, photos_at_once=PHOTOS_AT_ONCE)


@router.get("/sell", response_class=HTMLResponse)
async def sell(request: Request, container: ContainerDep, person: MemberDep) -> Response:
    start = await _start(container, person)
    known = {k: v for k, v in start.items() if k != "currency" and v not in (None, "", [])}
    return _sell_page(request, _listing_form(start, person), known, {})


def _sketch(container: Container, person: Registered, values: dict[str, Any]
            ) -> tuple[dict[str, Any], Any]:
    """The form's values completed as the chat completes them, and the listing they make."""
    full = listing_rules.with_defaults(values, local_now(person, container.clock.now()),
                                       container.policy.listing_days)
    return full, listings.sketch(person.account.id, full, container.clock.now())


@router.post("/sell/preview")
async def sell_preview(request: Request, container: ContainerDep, person: PersonDep
                       ) -> Response:
    """The card buyers will see, from the form as it stands, and what is wrong so far."""
    if person.account is None:  # a preview answers a script: no screen, only the refusal
        return JSONResponse({"html": "", "errors": {}}, status_code=403)
    member = Registered(person.telegram, person.account)
    posted = await request.form()
    form = _listing_form(await _start(container, member), member)
    values, errors = form.validate_all(raw_values(form, posted))
    html, problem = "", ""
    if not errors:
        try:
            html = TEMPLATES.get_template("app/_preview.html").render(
                card=listing_card(_sketch(container, member, values)[1]))
        except DomainError as exc:  # a price or quantity the catalogue's checks refuse
            problem = str(exc)
    return JSONResponse({"html": html, "errors": errors, "problem": problem},
                        headers={"cache-control": "no-store"})


async def _photos(posted: FormData) -> list[tuple[str, str, bytes]]:
    """The photos picked on the phone (name, type, bytes), each checked as a chat upload."""
    picked = [f for f in posted.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    if len(picked) > PHOTOS_AT_ONCE:
        raise DomainError(_("Pick at most {n} photos here; add more from My listings in the "
                            "chat.", n=PHOTOS_AT_ONCE))
    found = []
    for upload in picked:
        data = await upload.read()
        mime = upload.content_type or ""
        media.check_upload("photo", mime, len(data))
        found.append((upload.filename or "photo.jpg", mime, data))
    return found


@router.post("/sell", response_class=HTMLResponse)
async def publish(request: Request, container: ContainerDep, files: FilesDep,
                  person: MemberDep) -> Response:
    """Save the listing with its photos and submit it, as the chat's Publish does."""
    posted = await request.form()
    form = _listing_form(await _start(container, person), person)
    values, errors = form.validate_all(raw := raw_values(form, posted))
    if errors:
        return _sell_page(request, form, {**values, **{k: raw.get(k) for k in errors}}, errors,
                          status_code=400)
    try:
        photos = await _photos(posted)
        full, __ = _sketch(container, person, values)
        async with container.uow() as uow:
            draft = await listings.create_draft(uow, person.account.id, full)
            for name, mime, data in photos:
                await media.attach(uow, files, draft.id, kind="photo", name=name, mime=mime,
                                   data=data)
            listing_id = draft.id
            status = await lifecycle.submit(uow, listing_id, person.account.id)
            said = confirmations.published(listing_id, status)
            await tell_chat(uow, person.account.id, said)
            await uow.commit()
    except DomainError as exc:
        return _sell_page(request, form, values, {}, status_code=400, problem=str(exc))
    view = f"/app/listings/{listing_id}" if status != listing_rules.ListingState.PENDING_REVIEW \
        else None
    return part(request, "app/done.html", location=view or "/app/mine", said=said.text,
                view=view, more="/app/sell")
