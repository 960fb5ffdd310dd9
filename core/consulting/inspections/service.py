"""Inspections' use cases: the inspectors a deal's party may book (live consultants offering
sampling and lab analysis, at their fixed fee), booking one (one open per deal, kept by the
database), the fee authorised, the inspector's answer, the sampling record, the lab's figures
and the deadline. Every move is a conditional update from the states `rules.MOVES` allows."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.accounts.tables import Account
from core.catalog.tables import Listing
from core.consulting.inspections import rules
from core.consulting.inspections.events import (
    InspectionBooked,
    InspectionMoved,
    InspectionSettled,
)
from core.consulting.inspections.rules import InspectionState
from core.consulting.inspections.tables import Inspection
from core.consulting.inspections.view import (
    InspectionFacts,
    InspectorOffer,
    Inspectors,
    facts,
)
from core.consulting.tables import ConsultantProfile
from core.deals import deals
from core.deals.rules import specs_of
from core.deals.tables import Deal
from core.deals.terms import service as deal_terms
from core.deals.terms.wording import main_rows, quality_rows
from core.deals.threads.service import SharedFile
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.money.model import Money
from core.process.deals import BUYER, SELLER
from core.storage.uow import UnitOfWork

INSPECTOR = "inspector"
# What the inspector reads of the terms: the goods, how much, where and when — no parties, no price.
FOR_INSPECTOR = ("product", "grade", "certifications", "quantity", "tolerance_percent",
                 "incoterm", "place", "delivery_from", "delivery_to")


async def _party_deal(uow: UnitOfWork, deal_id: int, actor_id: int) -> Deal:
    """The deal, for its buyer or seller alone (anyone else: NotFound or NotAllowed)."""
    deal = await deals.get(uow, deal_id, actor_id)
    if actor_id not in (deal.buyer_id, deal.seller_id):
        raise NotAllowed(_("Only the deal's buyer or seller books an inspection."))
    return deal


async def inspectors(uow: UnitOfWork, deal_id: int, actor_id: int) -> Inspectors:
    """Live consultants who offer sampling and lab analysis at a fixed fee, best rated first
    (neither party of the deal): those serving the country of the deal's goods, or every one
    when none does (`rules.serving`)."""
    deal = await _party_deal(uow, deal_id, actor_id)
    if not rules.bookable(deal.status):
        raise Conflict(_("An inspection is booked once the deal is paid and before its "
                         "quality is confirmed."))
    rows = (await uow.session.execute(
        select(ConsultantProfile, Account.display_name)
        .join(Account, Account.id == ConsultantProfile.account_id)
        .where(ConsultantProfile.live.is_(True),
               ConsultantProfile.inspection_fee_minor.is_not(None),
               ConsultantProfile.account_id.not_in((deal.buyer_id, deal.seller_id))))).all()
    found = [InspectorOffer(p.account_id, name, Money(p.inspection_fee_minor, p.currency),
                            Decimal(p.stars_total) / p.ratings if p.ratings else None,
                            tuple(p.countries_served or ()))
             for p, name in rows if rules.CATEGORY in (p.categories or [])
             and p.inspection_fee_minor]
    country = await uow.session.scalar(select(Listing.country).where(
        Listing.id == deal.listing_id))
    offered, local = rules.serving(found, country)
    return Inspectors(tuple(sorted(offered, key=lambda o: (-(o.stars or 0), o.fee.amount,
                                                            o.account_id))), country, local)


async def book(uow: UnitOfWork, deal_id: int, actor_id: int, inspector_id: int
               ) -> InspectionFacts:
    """The party books this inspector at their fee, which the party authorises next."""
    offer = next((o for o in (await inspectors(uow, deal_id, actor_id)).offers
                  if o.account_id == inspector_id), None)
    if offer is None:
        raise NotFound(_("That inspector no longer offers inspections."))
    now = uow.clock.now()
    row = Inspection(deal_id=deal_id, open_deal_id=deal_id, booked_by=actor_id,
                     inspector_id=inspector_id, fee_minor=offer.fee.amount,
                     currency=offer.fee.currency, status=InspectionState.AWAITING_PAYMENT,
                     due_at=rules.due_at(now), record_path=None, record_name=None,
                     record_mime=None, results=None, created_at=now, updated_at=now)
    try:
        async with uow.nested():
            await uow.insert(row)
    except IntegrityError:  # the unique open_deal_id: another is open (or booked a moment ago)
        raise Conflict(_("This deal has an inspection booked already.")) from None
    uow.emit(InspectionBooked(row.id, rules.reference(row.id), actor_id, inspector_id,
                              offer.fee))
    return facts(row, offer.name, await _role(uow, row, actor_id) or "")


async def authorised(uow: UnitOfWork, reference: str) -> None:
    """In the payment's transaction: the fee is authorised, so the inspector is asked."""
    inspection_id = rules.inspection_of(reference)
    if inspection_id is not None and await _move(uow, inspection_id, InspectionState.BOOKED):
        uow.emit(InspectionMoved(inspection_id, InspectionState.BOOKED))


