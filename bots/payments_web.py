"""Money over HTTP: the sandbox payment page (also in its "save a card" mode, for a session
authorised later), invoice downloads, and the Stripe webhook (crypto: bots.crypto_web)."""

from __future__ import annotations

import logging
import re
import secrets
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup
from stdnum import iban as iban_numbers

from bots.web.deps import ContainerDep, PaymentsDep
from bots.web.language import speaking
from bots.web.pages import TEMPLATES
from config.container import Container
from conversations.sanitise import clean_text
from core.accounts.vat import percent
from core.clock import local_time
from core.deals import accepted
from core.errors import DomainError
from core.i18n import READER_LOCALE, _, current_language, present
from core.i18n.typed import read_number
from core.money.model import Money, described, exponent, saving_terms
from core.money.reading import read_for
from core.payments_port import SavedMethodState
from core.storage.uow import UnitOfWork
from payments import pay_page
from payments.pay_page import STATE_WORDS
from payments.service import PaymentsService

log = logging.getLogger(__name__)

# Every sentence of the page is in its template, written for the payer (their account's
# language and number format; the browser's Accept-Language while the payer is unknown).
PAGE = "pay/page.html"


TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")


def _known_shape(token: str) -> bool:
    """Tokens are URL-safe random strings; anything else is no token of ours."""
    return TOKEN.fullmatch(token) is not None


async def _posted(request: Request, token: str) -> dict[str, list[str]] | HTMLResponse:
    """A payment page's posted form, or the page saying why there is none to read."""
    if not _known_shape(token):
        return _no_such_payment()
    try:
        return parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=10)
    except ValueError:
        return _page(_("Payment"), 400, err=_("That form could not be read."))


def _no_such_payment() -> HTMLResponse:
    return _page(_("Payment"), 404, err=_("There is no such payment."))


async def _for_payer(container: Container, payer_id: int) -> None:
    """From here on the page is written for the payer (their language and number format)."""
    async with container.uow() as uow:
        read_for(await pay_page.payer(uow, payer_id))


# /pay/{token}, /invoices/{token}.pdf (and .xml, its e-invoice) and /stripe/webhook.
router = APIRouter()
# Until the payer is known, a pay page speaks the browser's language. (An invoice fetched by
# its token is drawn for its addressee, whatever the browser.)
SPEAKING = [Depends(speaking)]


@router.get("/pay/{token}", response_class=HTMLResponse, dependencies=SPEAKING)
async def payment_page(container: ContainerDep, payments: PaymentsDep, token: str
                       ) -> HTMLResponse:
    if not _known_shape(token):
        return _no_such_payment()
    saving = await payments.saving_by_token(token)
    if saving is not None:
        await _for_payer(container, saving.payer_id)
        return _save_page(saving)
    try:
        view = await payments.by_token(token)
    except DomainError as exc:
        return _page(_("Payment"), 404, err=str(exc))
    await _for_payer(container, view.payer_id)
    if not view.state.startswith("awaiting"):
        return _page(_("Payment"), said={"key": "state", "state": _state(view.state)})
    return _page(_("Payment"), token=token, pay=await _form(container, payments, view))


@router.post("/pay/{token}", response_class=HTMLResponse, dependencies=SPEAKING)
async def pay(request: Request, container: ContainerDep, payments: PaymentsDep, token: str
              ) -> HTMLResponse:
    fields = await _posted(request, token)
    if isinstance(fields, HTMLResponse):
        return fields
    card = clean_text((fields.get("card_number") or [""])[0], 40)
    saving = await payments.saving_by_token(token)
    if saving is not None:
        await _for_payer(container, saving.payer_id)
        return await _save(payments, saving, card)
    try:
        view = await payments.by_token(token)
        await _for_payer(container, view.payer_id)
        await _check_way(container, view, "card")
        view = await payments.pay_with_test_card(view.id, card)
    except DomainError as exc:
        return await _failed(container, payments, token, str(exc))
    return _page(_("Paid"), said={"key": "paid", "amount": view.amount,
                                  "state": _state(view.state)})


