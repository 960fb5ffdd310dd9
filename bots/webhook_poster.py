"""Posting a company's webhook: one HTTP request with httpx, its answer (status, the start of
the body, how long it took) or what went wrong (a timeout, a refused connection) as the
delivery records it. Redirects are not followed: an endpoint answers where it was registered."""

from __future__ import annotations

import time

import httpx

from core.webhooks.delivery import EXCERPT, Answer


class HttpPoster:
    """core.webhooks.delivery's Poster over httpx, one client per call (webhooks are few)."""

    async def post(self, url: str, body: bytes, headers: dict[str, str],
                   limit_seconds: float) -> Answer:
        started = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=limit_seconds, follow_redirects=False) as client:
                response = await client.post(url, content=body, headers=headers)
        except httpx.TimeoutException:
            return Answer(None, error="timeout", millis=_since(started))
        except httpx.HTTPError as exc:
            return Answer(None, error=type(exc).__name__, millis=_since(started))
        return Answer(response.status_code, response.text[:EXCERPT], None, _since(started))


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
