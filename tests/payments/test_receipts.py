"""Receipts are sent as PDFs: in chat to every party they concern, and attached to the emails."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from email import message_from_bytes, policy
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from bots.email import SmtpEmailSender
from bots.terminal import TerminalChat
from config.settings import Settings
from core.accounts.tables import Account
from core.money.model import Money
from core.notifications.delivery import Attachment
from core.notifications.outbox import notify
from payments import invoices
from payments.tables import Invoice
from tests.payments.helpers import ADMIN, BUYER, held_escrow, people
from tests.support.pdf import pdf_text
from tests.support.servers import free_port


class Chat:
    """The terminal channel's sender, recorded: who got which text and which files."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, list[Attachment]]] = []

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> None:
        self.sent.append((address, str(payload["text"]), list(files)))

    def files_of(self, address: str) -> list[tuple[str, Attachment]]:
        return [(text, f) for to, text, files in self.sent if to == address for f in files]


async def numbers(app, kind: str) -> list[str]:
    async with app.uow() as uow:
        return list((await uow.session.execute(select(Invoice.number).where(
            Invoice.kind == kind).order_by(Invoice.id))).scalars())


async def deliver(app) -> Chat:
    chat = Chat()
    app.add_sender("terminal", chat)
    await app.dispatcher.run_once()
    return chat


def assert_receipt(file: Attachment, number: str) -> None:
    assert file.file_name == f"agora-{number}.pdf" and file.mime_type == "application/pdf"
    assert file.content.startswith(b"%PDF") and number in pdf_text(file.content)


async def test_a_payment_receipt_reaches_buyer_and_seller_and_one_payout_statement_the_seller(app):
    view = await held_escrow(app, 10_000)  # bob pays sue
    await app.payments.release(view.id, BUYER)
    chat = await deliver(app)
    [payment], [paid_out] = await numbers(app, "payment"), await numbers(app, "payout")
    [commission] = await numbers(app, "commission")
    bob, sue = chat.files_of("bob"), chat.files_of("sue")
    assert [text[:10] for text, _ in bob] == ["✅ Payment "]
    assert_receipt(bob[0][1], payment)
    # The release is told without a document; the payout carries the one statement, and
    # Agora's invoice for its commission comes with it.
    assert [text[:10] for text, _ in sue] == ["💰 The buye", "🏦 Payout o", "🧾 Agora's "]
    assert_receipt(sue[0][1], payment)
    assert_receipt(sue[1][1], paid_out)
    assert_receipt(sue[2][1], commission)
    statement = pdf_text(sue[1][1].content)
    assert statement.count("commission") == 1  # named once, not again as "of which"
    for line in ("deal #1: released from escrow", "Platform commission", "-€5.00", "Total €95.00"):
        assert line in statement, line


async def test_a_refunds_credit_note_reaches_both_parties_once_each(app):
    view = await held_escrow(app, 10_000)
    await deliver(app)
    await app.payments.refund(view.id, None, ADMIN)
    chat = await deliver(app)
    [refund] = await numbers(app, "credit_note")
    for person in ("bob", "sue"):
        [(text, file)] = chat.files_of(person)
        assert "refunded" in text
        assert_receipt(file, refund)


async def test_a_receipt_delivered_before_numbering_is_numbered_first(app):
    view = await held_escrow(app, 10_000)
    async with app.uow() as uow:  # committed, then the process dies before numbering
        invoice = await uow.session.scalar(select(Invoice).where(Invoice.kind == "payment"))
        await uow.session.execute(update(Invoice).values(number=None))
        await notify(uow, view.payer_id, "again", attachment=invoices.attachment(invoice))
        await uow.session.commit()
    chat = await deliver(app)
    [number] = await numbers(app, "payment")
    assert number is not None
    assert_receipt(chat.files_of("bob")[-1][1], number)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this hook by name
        self.messages.append(envelope.content)
        return "250 OK"


