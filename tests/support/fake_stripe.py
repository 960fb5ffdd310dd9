"""Stripe for tests: the real `localstripe` for PaymentIntents and refunds, behind a small fake.

localstripe (PyPI) keeps PaymentIntents, charges, refunds and balance transactions, but has no
Connect (accounts, account links, transfers) or Checkout Sessions and ignores idempotency keys.
This ASGI app answers those itself, replays a request with a known Idempotency-Key like Stripe,
and forwards everything else to localstripe (dropping `transfer_group`, which it rejects).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from tests.support.servers import free_port

_ids = itertools.count(1)


def start_localstripe() -> tuple[subprocess.Popen[bytes], str]:
    """Start localstripe on a free port (another if that one was taken); returns it and its URL."""
    for _ in range(3):
        started = _start_on(free_port())
        if started is not None:
            return started
    raise RuntimeError("localstripe did not start")


def _start_on(port: int) -> tuple[subprocess.Popen[bytes], str] | None:
    exe = os.path.join(os.path.dirname(sys.executable), "localstripe")
    proc = subprocess.Popen([exe, "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a loaded CI machine imports slowly
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url + "/v1/balance", auth=("sk_test_x", ""), timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    proc.wait(10)
    return None


class FakeStripe:
    def __init__(self, localstripe_url: str) -> None:
        self.upstream = localstripe_url
        self.accounts: dict[str, dict[str, Any]] = {}
        self.transfers: list[dict[str, Any]] = []
        self.sessions: list[dict[str, Any]] = []
        self._replies: dict[str, tuple[int, bytes]] = {}
        self._lock = asyncio.Lock()
        self.app = FastAPI()
        self.app.add_api_route("/{path:path}", self.handle, methods=["GET", "POST", "DELETE"])

    async def handle(self, path: str, request: Request) -> Response:
        key = request.headers.get("idempotency-key")
        async with self._lock:  # Stripe answers a repeated key with the first answer
            if key and key in self._replies:
                status, body = self._replies[key]
                return Response(body, status, media_type="application/json")
            form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
            status, body = await self._answer(request, "/" + path, form)
            if key and request.method == "POST" and status < 500:
                self._replies[key] = (status, body)
        return Response(body, status, media_type="application/json")

    async def _answer(self, request: Request, path: str, form: dict[str, str]) -> tuple[int, bytes]:
        own = {"/v1/accounts": self._account, "/v1/account_links": self._account_link,
               "/v1/transfers": self._transfer, "/v1/checkout/sessions": self._session}
        if request.method == "POST" and path in own:
            reply = JSONResponse(own[path](form))
            return reply.status_code, bytes(reply.body)
        if path == "/v1/payment_intents":
            form = {k: v for k, v in form.items() if not k.startswith("transfer_group")}
        async with httpx.AsyncClient(base_url=self.upstream) as http:
            upstream = await http.request(request.method, path, params=request.query_params,
                                          content=urlencode(form) if form else None, headers={
                "Authorization": request.headers.get("authorization", ""),
                "Content-Type": "application/x-www-form-urlencoded"})
        return upstream.status_code, upstream.content

    def _account(self, form: dict[str, str]) -> dict[str, Any]:
        account = {"id": f"acct_{next(_ids)}", "object": "account", "type": form.get("type"),
                   "charges_enabled": False, "payouts_enabled": False, "details_submitted": False}
        self.accounts[account["id"]] = account
        return account

    def _account_link(self, form: dict[str, str]) -> dict[str, Any]:
        return {"object": "account_link", "url": f"https://connect.stripe.test/setup/{form['account']}",
                "expires_at": int(time.time()) + 300, "created": int(time.time())}

    def _transfer(self, form: dict[str, str]) -> dict[str, Any]:
        transfer = {"id": f"tr_{next(_ids)}", "object": "transfer", "amount": int(form["amount"]),
                    "currency": form["currency"], "destination": form["destination"],
                    "source_transaction": form.get("source_transaction"),
                    "transfer_group": form.get("transfer_group"),
                    "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}}
        self.transfers.append(transfer)
        return transfer

    def _session(self, form: dict[str, str]) -> dict[str, Any]:
        session = {"id": f"cs_test_{next(_ids)}", "object": "checkout.session", "form": form,
                   "url": f"https://checkout.stripe.test/pay/cs_{len(self.sessions)}"}
        self.sessions.append(session)
        return session
