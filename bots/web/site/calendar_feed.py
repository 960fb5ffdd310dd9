"""GET /feeds/bookings/{token}.ics: a member's private subscription address of their bookings
(core.consulting.bookings.feed), which calendar apps poll. No sign-in: the token is the key,
so an unknown or retired one answers 404 and the feed is never cached by a proxy."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from bots.web.deps import ContainerDep
from core.consulting.bookings.feed import feed_of

router = APIRouter(include_in_schema=False)


@router.get("/feeds/bookings/{token}.ics")
async def bookings_feed(token: str, container: ContainerDep) -> Response:
    async with container.uow() as uow:
        body = await feed_of(uow, token)
    if body is None:
        raise HTTPException(404)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"})