@router.post("/pay/{token}/transfer", response_class=HTMLResponse, dependencies=SPEAKING)
async def transfer_page(container: ContainerDep, payments: PaymentsDep, token: str
                        ) -> HTMLResponse:
    """The payer chose a bank transfer: the account, amount and reference (and, in test mode,
    a transfer to "send"). A POST, since choosing it gives the payment a transfer's time."""
    if not _known_shape(token):
        return _no_such_payment()
    try:
        view = await payments.by_token(token)
        await _for_payer(container, view.payer_id)
        details = await payments.transfer_details(view.id, view.payer_id)
    except DomainError as exc:
        return _page(_("Payment"), 409, err=str(exc))
    if details is None:
        return _page(_("Payment"), 404, err=_("This payment cannot be made by bank transfer."))
    return _page(_("Bank transfer"), token=token,
                 transfer=await _transfer(container, view, details))


async def _transfer(container: Container, view: Any, details: Any) -> dict[str, Any]:
    """What the bank transfer page shows: the account, amount and reference (and, in test
    mode, a transfer to send, prefilled with what is missing in the reader's number format)."""
    async with container.uow() as uow:
        subject = await pay_page.subject(uow, view)
    missing = details.missing
    return {"missing": missing, "what": subject.what, "payee": subject.payee,
            "holder": details.holder, "iban": iban_numbers.format(details.iban),
            "bic": details.bic, "reference": details.bank_reference,
            "received": details.received if details.received.amount else None,
            "amount": details.amount, "bank_ref": secrets.token_urlsafe(12),
            "arrive_by": local_time(details.arrive_by, None) if details.arrive_by else None,
            "test": present.number(Decimal(missing.amount).scaleb(-exponent(missing.currency)))
            if details.test_mode else None}


@router.post("/pay/{token}/transfer/send", response_class=HTMLResponse, dependencies=SPEAKING)
async def send_test_transfer(request: Request, container: ContainerDep, payments: PaymentsDep,
                             token: str) -> HTMLResponse:
    """Test mode: the payer "sends" the transfer (once per form: its bank reference is fixed
    when the form is shown, so sending the same form twice is one transfer)."""
    fields = await _posted(request, token)
    if isinstance(fields, HTMLResponse):
        return fields
    bank_ref = clean_text((fields.get("bank_ref") or [""])[0], 40)
    typed = clean_text((fields.get("amount") or [""])[0], 30)
    try:
        view = await payments.by_token(token)
        await _for_payer(container, view.payer_id)
        amount = Money.parse(read_number(typed, READER_LOCALE.get()), view.amount.currency)
        outcome = await payments.send_test_transfer(view.id, view.payer_id, amount,
                                                    f"page-{bank_ref or secrets.token_hex(8)}")
    except (DomainError, ValueError, ArithmeticError) as exc:
        said = str(exc) if isinstance(exc, DomainError) else _(
            "Type the amount, like {example}.", example=present.number(Decimal("220.50")))
        return _page(_("Transfer not sent"), 400, err=f"❌ {said}")
    key = "held" if outcome.outcome == "paid" else outcome.outcome
    return _page(_("Transfer received"), said={
        "key": key, "received": outcome.received, "missing": outcome.missing,
        "amount": outcome.applied, "back": outcome.back})


@router.get("/invoices/{token}.pdf")
async def invoice(payments: PaymentsDep, token: str) -> Response:
    if not _known_shape(token):
        return Response("No such invoice.", status_code=404)
    try:
        number, pdf = await payments.invoice_pdf(token, by_token=True)
    except DomainError:
        return Response("No such invoice.", status_code=404)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{number}.pdf"'})


