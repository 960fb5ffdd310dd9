"""`Idempotency-Key` on every POST: the work and its answer are committed together under the
key (core.companies.api_replays), so a retry — after a lost answer, or sent twice at once, to
one worker or two — is given the first answer (`Idempotent-Replayed: true`) and nothing is done
twice; the same key with another request is refused (422, `idempotency_key_reused`). A request
core refuses changes nothing and keeps nothing: its retry is asked afresh."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Header, Request
from fastapi.responses import Response
from pydantic import BaseModel

from bots.api.problems import ApiProblem
from core.companies import api_replays
from core.companies.api_keys import KeyHolder
from core.i18n import _
from core.storage.uow import UnitOfWork

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=api_replays.KEY_LIMIT,
    description="Required on every POST: a retry with the same key gets the first answer.")]
JSON = "application/json"

Work = Callable[[UnitOfWork], Awaitable[tuple[int, BaseModel]]]


def fingerprint(request: Request, body: BaseModel | None) -> str:
    """What makes two requests the same: method, path and the body as the API read it."""
    said = body.model_dump_json() if body is not None else ""
    return hashlib.sha256(f"{request.method} {request.url.path}\n{said}".encode()).hexdigest()


async def once(request: Request, uow: UnitOfWork, key: KeyHolder,
               idempotency_key: str | None, body: BaseModel | None, work: Work) -> Response:
    """Do `work` once under the key, in the request's unit of work, and commit it with its
    answer; or answer as it was answered."""
    if not idempotency_key or not idempotency_key.strip():
        raise ApiProblem("idempotency_key_missing",
                         _("Send an Idempotency-Key header with every POST (a UUID will do)."))
    said = fingerprint(request, body)
    kept = await api_replays.claim(uow, key.company_id, idempotency_key, said)
    if kept is None:
        status, answer = await work(uow)
        text = answer.model_dump_json(exclude_none=True)
        await api_replays.keep(uow, key.company_id, idempotency_key, status, text)
        await uow.commit()
        return Response(text, status_code=status, media_type=JSON)
    if kept.fingerprint != said:
        raise ApiProblem("idempotency_key_reused", _(
            "That Idempotency-Key was used for another request; use a new key for a new "
            "request."))
    return Response(kept.body, status_code=kept.status, media_type=JSON,
                    headers={"Idempotent-Replayed": "true"})
