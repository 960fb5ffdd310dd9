"""What a company's endpoints are told of a domain event: the stable JSON read model of the
deal, request, document or contract it is about — ids, states, amounts as decimal strings with
their currency, quantities with their unit, and where the API serves it (`api_url`, a
document's `api_pdf_url` and `api_xml_url`: core.companies.api_paths), so the receiver fetches
what changed — built here from the rows, never a channel's words. Fields are added, never
renamed or removed (docs/webhooks.md).
Each builder returns the webhook facts of one domain event: for which companies, of which
type, under which key (the fact's name: heard twice, it is recorded once) and with what data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.catalog.tables import Listing
from core.companies import api_paths
from core.companies.seats import seat_of
from core.deals.contracts.tables import Contract
from core.deals.events import ContractMoved, DealAgreed, DealMoved, OfferMade
from core.deals.requests.tables import RequestBid
from core.deals.rules import line_total
from core.deals.tables import Deal, Offer, SupplyRequest
from core.money.events import DocumentIssued
from core.money.model import Money
from core.process.deals import ContractState, DealState
from core.storage.uow import UnitOfWork

# A deal entering these states is told as these types (a deal paid on terms enters `to_ship`
# unpaid: it is not `deal.paid`).
ENTERED = {DealState.TO_SHIP: "deal.paid", DealState.SHIPPED: "deal.shipped",
           DealState.DELIVERED: "deal.delivered",
           DealState.ADJUSTMENT_PROPOSED: "deal.quality_reported",
           DealState.COMPLETED: "deal.completed", DealState.DISPUTED: "deal.disputed",
           DealState.CANCELLED: "deal.cancelled", DealState.REFUNDED: "deal.refunded"}


@dataclass(frozen=True)
class Fact:
    """A domain event as webhooks carry it."""

    companies: tuple[int, ...]
    type: str
    key: str
    data: dict[str, Any]


def money(amount: Money) -> dict[str, str]:
    """An amount as a decimal string with its currency: {"amount": "1250.00", "currency": "EUR"}."""
    return {"amount": str(amount.decimal), "currency": amount.currency}


def quantity(milli: int, unit: str) -> dict[str, str]:
    """A quantity with its three decimals as a string: {"value": "100.000", "unit": "t"}."""
    return {"value": str(Decimal(milli).scaleb(-3)), "unit": unit}


async def _companies(uow: UnitOfWork, *accounts: int | None, also: int | None = None
                     ) -> tuple[int, ...]:
    """The companies the accounts sit in (and `also`), each once."""
    found = [also] if also is not None else []
    for account_id in accounts:
        seat = await seat_of(uow, account_id)
        if seat is not None:
            found.append(seat.company.id)
    return tuple(dict.fromkeys(c for c in found if c is not None))


async def _deal(uow: UnitOfWork, deal_id: int) -> tuple[Deal, dict[str, Any]] | None:
    found = (await uow.session.execute(select(Deal, Listing.title, Listing.unit,
                                              Listing.product_type)
                                       .join(Listing, Listing.id == Deal.listing_id)
                                       .where(Deal.id == deal_id))).one_or_none()
    if found is None:
        return None
    deal, title, unit, product = found
    price = Money(deal.price_minor, deal.currency)
    total = line_total(price, deal.quantity_milli)
    return deal, {"id": deal.id, "status": deal.status, "listing_id": deal.listing_id,
                  "title": title, "product_type": product,
                  "quantity": quantity(deal.quantity_milli, unit), "price": money(price),
                  "total": money(total), "vat": money(Money(deal.vat_minor, deal.currency)),
                  "buyer_id": deal.buyer_id, "seller_id": deal.seller_id,
                  "buyer_company_id": deal.company_id, "contract_id": deal.contract_id,
                  "api_url": api_paths.deal(deal.id)}


async def _deal_fact(uow: UnitOfWork, deal_id: int, type_: str, key: str, status: str,
                     **more: Any) -> list[Fact]:
    """A deal's fact; its `status` is the state the fact entered, even when the same
    transaction moved the deal further (its handlers run at commit, reading the row then)."""
    found = await _deal(uow, deal_id)
    if found is None:
        return []
    deal, data = found
    companies = await _companies(uow, deal.seller_id, also=deal.company_id)
    return [Fact(companies, type_, key, {"deal": {**data, "status": status}, **more})]


async def deal_agreed(uow: UnitOfWork, event: DealAgreed) -> list[Fact]:
    """`deal.agreed`; and `request.awarded` for the buyer when the offer answered a request
    (a quote accepted, or the winning bid of a tender or auction: then with the bid)."""
    facts = await _deal_fact(uow, event.deal_id, "deal.agreed", f"deal:{event.deal_id}:agreed",
                             DealState.AGREED, terms_version_id=event.terms_id)
    offer = (await uow.session.execute(select(Offer.request_id, Offer.id).join(
        Deal, Deal.offer_id == Offer.id).where(Deal.id == event.deal_id))).one_or_none()
    if not facts or offer is None or offer.request_id is None:
        return facts
    request = await _request(uow, offer.request_id)
    if request is None:
        return facts
    buyer_id, data = request
    deal = facts[0].data["deal"]
    bid = (await uow.session.execute(select(RequestBid.id, RequestBid.price_minor).where(
        RequestBid.offer_id == offer.id))).one_or_none()
    more = {} if bid is None else {"bid": {"id": bid.id, "price": money(
        Money(bid.price_minor, deal["price"]["currency"]))}}
    buyer = await _companies(uow, buyer_id, also=deal["buyer_company_id"])
    facts.append(Fact(buyer, "request.awarded", f"request:{data['id']}:deal:{deal['id']}",
                      {"request": data, "deal": deal, **more}))
    return facts


async def deal_moved(uow: UnitOfWork, event: DealMoved) -> list[Fact]:
    type_ = ENTERED.get(DealState(event.target)) if event.target in set(DealState) else None
    if type_ is None or event.source == event.target or (type_ == "deal.paid" and event.on_terms):
        return []
    return await _deal_fact(uow, event.deal_id, type_,
                            f"deal:{event.deal_id}:{event.transition}:{event.target}",
                            event.target, transition=event.transition,
                            previous_status=event.source)


async def _request(uow: UnitOfWork, request_id: int) -> tuple[int, dict[str, Any]] | None:
    row = await uow.session.get(SupplyRequest, request_id)
    if row is None:
        return None
    return row.buyer_id, {"id": row.id, "status": row.status, "product_type": row.product_type,
                          "quantity": quantity(row.quantity_milli, row.unit),
                          "deadline": row.deadline.isoformat(),
                          "api_url": api_paths.quotes(row.id)}


async def offer_made(uow: UnitOfWork, event: OfferMade) -> list[Fact]:
    """`request.offer_received`: a seller's quote on a company buyer's request."""
    offer = await uow.session.get(Offer, event.offer_id)
    if offer is None or offer.request_id is None or offer.made_by != "seller":
        return []
    found = await _request(uow, offer.request_id)
    if found is None:
        return []
    buyer, request = found
    price = Money(offer.price_minor, offer.currency)
    data = {"request": request, "offer": {
        "id": offer.id, "seller_id": offer.seller_id, "listing_id": offer.listing_id,
        "price": money(price), "total": money(line_total(price, offer.quantity_milli)),
        "quantity": quantity(offer.quantity_milli, request["quantity"]["unit"]),
        "expires_at": offer.expires_at.isoformat(), "api_url": api_paths.offer(offer.id)}}
    return [Fact(await _companies(uow, buyer), "request.offer_received",
                 f"offer:{offer.id}", data)]


async def document_issued(uow: UnitOfWork, event: DocumentIssued) -> list[Fact]:
    """`document.issued`: an invoice, receipt, statement or credit note, for the companies of
    the parties it concerns, with its number and download link (heard when it is numbered)."""
    data = {"document": {"id": event.document_id, "number": event.number, "kind": event.kind,
                         "total": money(event.total), "reference": event.reference,
                         "payer_id": event.payer_id, "payee_id": event.payee_id,
                         "download_url": event.link,
                         "api_pdf_url": api_paths.document_pdf(event.number),
                         "api_xml_url": api_paths.document_xml(event.number)}}
    companies = await _companies(uow, *event.parties)
    return [Fact(companies, "document.issued", f"document:{event.document_id}", data)]


async def contract_moved(uow: UnitOfWork, event: ContractMoved) -> list[Fact]:
    """`contract.signed`: a framework contract started (its first call-off accepted)."""
    contract = await uow.session.get(Contract, event.contract_id)
    if contract is None or contract.status != ContractState.ACTIVE or event.transition == "call-off":
        return []
    price = Money(contract.price_minor, contract.currency)
    data = {"contract": {"id": contract.id, "status": contract.status,
                         "listing_id": contract.listing_id, "buyer_id": contract.buyer_id,
                         "seller_id": contract.seller_id, "price": money(price),
                         "call_offs": contract.call_offs, "every": contract.every}}
    return [Fact(await _companies(uow, contract.buyer_id, contract.seller_id),
                 "contract.signed", f"contract:{contract.id}:{event.transition}", data)]