@router.get("/invoices/{token}.xml")
async def invoice_xml(payments: PaymentsDep, token: str, syntax: str = "cii") -> Response:
    """A document's e-invoice: CII or, with ?syntax=ubl, UBL 2.1 — XRechnung for a buyer in
    Germany once it can be written, else EN 16931 as the PDF embeds it (payments.xrechnung)."""
    if not _known_shape(token) or syntax not in ("cii", "ubl"):
        return Response("No such e-invoice.", status_code=404)
    try:
        number, xml = await payments.invoice_xml(token, syntax)
    except DomainError as exc:
        return Response(str(exc), status_code=404)
    suffix = "-ubl" if syntax == "ubl" else ""
    return Response(xml, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{number}{suffix}.xml"'})


@router.post("/stripe/webhook")
async def stripe_webhook(request: Request, container: ContainerDep) -> JSONResponse:
    hooks = container.stripe_webhooks
    if hooks is None:
        return JSONResponse({"error": "Stripe is not configured"}, status_code=404)
    payload = await request.body()
    status, body = await hooks.handle(payload, request.headers.get("stripe-signature"))
    return JSONResponse(body, status_code=status)


def _save_page(saving: Any) -> HTMLResponse:
    if saving.state != SavedMethodState.AWAITING_METHOD:
        said = {"key": "card_kept"} if saving.state == SavedMethodState.SAVED else \
            {"key": "card_state", "state": _state(saving.state)}
        return _page(_("Save a card"), said=said)
    return _page(_("Save a card"), save=described(saving.reference),
                 terms=saving_terms(saving.reference))


async def _save(payments: PaymentsService, saving: Any, card: str) -> HTMLResponse:
    try:
        saved = await payments.save_with_test_card(saving.id, card)
    except DomainError as exc:  # declined now: the form again, for another card
        again = described(saving.reference) if saving.state == SavedMethodState.AWAITING_METHOD else None
        return _page(_("Card not saved"), 402, err=f"❌ {exc}", save=again,
                     terms=saving_terms(saving.reference))
    return _page(_("Card saved"), said={"key": "card_saved", "last4": saved.last4,
                                        "terms": saving_terms(saving.reference)})


async def _failed(container: Container, payments: PaymentsService, token: str, reason: str
                  ) -> HTMLResponse:
    """A declined card (or a mistyped number): the reason, and the form again while the payment
    still waits, so another card can be tried on the same page."""
    try:
        view = await payments.by_token(token)
    except DomainError:
        return _page(_("Payment failed"), 402, err=f"❌ {reason}")
    again = (await _form(container, payments, view) if view.state.startswith("awaiting")
             else None)
    return _page(_("Payment failed"), 402, err=f"❌ {reason}", token=token, pay=again)


async def _form(container: Container, payments: PaymentsService, view: Any) -> dict[str, Any]:
    """The card form's facts: the amount, what it pays for and whom, the VAT and commission."""
    async with container.uow() as uow:
        subject = await pay_page.subject(uow, view)
        ways = await _ways(uow, view)
    fee = view.commission  # on the price, never on the VAT
    net = fee.amount and view.kind != "charge"
    return {"amount": view.amount, "what": subject.what, "payee": subject.payee,
            "kind": view.kind, "vat": view.vat.amount if view.vat is not None else None,
            "rate": percent(view.vat.rate) if view.vat is not None else None,
            "net": view.amount - fee if net else None, "fee": fee,
            "card": "card" in ways,
            "transfer": payments.takes_transfers and view.kind == "goods" and "transfer" in ways,
            "crypto": payments.takes_crypto and view.kind == "goods" and "crypto" in ways}


async def _ways(uow: UnitOfWork, view: Any) -> tuple[str, ...]:
    """The pay page's ways the payee takes (core.deals.accepted): goods are paid only in the
    ways their seller accepts."""
    if view.kind != "goods":
        return accepted.ESCROW_WAYS
    return accepted.escrow_ways(await accepted.of_account(uow, view.payee_id),
                                accepted.ESCROW_WAYS)


async def _check_way(container: Container, view: Any, way: str) -> None:
    """Refuse a way to pay the payee does not take (core.deals.accepted.check_payee_way)."""
    async with container.uow() as uow:
        await accepted.check_payee_way(uow, view.kind, view.payee_id, way)


def _state(state: str) -> str:
    return _(STATE_WORDS.get(state, state))


def _page(title: str, status: int = 200, **parts: Any) -> HTMLResponse:
    values = {"err": None, "said": None, "pay": None, "save": None, "transfer": None,
              "crypto": None, "token": "", **parts}
    page = TEMPLATES.get_template(PAGE).render(
        lang=current_language(), title=title, transfer_button=Markup(
            '<button type="submit">{}</button>').format(_("pay by bank transfer")), **values)
    return HTMLResponse(page, status_code=status, headers={"Content-Language": current_language()})
