"""Crypto over HTTP: the pay page's crypto invoice (BTCPay Server's checkout, or the sandbox's
test invoice with a test payment to send) and BTCPay Server's webhook."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bots.payments_web import (
    SPEAKING,
    _for_payer,
    _known_shape,
    _no_such_payment,
    _page,
    _posted,
)
from bots.web.deps import ContainerDep, PaymentsDep
from config.container import Container
from conversations.sanitise import clean_text
from core.clock import local_time
from core.errors import DomainError
from core.i18n import READER_LOCALE, _, present
from core.i18n.typed import read_number
from core.money.model import Money, exponent
from core.payments_port import CryptoView, EscrowView
from payments import pay_page

router = APIRouter()


@router.get("/pay/{token}/crypto", response_class=HTMLResponse, dependencies=SPEAKING)
async def crypto_page(container: ContainerDep, payments: PaymentsDep, token: str) -> Response:
    """The payer chose crypto: the open invoice for what is missing (a new one if none),
    at BTCPay Server's checkout; in test mode, the test invoice here."""
    if not _known_shape(token):
        return _no_such_payment()
    try:
        view = await payments.by_token(token)
        await _for_payer(container, view.payer_id)
        details = await payments.crypto_invoice(view.id, view.payer_id)
    except DomainError as exc:
        return _page(_("Payment"), 409, err=str(exc))
    if details is None:
        return _page(_("Payment"), 404, err=_("This payment cannot be made in crypto."))
    if not details.test_mode:
        return RedirectResponse(details.url, status_code=303)
    return _page(_("Crypto payment"), token=token,
                 crypto=await _crypto(container, view, details))


async def _crypto(container: Container, view: EscrowView, details: CryptoView
                  ) -> dict[str, Any]:
    """What the test invoice shows: the amount, what for, until when, and a test payment
    prefilled with what is missing, in the reader's number format."""
    async with container.uow() as uow:
        subject = await pay_page.subject(uow, view)
    missing = details.missing
    return {"missing": missing, "what": subject.what, "payee": subject.payee,
            "received": details.received if details.received.amount else None,
            "amount": details.amount, "payment_ref": secrets.token_urlsafe(12),
            "until": local_time(details.expires_at, None),
            "test": present.number(Decimal(missing.amount).scaleb(-exponent(missing.currency)))}


@router.post("/pay/{token}/crypto/send", response_class=HTMLResponse, dependencies=SPEAKING)
async def send_test_crypto(request: Request, container: ContainerDep, payments: PaymentsDep,
                           token: str) -> HTMLResponse:
    """Test mode: the payer "pays" the test invoice (once per form: its payment reference is
    fixed when the form is shown, so sending the same form twice is one payment)."""
    fields = await _posted(request, token)
    if isinstance(fields, HTMLResponse):
        return fields
    payment_ref = clean_text((fields.get("payment_ref") or [""])[0], 40)
    typed = clean_text((fields.get("amount") or [""])[0], 30)
    try:
        view = await payments.by_token(token)
        await _for_payer(container, view.payer_id)
        amount = Money.parse(read_number(typed, READER_LOCALE.get()), view.amount.currency)
        outcome = await payments.send_test_crypto(
            view.id, view.payer_id, amount, f"page-{payment_ref or secrets.token_hex(8)}")
    except (DomainError, ValueError, ArithmeticError) as exc:
        said = str(exc) if isinstance(exc, DomainError) else _(
            "Type the amount, like {example}.", example=present.number(Decimal("220.50")))
        return _page(_("Payment not sent"), 400, err=f"❌ {said}")
    key = "crypto_" + ("held" if outcome.outcome == "paid" else outcome.outcome)
    return _page(_("Crypto payment received"), said={
        "key": key, "received": outcome.received, "missing": outcome.missing,
        "amount": outcome.applied, "back": outcome.back})


@router.post("/pay/{token}/crypto/expire", response_class=HTMLResponse, dependencies=SPEAKING)
async def expire_test_crypto(container: ContainerDep, payments: PaymentsDep, token: str
                             ) -> HTMLResponse:
    """Test mode: the test invoice expires now, to see what the payer is told."""
    if not _known_shape(token):
        return _no_such_payment()
    try:
        view = await payments.by_token(token)
        await _for_payer(container, view.payer_id)
        await payments.expire_test_crypto(view.id, view.payer_id)
    except DomainError as exc:
        return _page(_("Crypto payment"), 409, err=f"❌ {exc}")
    return _page(_("Crypto payment"), said={"key": "crypto_expired"})


@router.post("/btcpay/webhook")
async def btcpay_webhook(request: Request, container: ContainerDep) -> JSONResponse:
    hooks = container.btcpay_webhooks
    if hooks is None:
        return JSONResponse({"error": "BTCPay Server is not configured"}, status_code=404)
    payload = await request.body()
    status, body = await hooks.handle(payload, request.headers.get("btcpay-sig"))
    return JSONResponse(body, status_code=status)