async def test_both_parties_are_emailed_the_receipt_as_a_pdf_attachment_over_smtp(app):
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.add_sender("email", SmtpEmailSender(Settings(
            environment="test", smtp_host="127.0.0.1", smtp_port=port,
            smtp_starttls=False)))  # type: ignore[call-arg]
        buyer, seller = await people(app)
        async with app.uow() as uow:
            await uow.session.execute(update(Account).values(
                email_verified_at=datetime(2026, 1, 1, tzinfo=UTC)))
            await uow.commit()
        view = await app.payments.open("goods", "bioenergy", "deal:7", buyer, seller,
                                       Money(10_000, "EUR"), BUYER)
        await app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")
        await app.payments.release(view.id, BUYER)
        await app.dispatcher.run_once()
    finally:
        controller.stop()
    emails = [message_from_bytes(raw, policy=policy.default) for raw in inbox.messages]
    statements = [m["To"] for m in emails if "Payout statement" in m["Subject"]]
    assert statements == ["sue@example.com"]  # one payout, one statement: the seller's alone
    receipts = [m for m in emails if "Payment receipt" in m["Subject"]]
    assert sorted(m["To"] for m in receipts) == ["bob@example.com", "sue@example.com"]
    [number] = await numbers(app, "payment")
    for message in receipts:
        assert "/invoices/" in message.get_body(("plain",)).get_content()  # the link stays
        [pdf] = list(message.iter_attachments())
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_filename() == f"agora-{number}.pdf"
        assert pdf.get_content().startswith(b"%PDF") and number in pdf_text(pdf.get_content())


async def test_a_terminal_user_sees_the_receipt_like_any_file_reply(app):
    await held_escrow(app, 10_000)
    out = io.StringIO()
    bob = TerminalChat(app, "bob", io.StringIO(), out)  # its own dispatcher, for bob only
    assert await bob.dispatcher.run_once() == 1
    [number] = await numbers(app, "payment")
    assert "🔔 ✅ Payment of €100.00" in out.getvalue()
    assert f"📎 agora-{number}.pdf (" in out.getvalue()


async def _authorised_session(app, reference: str):
    seeker, consultant = await people(app)
    view = await app.payments.open("session", "consulting", reference, seeker, consultant,
                                   Money(12_000, "EUR"), BUYER)
    return await app.payments.pay_with_test_card(view.id, "4242 4242 4242 4242")


async def test_a_card_hold_is_no_payment_and_only_its_capture_gets_a_receipt(app):
    view = await _authorised_session(app, "booking:1")
    held = await deliver(app)
    assert await numbers(app, "payment") == [] and held.files_of("bob") == []
    assert any("authorised (not charged yet)" in text for _, text, _ in held.sent)
    await app.payments.capture(view.id, Money(12_000, "EUR"), ADMIN)
    charged = await deliver(app)
    [receipt] = await numbers(app, "payment")  # one receipt, for the charge
    [(text, file)] = charged.files_of("bob")
    assert "charged" in text
    assert_receipt(file, receipt)


async def test_a_voided_hold_leaves_no_receipt(app):
    view = await _authorised_session(app, "booking:2")
    await app.payments.void(view.id, ADMIN)
    chat = await deliver(app)
    assert await numbers(app, "payment") == [] and chat.files_of("bob") == []


async def test_every_document_names_the_issuing_entity_with_its_vat_number(db_url, tmp_path):
    from config.container import build

    app = build(Settings(database_url=db_url, environment="test",  # type: ignore[call-arg]
                         data_dir=str(tmp_path / "data"), issuer_name="Agora Marketplace SIA",
                         issuer_address="Brīvības iela 1, LV-1010 Riga, Latvia",
                         issuer_vat_number="LV40003521600"))
    try:
        view = await held_escrow(app, 10_000)
        await app.payments.release(view.id, BUYER)
        chat = await deliver(app)
        files = [file for _, file in chat.files_of("bob") + chat.files_of("sue")]
        assert len(files) >= 2  # the payment receipt and the payout statement
        for file in files:
            assert ("Issued by Agora Marketplace SIA · Brīvības iela 1, LV-1010 Riga, Latvia · "
                    "VAT LV40003521600") in pdf_text(file.content)
    finally:
        await app.close()
