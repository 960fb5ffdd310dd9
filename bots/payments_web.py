"""Money over HTTP: the sandbox payment page (also in its "save a card" mode, for a session
authorised later), invoice downloads, and the Stripe webhook."""

from __future__ import annotations

import html
import logging
import re
import secrets
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from stdnum import iban as iban_numbers

from bots.web.deps import ContainerDep, PaymentsDep
from config.container import Container
from conversations.sanitise import clean_text
from core.accounts.vat import percent
from core.clock import local_time
from core.errors import DomainError
from core.money.model import Money, described, exponent
from payments import pay_page
from payments.service import PaymentsService

log = logging.getLogger(__name__)

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Agora — {title}</title>
<style>body{{font-family:sans-serif;max-width:32em;margin:2em auto}}
.test{{background:#ffd54f;padding:.6em;font-weight:bold;text-align:center}}
.ok{{color:#2e7d32}}.err{{color:#c62828}}input{{font-size:1em;max-width:100%}}</style></head><body>
<div class="test">TEST MODE — sandbox payments, no real money moves</div>{body}</body></html>"""

FORM = """<h1>Pay {amount}</h1><p>For {what}, to {payee}. {note}</p>
<form method="post"><label>Card number <input name="card_number" autocomplete="off"
 placeholder="4242 4242 4242 4242"></label> <button type="submit">Pay {amount}</button></form>
<p><small>Test cards: 4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined.</small></p>"""


SAVE_FORM = """<h1>Save a card</h1><p>For {reference}. {note}</p>
<form method="post"><label>Card number <input name="card_number" autocomplete="off"
 placeholder="4242 4242 4242 4242"></label> <button type="submit">Save the card</button></form>
<p><small>Test cards: 4242 4242 4242 4242 is saved and authorised later; 4000 0000 0000 0341 is
saved but declined when it is authorised; 4000 0000 0000 0002 is declined now.</small></p>"""
SAVE_NOTE = ("Nothing is charged now; the session's maximum is authorised on this card 24 h "
             "before the session.")

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}")


def _known_shape(token: str) -> bool:
    """Tokens are URL-safe random strings; anything else is no token of ours."""
    return TOKEN.fullmatch(token) is not None


async def _posted(request: Request, token: str) -> dict[str, list[str]] | HTMLResponse:
    """A payment page's posted form, or the page saying why there is none to read."""
    if not _known_shape(token):
        return _page("Payment", "<p class='err'>There is no such payment.</p>", 404)
    try:
        return parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=10)
    except ValueError:
        return _page("Payment", "<p class='err'>That form could not be read.</p>", 400)


# /pay/{token}, /invoices/{token}.pdf (and .xml, its e-invoice) and /stripe/webhook.
router = APIRouter()


@router.get("/pay/{token}", response_class=HTMLResponse)
async def payment_page(container: ContainerDep, payments: PaymentsDep, token: str
                       ) -> HTMLResponse:
    if not _known_shape(token):
        return _page("Payment", "<p class='err'>There is no such payment.</p>", 404)
    saving = await payments.saving_by_token(token)
    if saving is not None:
        return _save_page(saving)
    try:
        view = await payments.by_token(token)
    except DomainError as exc:
        return _page("Payment", f"<p class='err'>{html.escape(str(exc))}</p>", 404)
    if not view.state.startswith("awaiting"):
        state = view.state.replace("_", " ")
        return _page("Payment", f"<p class='ok'>This payment is {state}. Nothing to do.</p>")
    return _page("Payment", await _form(container, payments, view, token))


@router.post("/pay/{token}", response_class=HTMLResponse)
async def pay(request: Request, container: ContainerDep, payments: PaymentsDep, token: str
              ) -> HTMLResponse:
    fields = await _posted(request, token)
    if isinstance(fields, HTMLResponse):
        return fields
    card = clean_text((fields.get("card_number") or [""])[0], 40)
    saving = await payments.saving_by_token(token)
    if saving is not None:
        return await _save(payments, saving, card)
    try:
        view = await payments.by_token(token)
        view = await payments.pay_with_test_card(view.id, card)
    except DomainError as exc:
        return await _failed(container, payments, token, str(exc))
    done = f"Paid {view.amount}. Your payment is {view.state.replace('_', ' ')}."
    return _page("Paid", f"<p class='ok'>✅ {html.escape(done)} You can return to the chat.</p>")


TRANSFER = """<h1>Pay {missing} by bank transfer</h1><p>For {what}, to {payee}.</p>
<dl><dt>Account holder</dt><dd>{holder}</dd><dt>IBAN</dt><dd>{iban}</dd><dt>BIC</dt><dd>{bic}</dd>
<dt>Amount</dt><dd>{missing}</dd><dt>Reference</dt><dd><strong>{reference}</strong> — write it
exactly so, or the payment cannot be matched.</dd></dl>{received}{deadline}"""
TEST_TRANSFER = """<form method="post" action="/pay/{token}/transfer/send">
<input type="hidden" name="bank_ref" value="{bank_ref}"><p><label>Test transfer amount
<input name="amount" value="{amount}" inputmode="decimal"></label>
<button type="submit">Send the test transfer</button></p>
<p><small>Nothing is really sent. Try less or more than due: the rest is asked for, the
extra is returned.</small></p></form>"""


@router.post("/pay/{token}/transfer", response_class=HTMLResponse)
async def transfer_page(container: ContainerDep, payments: PaymentsDep, token: str
                        ) -> HTMLResponse:
    """The payer chose a bank transfer: the account, amount and reference (and, in test mode,
    a transfer to "send"). A POST, since choosing it gives the payment a transfer's time."""
    if not _known_shape(token):
        return _page("Payment", "<p class='err'>There is no such payment.</p>", 404)
    try:
        view = await payments.by_token(token)
        details = await payments.transfer_details(view.id, view.payer_id)
    except DomainError as exc:
        return _page("Payment", f"<p class='err'>{html.escape(str(exc))}</p>", 409)
    if details is None:
        return _page("Payment", "<p class='err'>This payment cannot be made by bank transfer."
                                "</p>", 404)
    return _page("Bank transfer", await _transfer_body(container, view, details, token))


async def _transfer_body(container: Container, view: Any, details: Any, token: str) -> str:
    async with container.uow() as uow:
        subject = await pay_page.subject(uow, view)
    received = (f"<p>Received so far: {html.escape(str(details.received))} of "
                f"{html.escape(str(details.amount))}.</p>" if details.received.amount else "")
    deadline = (f"<p>The transfer must arrive by {html.escape(local_time(details.arrive_by, None))}"
                "; SEPA transfers usually arrive the next business day.</p>"
                if details.arrive_by else "")
    body = TRANSFER.format(
        missing=html.escape(str(details.missing)), what=html.escape(subject.what),
        payee=html.escape(subject.payee), holder=html.escape(details.holder),
        iban=html.escape(iban_numbers.format(details.iban)), bic=html.escape(details.bic),
        reference=html.escape(details.bank_reference), received=received, deadline=deadline)
    if details.test_mode:
        body += TEST_TRANSFER.format(token=token, bank_ref=secrets.token_urlsafe(12),
                                     amount=Decimal(details.missing.amount).scaleb(
                                         -exponent(details.missing.currency)))
    return body


@router.post("/pay/{token}/transfer/send", response_class=HTMLResponse)
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
        amount = Money.parse(typed.replace(",", "."), view.amount.currency)
        outcome = await payments.send_test_transfer(view.id, view.payer_id, amount,
                                                    f"page-{bank_ref or secrets.token_hex(8)}")
    except (DomainError, ValueError, ArithmeticError) as exc:
        said = str(exc) if isinstance(exc, DomainError) else "Type the amount, like 220.50."
        return _page("Transfer not sent", f"<p class='err'>❌ {html.escape(said)}</p>", 400)
    said = {"short": f"{outcome.received} arrived; {outcome.missing} is still missing. Send "
                     "the rest with the same reference.",
            "paid": f"Paid {outcome.applied}: the money is held until delivery is confirmed.",
            "over": f"Paid {outcome.applied}; the {outcome.back} sent too much is being returned.",
            "late": f"The payment was already closed, so the {outcome.back} is being returned."}
    return _page("Transfer received",
                 f"<p class='ok'>🏦 {html.escape(said[outcome.outcome])} You can return to the "
                 "chat.</p>")


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
    """A document's EN 16931 e-invoice: CII (as embedded in its PDF) or, with ?syntax=ubl,
    UBL 2.1 — the syntax XRechnung takes."""
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
    if saving.state != "awaiting_method":
        said = "A card is saved for this session." if saving.state == "saved" else \
            f"This card request is {saving.state.replace('_', ' ')}."
        return _page("Save a card", f"<p class='ok'>{html.escape(said)} Nothing to do.</p>")
    return _page("Save a card", _save_form(saving))


def _save_form(saving: Any) -> str:
    return SAVE_FORM.format(reference=html.escape(described(saving.reference)),
                            note=html.escape(SAVE_NOTE))


async def _save(payments: PaymentsService, saving: Any, card: str) -> HTMLResponse:
    try:
        saved = await payments.save_with_test_card(saving.id, card)
    except DomainError as exc:  # declined now: the form again, for another card
        again = _save_form(saving) if saving.state == "awaiting_method" else ""
        return _page("Card not saved", f"<p class='err'>❌ {html.escape(str(exc))}</p>{again}",
                     402)
    done = f"Card •••• {saved.last4} saved. {SAVE_NOTE}"
    return _page("Card saved", f"<p class='ok'>✅ {html.escape(done)} You can return to the chat.</p>")


async def _failed(container: Container, payments: PaymentsService, token: str, reason: str
                  ) -> HTMLResponse:
    """A declined card (or a mistyped number): the reason, and the form again while the payment
    still waits, so another card can be tried on the same page."""
    said = f"<p class='err'>❌ {html.escape(reason)}</p>"
    try:
        view = await payments.by_token(token)
    except DomainError:
        return _page("Payment failed", said, 402)
    again = (await _form(container, payments, view, token) if view.state.startswith("awaiting")
             else "")
    return _page("Payment failed", said + again, 402)


async def _form(container: Container, payments: PaymentsService, view: Any, token: str) -> str:
    async with container.uow() as uow:
        subject = await pay_page.subject(uow, view)
    fee = view.commission  # on the price, never on the VAT
    note = "The money is held in escrow until you confirm delivery." if view.kind == "goods" else ""
    if view.kind == "session":
        note = "This authorises the amount; you are charged only for the time used."
    if view.vat is not None:
        note += (f" It includes {view.vat.amount} VAT ({percent(view.vat.rate)}), charged by "
                 f"{subject.payee}.")
    if fee.amount and view.kind != "charge":
        note += f" {subject.payee} receives {view.amount - fee} after the {fee} platform commission."
    form = FORM.format(amount=html.escape(str(view.amount)), what=html.escape(subject.what),
                       payee=html.escape(subject.payee), note=html.escape(note))
    if payments.takes_transfers and view.kind == "goods":
        form += (f'<form method="post" action="/pay/{token}/transfer">'
                 '<p>Or <button type="submit">pay by bank transfer</button> (the account and '
                 'reference to use).</p></form>')
    return form


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=html.escape(title), body=body), status_code=status)

