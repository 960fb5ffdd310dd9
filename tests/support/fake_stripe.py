"""Stripe for tests: the real `localstripe` for PaymentIntents and refunds, behind a small fake.

localstripe (PyPI) keeps PaymentIntents, charges, refunds and balance transactions, but has no
Connect (accounts, account links, transfers) or Checkout Sessions and ignores idempotency keys.
This ASGI app answers those itself, replays a request with a known Idempotency-Key like Stripe,
and forwards everything else to localstripe (dropping `transfer_group`, which it rejects).

Bank transfers (`customer_balance`, which localstripe lacks) are answered here too, as Stripe
documents them: a confirmed PaymentIntent shows `display_bank_transfer_instructions` (a virtual
IBAN per Customer, a reference, `amount_remaining`); the test helper `fund_cash_balance` puts
money on the Customer's cash balance and applies it to the Customer's open PaymentIntent (too
much stays on the balance); cancelling the PaymentIntent puts what it took back; a Refund with
`origin=customer_balance` returns money from the balance; each move is a cash balance
transaction, listed newest first.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
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
        self.bank_intents: dict[str, dict[str, Any]] = {}  # customer_balance PaymentIntents
        self.intent_forms: list[dict[str, str]] = []  # the parameters each was created with
        self.balances: dict[str, int] = {}  # each Customer's cash balance (one currency here)
        self.cash_transactions: list[dict[str, Any]] = []
        self.balance_refunds: list[dict[str, Any]] = []
        self.payment_refunds: list[dict[str, Any]] = []
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
        bank = self._bank(request.method, path, form)
        if bank is not None:
            status, body = bank
            reply = JSONResponse(body, status)
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

    # --- bank transfers: customer_balance ------------------------------------------------

    def _bank(self, method: str, path: str, form: dict[str, str]
              ) -> tuple[int, dict[str, Any]] | None:
        """The customer_balance endpoints; None for anything else (forwarded to localstripe)."""
        intent = re.fullmatch(r"/v1/payment_intents/([^/]+)(/cancel)?", path)
        if intent and intent.group(1) in self.bank_intents:
            pi = self.bank_intents[intent.group(1)]
            return self._cancel(pi) if intent.group(2) and method == "POST" else (200, pi)
        if method == "POST" and path == "/v1/payment_intents" and \
                form.get("payment_method_types[0]") == "customer_balance":
            return self._bank_intent(form)
        funding = re.fullmatch(r"/v1/test_helpers/customers/([^/]+)/fund_cash_balance", path)
        if method == "POST" and funding:
            return self._fund(funding.group(1), form)
        listing = re.fullmatch(r"/v1/customers/([^/]+)/cash_balance_transactions", path)
        if method == "GET" and listing:
            mine = [t for t in self.cash_transactions if t["customer"] == listing.group(1)]
            return 200, {"object": "list", "data": mine[::-1], "has_more": False, "url": path}
        if method == "POST" and path == "/v1/refunds" and form.get("origin") == "customer_balance":
            return self._balance_refund(form)
        if method == "POST" and path == "/v1/refunds" and \
                form.get("payment_intent") in self.bank_intents:
            return self._payment_refund(self.bank_intents[form["payment_intent"]], form)
        return None

    def _payment_refund(self, pi: dict[str, Any], form: dict[str, str]
                        ) -> tuple[int, dict[str, Any]]:
        """A refund of a bank transfer payment: sent to the payer's bank account."""
        amount = int(form.get("amount") or pi["amount_received"])
        done = sum(r["amount"] for r in self.payment_refunds if r["payment_intent"] == pi["id"])
        if pi["status"] != "succeeded" or not 0 < amount <= pi["amount_received"] - done:
            return _error("The refund amount exceeds what the payment can refund.")
        refund = {"id": f"re_bt_{next(_ids)}", "object": "refund", "amount": amount,
                  "currency": pi["currency"], "status": "pending", "payment_intent": pi["id"],
                  "charge": pi["latest_charge"],
                  "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}}
        self.payment_refunds.append(refund)
        return 200, refund

    def _bank_intent(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        options = "payment_method_options[customer_balance]"
        country = form.get(f"{options}[bank_transfer][eu_bank_transfer][country]")
        customer = form.get("customer")
        if not customer or form.get("payment_method_data[type]") != "customer_balance" \
                or form.get(f"{options}[funding_type]") != "bank_transfer" \
                or form.get(f"{options}[bank_transfer][type]") != "eu_bank_transfer" \
                or country not in ("BE", "DE", "ES", "FR", "IE", "NL"):
            return _error("customer_balance needs a customer, payment_method_data[type] and "
                          "an eu_bank_transfer country")
        self.intent_forms.append(form)
        self.balances.setdefault(customer, 0)
        amount = int(form["amount"])
        pi: dict[str, Any] = {
            "id": f"pi_cb_{next(_ids)}", "object": "payment_intent", "amount": amount,
            "amount_received": 0, "currency": form["currency"], "customer": customer,
            "status": "requires_confirmation", "payment_method_types": ["customer_balance"],
            "payment_method": f"pm_cb_{next(_ids)}", "capture_method": "automatic",
            "latest_charge": None, "next_action": None, "transfer_group": form.get("transfer_group"),
            "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
            "created": int(time.time()), "livemode": False}
        self.bank_intents[pi["id"]] = pi
        if form.get("confirm") == "true":
            pi["status"] = "requires_action"
            pi["next_action"] = {"type": "display_bank_transfer_instructions",
                                 "display_bank_transfer_instructions": {
                "amount_remaining": amount, "currency": pi["currency"], "type": "eu_bank_transfer",
                "reference": f"SBT{next(_ids):09d}",
                "hosted_instructions_url": f"https://payments.stripe.test/bt/{pi['id']}",
                "financial_addresses": [{"type": "iban", "supported_networks": ["sepa"], "iban": {
                    "account_holder_name": "Stripe Technology Europe Ltd", "bic": "SXPYDEHHXXX",
                    "country": country, "iban": _virtual_iban(customer)}}]}}
            self._apply(customer)  # money already on the balance pays it at once
        return 200, pi

    def _fund(self, customer: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if customer not in self.balances:
            return _error(f"No such customer: '{customer}'", 404)
        amount = int(form["amount"])
        self.balances[customer] += amount
        txn = self._txn(customer, "funded", amount, form["currency"], funded={"bank_transfer": {
            "type": "eu_bank_transfer", "reference": form.get("reference")}})
        self._apply(customer)
        return 200, txn

    def _apply(self, customer: str) -> None:
        """Stripe's automatic reconciliation: the balance pays the customer's open intent."""
        for pi in self.bank_intents.values():
            if pi["customer"] != customer or pi["status"] != "requires_action":
                continue
            shown = pi["next_action"]["display_bank_transfer_instructions"]
            take = min(self.balances[customer], shown["amount_remaining"])
            if take <= 0:
                continue
            self.balances[customer] -= take
            shown["amount_remaining"] -= take
            pi["amount_received"] += take
            self._txn(customer, "applied_to_payment", -take, pi["currency"],
                      applied_to_payment={"payment_intent": pi["id"]})
            if shown["amount_remaining"] == 0:
                pi.update(status="succeeded", next_action=None, latest_charge=f"py_{next(_ids)}")

    def _cancel(self, pi: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if pi["status"] in ("succeeded", "canceled"):
            return _error("You cannot cancel this PaymentIntent because it has a status of "
                          f"{pi['status']}.")
        if pi["amount_received"]:  # what it took goes back to the cash balance
            back = pi["amount_received"]
            self.balances[pi["customer"]] += back
            self._txn(pi["customer"], "unapplied_from_payment", back, pi["currency"],
                      unapplied_from_payment={"payment_intent": pi["id"]})
            pi["amount_received"] = 0
        pi.update(status="canceled", next_action=None)
        return 200, pi

    def _balance_refund(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        customer, amount = form.get("customer", ""), int(form.get("amount", "0"))
        if customer not in self.balances or not 0 < amount <= self.balances[customer]:
            return _error("The refund amount exceeds the customer's cash balance.")
        self.balances[customer] -= amount
        refund = {"id": f"re_cb_{next(_ids)}", "object": "refund", "amount": amount,
                  "currency": form["currency"], "status": "pending", "customer": customer,
                  "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}}
        self._txn(customer, "return_initiated", -amount, form["currency"],
                  refunded_from_payment=None, return_initiated={"refund": refund["id"]})
        self.balance_refunds.append(refund)
        return 200, refund

    def _txn(self, customer: str, type_: str, net: int, currency: str, **details: Any
             ) -> dict[str, Any]:
        txn = {"id": f"ccsbtxn_{next(_ids)}", "object": "customer_cash_balance_transaction",
               "type": type_, "customer": customer, "net_amount": net, "currency": currency,
               "ending_balance": self.balances[customer], "created": int(time.time()),
               "livemode": False, **{k: v for k, v in details.items() if v is not None}}
        self.cash_transactions.append(txn)
        return txn


def _virtual_iban(customer: str) -> str:
    """A German IBAN of the customer's own, with valid check digits (ISO 13616)."""
    bban = "37040044" + f"{sum(map(ord, customer)) * 7919 % 10**10:010d}"
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


def _error(message: str, status: int = 400) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"type": "invalid_request_error", "message": message}}
