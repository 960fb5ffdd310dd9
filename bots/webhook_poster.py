"""Posting a company's webhook: one HTTP request with httpx, its answer (status, the start of
the body, how long it took) or what went wrong (a timeout, a refused connection) as the
delivery records it. Redirects are not followed: an endpoint answers where it was registered.

The request goes to the address core.webhooks.addresses checked, never to a second lookup of
the name: the URL is rewritten to that address while the Host header and the TLS server name
(httpx's `sni_hostname` extension, against which the certificate is verified) stay the
endpoint's host. No proxy from the environment is used, since a proxy would connect on its own.
Certificates are verified against httpx's authorities (certifi's); only tests add one more, the
test CA that issued their receiver's certificate."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time

import httpx

from core.webhooks.delivery import EXCERPT, Answer


class SystemResolver:
    """core.webhooks.addresses' NameResolver: the system's resolver (getaddrinfo), every address."""

    async def resolve(self, host: str, port: int) -> list[str]:
        found = await asyncio.get_running_loop().getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)
        return [str(info[4][0]) for info in found]


def pinned(url: str, address: str) -> tuple[httpx.URL, str, str]:
    """The URL with its host replaced by `address`; the original's Host header (its host and
    port as written) and TLS server name."""
    original = httpx.URL(url)
    return (original.copy_with(host=address), original.netloc.decode("ascii"),
            original.raw_host.decode("ascii"))


class HttpPoster:
    """core.webhooks.delivery's Poster over httpx, one client per call (webhooks are few).
    `extra_ca`: a PEM file of one more certificate authority to trust besides httpx's own — a
    test's CA (tests/webhooks); production wires none."""

    def __init__(self, extra_ca: str | None = None) -> None:
        self._verify: ssl.SSLContext | bool = True
        if extra_ca is not None:
            self._verify = httpx.create_ssl_context()  # httpx's authorities, as verify=True
            self._verify.load_verify_locations(cafile=extra_ca)

    async def post(self, url: str, address: str, body: bytes, headers: dict[str, str],
                   limit_seconds: float) -> Answer:
        started = time.monotonic()
        target, host, server_name = pinned(url, address)
        try:
            async with httpx.AsyncClient(timeout=limit_seconds, follow_redirects=False,
                                         trust_env=False, verify=self._verify) as client:
                response = await client.post(target, content=body,
                                             headers={**headers, "Host": host},
                                             extensions={"sni_hostname": server_name})
        except httpx.TimeoutException:
            return Answer(None, error="timeout", millis=_since(started))
        except httpx.HTTPError as exc:
            return Answer(None, error=type(exc).__name__, millis=_since(started))
        return Answer(response.status_code, response.text[:EXCERPT], None, _since(started))


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