async def authorisation_lost(uow: UnitOfWork, reference: str) -> None:
    """In the void's transaction: an open inspection whose fee is no longer authorised (a card
    hold voided as it neared its expiry) lapses; its inspector and parties are told."""
    inspection_id = rules.inspection_of(reference)
    if inspection_id is not None and await _move(uow, inspection_id, InspectionState.LAPSED):
        uow.emit(InspectionMoved(inspection_id, InspectionState.LAPSED))


async def answer(uow: UnitOfWork, inspection_id: int, inspector_id: int, accept: bool) -> None:
    """The inspector accepts the inspection, or declines it (the fee is given back)."""
    await _inspectors(uow, inspection_id, inspector_id)
    to = InspectionState.ACCEPTED if accept else InspectionState.DECLINED
    if not await _move(uow, inspection_id, to):
        raise Conflict(_("That inspection was answered already."))
    uow.emit(InspectionMoved(inspection_id, to))
    if not accept:
        uow.emit(InspectionSettled(inspection_id, rules.reference(inspection_id), "void"))


async def keep_record(uow: UnitOfWork, inspection_id: int, inspector_id: int,
                      kept: SharedFile) -> None:
    """The inspector's sampling record (a document kept in the file store)."""
    row = await _inspectors(uow, inspection_id, inspector_id)
    if row.status != InspectionState.ACCEPTED:
        raise Conflict(_("The sampling record is sent while the inspection is under way."))
    row.record_path, row.record_name, row.record_mime = kept.path, kept.name, kept.mime_type
    row.updated_at = uow.clock.now()


async def deliver(uow: UnitOfWork, inspection_id: int, inspector_id: int,
                  figures: Mapping[str, Decimal | None]) -> InspectionFacts:
    """The lab's figures are in: the inspection is delivered, its fee captured, and the deal's
    parties are shown the price adjustment they give."""
    row = await _inspectors(uow, inspection_id, inspector_id)
    if row.record_path is None:
        raise DomainError(_("Send the sampling record first."))
    results = {name: _figure(name, value) for name, value in figures.items() if value is not None}
    if not results:
        raise DomainError(_("Enter at least one of the lab's figures."))
    if not await _move(uow, inspection_id, InspectionState.DELIVERED,
                       results={k: f"{v.normalize():f}" for k, v in results.items()}):
        raise Conflict(_("That inspection is no longer under way."))
    uow.emit(InspectionMoved(inspection_id, InspectionState.DELIVERED))
    uow.emit(InspectionSettled(inspection_id, rules.reference(inspection_id), "capture"))
    return await get(uow, inspection_id, inspector_id)


async def lapse_due(uow: UnitOfWork) -> list[int]:
    """Open inspections past their deadline lapse; their fee is given back."""
    due = (await uow.session.execute(select(Inspection.id).where(
        Inspection.status.in_(rules.OPEN), Inspection.due_at <= uow.clock.now()))).scalars()
    lapsed = []
    for inspection_id in due:
        if await _move(uow, inspection_id, InspectionState.LAPSED):
            uow.emit(InspectionMoved(inspection_id, InspectionState.LAPSED))
            uow.emit(InspectionSettled(inspection_id, rules.reference(inspection_id), "void"))
            lapsed.append(inspection_id)
    return lapsed


