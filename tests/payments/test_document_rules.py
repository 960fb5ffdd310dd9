"""What payments' documents state, without a database: a payout statement's lines, a credit
note's lines and reason, the VAT line of a price, a commission invoice's lines, and older
stored lines read back. That each document is issued with these lines when money moves, once,
stays proven on the database (test_ledger.py, test_credit_notes_and_commission.py,
test_document_lines.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from core import said as say
from core.accounts.service_vat import commission_vat
from core.money.model import Money
from payments import invoices
from payments.commission_invoices import commission_document
from payments.credit_notes import credit_lines, refund_reason
from payments.invoice_pdf import credit_fields, payment_fields
from payments.lines import Subject, line_text, with_vat
from payments.settlement_notices import statement_lines
from payments.tables import Escrow, Invoice

DEAL = Subject("deal:1")


def escrow(kind: str = "goods", amount: int = 10_000, refunded: int = 0, commission: int = 500,
           discount: int = 0, vat: int = 0, vat_rate: str | None = None) -> Escrow:
    return Escrow(kind=kind, amount=amount, refunded=refunded, commission=commission,
                  discount=discount, vat=vat, vat_rate=vat_rate, currency="EUR",
                  reference="deal:1")


def shown(lines: list) -> list[tuple[str, int]]:
    return [(str(line[0]), int(line[1])) for line in lines]


def test_a_payout_statement_sums_to_the_payout_what_was_released_less_the_commission():
    assert shown(statement_lines(escrow(refunded=2_000), DEAL)) == [
        ("deal #1: released from escrow", 8_000), ("Platform commission", -500)]


def test_a_loyalty_discount_comes_off_the_full_commission_on_a_line_of_its_own():
    lines = shown(statement_lines(escrow(commission=400, discount=100), DEAL))
    assert lines == [("deal #1: released from escrow", 10_000), ("Platform commission", -500),
                     ("Loyalty discount −€1.00 off the commission", 100)]
    assert sum(minor for _, minor in lines) == 10_000 - 400  # what was paid out


def test_a_session_is_a_charge_and_a_forfeited_deposit_is_said_so():
    session = Subject("booking:3")
    assert shown(statement_lines(escrow("session"), session))[0] == (
        "session booking #3: session charge", 10_000)
    assert shown(statement_lines(escrow("deposit"), DEAL))[0] == (
        "deal #1: forfeited to you", 10_000)


def test_a_price_with_vat_charged_on_it_gets_a_vat_line_and_the_lines_sum_to_it():
    charged = escrow(amount=12_100, vat=2_100, vat_rate="21")
    assert shown(with_vat(charged, 12_100, DEAL.line)) == [("deal #1", 10_000),
                                                           ("VAT 21%", 2_100)]
    assert shown(with_vat(escrow(), 10_000, DEAL.line)) == [("deal #1", 10_000)]


def test_a_credit_note_credits_part_of_a_price_with_the_vat_that_part_includes():
    charged = escrow(amount=12_100, vat=2_100, vat_rate="21")
    assert shown(credit_lines(charged, 6_050, DEAL)) == [("Credited: deal #1", 5_000),
                                                         ("VAT 21%", 1_050)]
    assert shown(credit_lines(escrow(), 3_000, DEAL)) == [("Credited: deal #1", 3_000)]


def english(said) -> str:
    return say.english(said)


def test_a_credit_notes_reason_is_the_dispute_decision_first():
    assert english(refund_reason("goods", True, True, ("split", "Half the pellets wet"))) == \
        "Dispute decided: part refunded to the buyer — Half the pellets wet"
    assert english(refund_reason("goods", False, False, ("refund", None), True)) == \
        "Dispute decided: refund to the buyer"


def test_a_split_the_seller_accepted_after_a_quality_report_says_so():
    assert english(refund_reason("goods", True, True, quality_accepted=True)).startswith(
        "Quality adjustment accepted by the seller")
    assert english(refund_reason("goods", False, True, quality_accepted=True)) == \
        "Partial refund of the payment"  # only a split is a quality adjustment


def test_otherwise_a_package_expiry_a_partial_or_a_full_refund():
    assert english(refund_reason("package", False, True)).startswith(
        "Unused sessions of the package")
    assert english(refund_reason("goods", True, False)) == "Partial refund of the payment"
    assert english(refund_reason("goods", False, True)) == "Partial refund of the payment"
    assert english(refund_reason("session", False, False)) == "Refund of the full payment"


def test_a_domestic_commission_invoice_has_the_vat_it_includes_on_a_line():
    vat = commission_vat("LV", Decimal("21"), "LV", None, Money(500, "EUR"))
    lines, note = commission_document(vat, DEAL)
    assert shown(lines) == [("Platform commission: deal #1", 413), ("VAT 21%", 87)]
    assert '"tax":{"category":"S","rate":"21"}' in note


def test_a_reverse_charged_commission_invoice_is_one_line_with_no_vat():
    vat = commission_vat("LV", Decimal("21"), "DE", "DE136695976", Money(500, "EUR"))
    lines, note = commission_document(vat, DEAL)
    assert shown(lines) == [("Platform commission: deal #1", 500)]
    assert '"category":"AE"' in note and "Article 196" in note


def test_older_stored_lines_read_back_as_they_were_written():
    assert line_text(["Payment for deal #1", 100]) == "Payment for deal #1"
    goods = {"goods": {"product": "pellets"}, "reference": "deal #1", "before": "Credited: ",
             "after": ""}
    assert line_text(["ignored", 100, goods]) == "Credited: Wood pellets — deal #1"
    kept = DEAL.line(100, "{what}: released from escrow")[2]
    # a line that keeps what it says is said again (in the reader's words), not read as stored
    assert line_text(["stored text", 100, kept]) == "deal #1: released from escrow"


def test_a_credit_note_names_the_document_it_credits_and_why():
    receipt = Invoice(kind="payment", number="2026-000001",
                      created_at=datetime(2026, 11, 20, tzinfo=UTC))
    credit = Invoice(kind="credit_note", note=invoices.kept(refund_reason("goods", False, True)))
    assert credit_fields(credit, receipt) == [
        ("Credits", "Payment receipt 2026-000001 of 20 Nov 2026"),
        ("Reason", "Partial refund of the payment")]
    unnumbered = Invoice(kind="terms", number=None, created_at=receipt.created_at)
    assert credit_fields(credit, unnumbered)[0] == ("Credits",
                                                    "Invoice (number pending) of 20 Nov 2026")
    assert credit_fields(Invoice(kind="credit_note"), None) == [("Credits", "—"), ("Reason", "—")]


def test_an_invoice_on_terms_states_when_and_how_it_is_paid_as_issued():
    note = ('{"due_on": "2026-12-24", "days": 30, "holder": "Sue SIA", "iban": '
            '"LV80BANK0000435195001", "bic": "HABALV22", "reference": "RF18AGORA1"}')
    assert payment_fields(Invoice(kind="terms", note=note)) == [
        ("Due date", "2026-12-24"), ("Payment terms", "30 days net"),
        ("Pay to", "Sue SIA\nIBAN LV80BANK0000435195001\nBIC HABALV22"),
        ("Payment reference", "RF18AGORA1")]
    assert payment_fields(Invoice(kind="terms", note=None)) == []
    assert payment_fields(Invoice(kind="terms", note="not json")) == []
