"""Who a member's documents bill: the company, once its billing details are given (asked once
for all colleagues), else the person's own; any colleague may give them the first time, only
finance or an admin may change them after. Giving them, and reading whose they are, ask the
company's roster (`core.companies.roster`), so they are tested on the in-memory one too."""

from __future__ import annotations

from core.accounts import billing as own
from core.accounts.billing import Billing, Party
from core.accounts.vat import VatTreatment, treatment
from core.accounts.xrechnung_details import check_leitweg_id
from core.companies import rules
from core.companies.roster import Roster
from core.companies.seats import read_seats, seat_of
from core.companies.sql_roster import roster_of
from core.errors import DomainError
from core.i18n import _
from core.storage.uow import UnitOfWork


async def billed(uow: UnitOfWork | Roster, account_id: int) -> Billing | None:
    """The details an account's documents carry: its company's, or its own."""
    roster = roster_of(uow)
    seat = await roster.seat(account_id)
    if seat is not None:
        return seat.company.billing
    return await roster.own_billing(account_id)


async def missing(uow: UnitOfWork | Roster, account_id: int) -> bool:
    """Whether billing details must still be asked before the account's first deal."""
    return await billed(uow, account_id) is None


async def give(uow: UnitOfWork | Roster, account_id: int, *, legal_name: str, street: str,
               postcode: str, town: str, country: str, vat_id: str | None = None,
               vat_rate: str | None = None) -> Billing:
    """Keep billing details: the company's for a member, else the account's own."""
    roster = roster_of(uow)
    seat = await roster.seat(account_id)
    if seat is None:
        return await roster.give_own_billing(
            account_id, legal_name=legal_name, street=street, postcode=postcode, town=town,
            country=country, vat_id=vat_id, vat_rate=vat_rate)
    company = seat.company
    rules.check_may_bill(company.billing is not None, seat.roles, company.name)
    details = own.check(legal_name, street, postcode, town, country, vat_id, vat_rate)
    await roster.set_billing(company.id, details)
    await roster.audit(company.id, account_id, "billing", f"company:{company.id}",
                       legal_name=details.legal_name, vat_id=details.vat_id)
    return details


async def give_leitweg_id(uow: UnitOfWork | Roster, account_id: int, leitweg_id: str | None
                          ) -> str | None:
    """Keep the Leitweg-ID a German public buyer's XRechnungs carry (empty: forget it): its
    company's — a public authority buys as one — which finance or an admin gives once the
    billing details are given. The checked id, or None."""
    checked = check_leitweg_id(leitweg_id) if leitweg_id and leitweg_id.strip() else None
    roster = roster_of(uow)
    seat = await roster.seat(account_id)
    if seat is None:
        raise DomainError(_("A Leitweg-ID is a public authority's: set up its company first."))
    company = seat.company
    if company.billing is None:
        raise DomainError(_("Give the company's billing details first."))
    rules.check_may_bill(True, seat.roles, company.name)
    await roster.set_leitweg_id(company.id, checked)
    await roster.audit(company.id, account_id, "leitweg_id", f"company:{company.id}",
                       leitweg_id=checked)
    return checked


async def party_for(uow: UnitOfWork, account_id: int | None) -> Party:
    """How documents name an account: its company (with its billing details) for a member,
    else `core.accounts.billing.party_of`."""
    seat = await seat_of(uow, account_id)
    if seat is None:
        return await own.party_of(uow, account_id)
    details = seat.company.billing
    if details is None:
        return Party(seat.company.name)
    return Party(details.legal_name, details.address_lines(), details.vat_id)


async def parties_for(uow: UnitOfWork, *account_ids: int | None) -> tuple[Party, ...]:
    """`party_for` each of several accounts (a document's two parties), read at once."""
    await read_seats(uow, account_ids)
    return tuple([await party_for(uow, account_id) for account_id in account_ids])


async def sale_treatment(uow: UnitOfWork, buyer_id: int, seller_id: int, supply: str
                         ) -> VatTreatment | None:
    """The VAT treatment of a sale (`supply`: "goods" or "services") from the details each
    party's documents carry, once both have given them."""
    await read_seats(uow, (buyer_id, seller_id))
    theirs, ours = await billed(uow, buyer_id), await billed(uow, seller_id)
    return treatment(ours, theirs, supply) if ours and theirs else None
