"""Payment on terms in the database: Agora's finance approves a company for it (net days and a
limit), a buyer of that company may then agree it in an offer, and what the company owes on
terms is the price of its deals on terms not paid yet. The rules are core.deals.pay_terms'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.companies.audit_trail import audit
from core.companies.events import TermsApproved
from core.companies.seats import seat_of
from core.companies.tables import Company
from core.deals import deals, pay_terms, rules
from core.deals.tables import Deal
from core.errors import DomainError, NotFound
from core.i18n import _
from core.money.model import Money
from core.operators import audit as operator_audit
from core.operators.roles import require
from core.storage.uow import UnitOfWork

ENDED = ("cancelled", "refunded")  # deals whose invoice is owed by no one


@dataclass(frozen=True)
class Standing:
    """A company's payment on terms: the days and limit approved, and what it owes now."""

    company: Company
    days: int | None
    limit: Money | None
    owed: Money | None
    approved_at: datetime | None

    @property
    def approved(self) -> bool:
        return self.days is not None and self.limit is not None


async def approve(uow: UnitOfWork, operator_id: int, company_id: int, days: int,
                  limit: Money) -> Company:
    """Agora's finance lets a company pay on terms of up to `days`, owing at most `limit`."""
    await require(uow, operator_id, "approve_terms")
    company = await _company(uow, company_id)
    days = pay_terms.checked_days(days)
    if limit.amount <= 0:
        raise DomainError(_("The limit must be more than zero."))
    company.terms_days, company.terms_limit_minor, company.terms_currency = \
        days, limit.amount, limit.currency
    company.terms_approved_by, company.terms_approved_at = operator_id, uow.clock.now()
    company.updated_at = uow.clock.now()
    await audit(uow, company.id, operator_id, "terms_approved", f"company:{company.id}",
                days=days, limit=str(limit))
    await operator_audit.record(uow, operator_id, "terms-approved", f"company:{company.id}",
                                f"net {days}, limit {limit.plain()}")
    uow.emit(TermsApproved(company.id, days))
    return company


async def withdraw(uow: UnitOfWork, operator_id: int, company_id: int) -> Company:
    """No new purchases on terms; invoices already issued stay due as they are."""
    await require(uow, operator_id, "approve_terms")
    company = await _company(uow, company_id)
    company.terms_days = company.terms_limit_minor = company.terms_currency = None
    company.terms_approved_by, company.terms_approved_at = operator_id, None
    company.updated_at = uow.clock.now()
    await audit(uow, company.id, operator_id, "terms_withdrawn", f"company:{company.id}")
    await operator_audit.record(uow, operator_id, "terms-withdrawn", f"company:{company.id}")
    uow.emit(TermsApproved(company.id, None))
    return company


async def standing(uow: UnitOfWork, company: Company) -> Standing:
    limit = Money(company.terms_limit_minor, company.terms_currency) \
        if company.terms_limit_minor is not None and company.terms_currency else None
    owed = await owed_by(uow, company.id, limit.currency) if limit else None
    return Standing(company, company.terms_days, limit, owed, company.terms_approved_at)


async def owed_by(uow: UnitOfWork, company_id: int, currency: str) -> Money:
    """The price (without VAT) of the company's deals on terms whose invoice is not paid, each
    rounded as its deal is (`rules.line_total`)."""
    rows = await uow.session.execute(select(Deal.price_minor, Deal.quantity_milli).where(
        Deal.company_id == company_id, Deal.payment_days.is_not(None),
        Deal.terms_paid_at.is_(None), Deal.currency == currency, Deal.status.not_in(ENDED)))
    return sum((rules.line_total(Money(price, currency), milli) for price, milli in rows),
               Money(0, currency))


async def methods_for(uow: UnitOfWork, buyer_id: int) -> tuple[str, ...]:
    """The on-terms payment methods an offer to this buyer may carry (none for a buyer whose
    company is not approved)."""
    seat = await seat_of(uow, buyer_id)
    return methods_within(seat.company.terms_days if seat else None)


def methods_within(days: int | None) -> tuple[str, ...]:
    """The on-terms payment methods a company approved for up to `days` net may use (none
    when it is not approved)."""
    return tuple(method for method, net in pay_terms.NET_DAYS.items() if days and net <= days)


async def check(uow: UnitOfWork, buyer_id: int, method: str, amount: Money,
                by_buyer: bool = True) -> None:
    """Refuse an offer (or its acceptance) on terms the buyer's company may not use. The
    company's row is held until commit, so two purchases at once cannot both fit the same room
    under its limit."""
    days = pay_terms.net_days(method)
    if days is None:
        return
    seat = await seat_of(uow, buyer_id)
    found = None
    if seat is not None:
        company = (await uow.session.execute(select(Company).where(
            Company.id == seat.company.id).with_for_update())).scalar_one()
        found = await standing(uow, company)
    checked(days, amount, found, by_buyer)


def checked(days: int, amount: Money, found: Standing | None, by_buyer: bool = True) -> None:
    """Refuse a purchase of `amount` on `days` net the company's standing (`found`; None: the
    buyer has no company) does not allow; a seller is refused without the company's limit or
    debts."""
    try:
        if found is None:
            pay_terms.checked_credit(days, amount, None, None, amount, "")
            return
        pay_terms.checked_credit(days, amount, found.days, found.limit,
                                 found.owed or Money(0, amount.currency), found.company.name)
    except DomainError:
        if by_buyer:
            raise
        raise DomainError(_("This buyer cannot pay on terms for this purchase; offer escrow "
                            "instead.")) from None


async def approved_companies(uow: UnitOfWork, operator_id: int) -> list[Standing]:
    """Every company, with its payment on terms (the console's list)."""
    await require(uow, operator_id, "approve_terms")
    companies = (await uow.session.execute(select(Company).order_by(Company.name))).scalars()
    return [await standing(uow, company) for company in companies]


async def paid_on_terms(uow: UnitOfWork, reference: str) -> bool:
    """Whether the deal a payment reference names is paid on terms: against its invoice, to
    Agora, never arranged directly."""
    deal_id = deals.deal_of(reference)
    deal = await uow.get(Deal, deal_id) if deal_id is not None else None
    return bool(deal is not None and deal.payment_days)


async def _company(uow: UnitOfWork, company_id: int) -> Company:
    company = await uow.get(Company, company_id)
    if company is None:
        raise NotFound(_("There is no such company."))
    return company
