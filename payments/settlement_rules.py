"""How much of an escrow goes where when it settles, as rules without a database: a refund, a
dispute's split, a voided or captured authorisation each give (to the payee, the platform's
commission, back to the payer) in minor units, or refuse an amount the escrow cannot give. The
commission is on the seller's price, never on the VAT it includes. The service applies a plan
under the escrow's guarded move to `settling` (payments.escrow_settlement)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from core.accounts.vat import included_vat
from core.errors import DomainError
from core.i18n import _
from core.money.model import CommissionRule, Money

if TYPE_CHECKING:
    from payments.tables import Escrow

Plan = tuple[int, int, int]  # (to the payee, commission, to the payer), in minor units
NO_COMMISSION = CommissionRule(Decimal(0))


def vat_in(escrow: Escrow, gross: int) -> int:
    """The VAT `gross` minor units of what the escrow holds include: all of the escrow's VAT
    for its whole amount, the VAT a part includes at the escrow's rate (so a refund of a price
    cut with its VAT on it splits back into exactly that cut and that VAT)."""
    if not escrow.vat or not escrow.vat_rate:
        return 0
    if gross == escrow.amount:
        return escrow.vat
    return included_vat(Money(gross, escrow.currency), Decimal(escrow.vat_rate)).amount


def commission_on(rule: CommissionRule, escrow: Escrow, gross: Money) -> Money:
    """The commission on part of what an escrow holds: on the seller's price, never on the
    VAT it includes (the seller's tax, passed on to them whole)."""
    return rule.on(gross - Money(vat_in(escrow, gross.amount), gross.currency))


def refund_plan(escrow: Escrow, amount: Money | None) -> Plan:
    """All that is left of a held escrow back to the payer, or `amount` of it (no more)."""
    left = escrow.amount - escrow.refunded - escrow.drawn
    value = left if amount is None else amount.amount
    if not 0 < value <= left:
        raise DomainError(_("A refund can be at most {amount}.",
                            amount=Money(left, escrow.currency)))
    return 0, 0, value


def split_plan(escrow: Escrow, refund: Money, rule: CommissionRule) -> Plan:
    """A dispute settled in part: `refund` to the payer, the rest to the payee less the
    commission on it; neither side may get all of it."""
    left = escrow.amount - escrow.refunded
    if not 0 < refund.amount < left:
        raise DomainError(_("A split refunds part of the escrow, not none or all of it."))
    rest = Money(left - refund.amount, escrow.currency)
    return rest.amount, commission_on(rule, escrow, rest).amount, refund.amount


def void_plan(escrow: Escrow) -> Plan:
    """An authorisation cancelled: nothing is charged."""
    return 0, 0, escrow.amount


def capture_plan(escrow: Escrow, amount: Money, rule: CommissionRule) -> Plan:
    """Up to the authorised amount charged, in its currency: the payee gets it less the
    commission, the rest of the authorisation is released to the payer."""
    if not 0 < amount.amount <= escrow.amount or amount.currency != escrow.currency:
        raise DomainError(_("You can charge at most {amount}.",
                            amount=Money(escrow.amount, escrow.currency)))
    return amount.amount, commission_on(rule, escrow, amount).amount, escrow.amount - amount.amount