async def get(uow: UnitOfWork, inspection_id: int, actor_id: int | None) -> InspectionFacts:
    """An inspection for its deal's parties and its inspector (who also reads the terms'
    goods and quality clauses); NotFound for anyone else."""
    row = await uow.get(Inspection, inspection_id)
    role = await _role(uow, row, actor_id) if row is not None else None
    if row is None or role is None:
        raise NotFound(_("That inspection doesn't exist."))
    terms: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()
    version = await deal_terms.current(uow, row.deal_id)
    body = dict(version.body) if version is not None else {}
    if role == INSPECTOR:
        terms = tuple([*main_rows({k: v for k, v in body.items()
                                   if k in FOR_INSPECTOR or k in ("unit", "currency")}),
                       *quality_rows(body)])
    names = tuple(rules.parameters([s.name for s in specs_of(body, row.currency)]))
    return facts(row, await _name(uow, row.inspector_id), role, terms, names)


async def of_deal(uow: UnitOfWork, deal_id: int, actor_id: int | None) -> InspectionFacts | None:
    """The deal's latest inspection, as `actor_id` reads it (None: none booked). Inspections
    are the database's: a deal held in memory (the deal flows' tests without one) has none,
    as it has no transport (core.deals.views)."""
    if not isinstance(uow, UnitOfWork):
        return None
    found = (await uow.session.execute(select(Inspection.id).where(
        Inspection.deal_id == deal_id).order_by(Inspection.id.desc()).limit(1))).scalar()
    return await get(uow, found, actor_id) if found is not None else None


async def record(uow: UnitOfWork, inspection_id: int, actor_id: int | None) -> SharedFile | None:
    """The sampling record, for whoever may read the inspection."""
    await get(uow, inspection_id, actor_id)
    row = await uow.get(Inspection, inspection_id)
    if row is None or row.record_path is None:
        return None
    return SharedFile(row.record_path, row.record_name or "sampling-record",
                      row.record_mime or "application/octet-stream")


async def _role(uow: UnitOfWork, row: Inspection, actor_id: int | None) -> str | None:
    if actor_id is not None and actor_id == row.inspector_id:
        return INSPECTOR
    deal = await uow.get(Deal, row.deal_id)
    if deal is None or actor_id is None:
        return None
    return BUYER if actor_id == deal.buyer_id else SELLER if actor_id == deal.seller_id else None


async def _inspectors(uow: UnitOfWork, inspection_id: int, actor_id: int) -> Inspection:
    """The inspection, for its inspector alone."""
    row = await uow.get(Inspection, inspection_id)
    if row is None or await _role(uow, row, actor_id) is None:
        raise NotFound(_("That inspection doesn't exist."))
    if row.inspector_id != actor_id:
        raise NotAllowed(_("Only the booked inspector answers and reports an inspection."))
    return row


async def _move(uow: UnitOfWork, inspection_id: int, to: InspectionState, **values: object
                ) -> bool:
    """One guarded move (`UPDATE … WHERE status IN (allowed)`); an inspection that ends frees
    its deal for another."""
    ends = to not in rules.OPEN
    changed = await uow.session.execute(
        update(Inspection).where(Inspection.id == inspection_id,
                                 Inspection.status.in_(rules.MOVES[to]))
        .values(status=to, updated_at=uow.clock.now(),
                **({"open_deal_id": None} if ends else {}), **values)
        .execution_options(synchronize_session="fetch"))
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


async def _name(uow: UnitOfWork, account_id: int) -> str:
    return (await uow.session.execute(select(Account.display_name).where(
        Account.id == account_id))).scalar() or ""


def _figure(name: str, value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0 or value > 10**6:
        raise DomainError(_("The {name} is a number from 0 up.", name=name))
    return value
