"""A deal's terms, frozen: a version with a SHA-256 fingerprint that both parties accept.
An accepted version never changes; a change is a new version, accepted again by both. When both
have accepted, the deal moves on to payment."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.deals import deals, pay_terms
from core.deals.events import TermsAccepted, TermsChanged
from core.deals.tables import Deal
from core.deals.terms import deadline_words
from core.deals.terms.tables import DealTerms
from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import _
from core.notifications.outbox import document_made
from core.process.deals import BUYER, DEAL_PROCESS, SELLER, DealState
from core.process.model import span
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork


def canonical(body: dict[str, Any]) -> bytes:
    """The terms as canonical JSON (sorted keys, no spaces, UTF-8): what the fingerprint hashes
    and what the PDF embeds, so anyone can check one against the other."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(body: dict[str, Any]) -> str:
    """SHA-256 of the terms' canonical JSON."""
    return hashlib.sha256(canonical(body)).hexdigest()


async def propose(uow: UnitOfWork, deal_id: int, actor_id: int, body: dict[str, Any]
                  ) -> DealTerms:
    """A new version of the terms (the first, or a change): nobody has accepted it yet."""
    deal = await deals.get(uow, deal_id, actor_id)
    role = await deals.role_of(uow, deal, actor_id)
    if role not in (BUYER, SELLER):
        raise NotAllowed(_("Only the parties write a deal's terms."))
    if not DEAL_PROCESS.allows("change-terms", deal.status, role):
        raise Conflict(_("The terms can't change once both accepted them."))
    latest = await current(uow, deal_id)
    version = DealTerms(deal_id=deal_id, version=(latest.version + 1) if latest else 1,
                        body=body, sha256=fingerprint(body), created_at=uow.clock.now())
    await uow.insert(version)
    _written(uow, version)
    document_made(uow, terms_ref(version.id))
    return version


def terms_ref(version_id: int) -> dict[str, str]:
    """How a notice attaches a version of the terms (and how a chat is asked if it has it)."""
    return {"kind": "deal-terms", "key": str(version_id)}


CHANGEABLE = ("incoterm", "place", "delivery_from", "delivery_to", "payment_method")


async def change(uow: UnitOfWork, deal_id: int, actor_id: int, changes: dict[str, Any]
                 ) -> DealTerms:
    """A party proposes a new version that changes how the goods travel or are paid (the
    quantity and price stay those of the accepted offer); both accept it again."""
    latest = await current(uow, deal_id)
    if latest is None:
        raise Conflict(_("This deal has no terms to change."))
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise DomainError(_("Only the Incoterm, place, delivery window and payment can change."))
    body = {**latest.body, **changes}
    if pay_terms.net_days(str(body.get("payment_method"))) != \
            pay_terms.net_days(str(latest.body.get("payment_method"))):
        raise DomainError(_("Payment on terms is agreed in the offer: it cannot be added to or "
                            "taken from a deal."))
    if body == latest.body:
        raise DomainError(_("Nothing changed: change at least one term."))
    if body.get("delivery_from") and body.get("delivery_to") and \
            body["delivery_to"] < body["delivery_from"]:
        raise DomainError(_("The delivery window ends before it starts."))
    version = await propose(uow, deal_id, actor_id, body)
    uow.emit(TermsChanged(deal_id, version.id, actor_id,
                          tuple(k for k in CHANGEABLE if body.get(k) != latest.body.get(k))))
    return version


def deadlines(payment_method: str = "escrow") -> dict[str, str]:
    """Every deadline of the deal, in words, from the declared process (so they agree); paid
    on terms, the goods ship first and the invoice is due its net days after shipment."""
    net = pay_terms.net_days(payment_method)
    said = {key: 0 for key in ("cancel-unpaid", "cancel-not-shipped", "auto-confirm",
                               "close-reviews")}
    if net:
        del said["cancel-unpaid"]
        said["cancel-not-shipped"] = 1  # shipping within … of accepting the terms
    found = {t.fires: deadline_words.frozen(t.fires, said[t.fires], span=span(t.after))
             for t in DEAL_PROCESS.timers if t.fires in said and t.state != DealState.AGREED}
    if net:
        found["invoice-due"] = deadline_words.frozen("invoice-due", days=net)
    return found


async def first_version(uow: UnitOfWork, deal: Deal, terms: dict[str, Any]) -> DealTerms:
    """Version 1, written from the accepted offer when the deal is agreed."""
    version = DealTerms(deal_id=deal.id, version=1, body=terms, sha256=fingerprint(terms),
                        created_at=uow.clock.now())
    await uow.insert(version)
    _written(uow, version)
    document_made(uow, terms_ref(version.id))
    return version


_CURRENT = "deal-terms-current"  # deal id → its latest version, as this transaction knows it


async def current(uow: UnitOfWork, deal_id: int) -> DealTerms | None:
    """The deal's latest version of the terms: read once per transaction (a card, an
    acceptance and its invoice lines each ask), and the one this transaction wrote."""
    known = uow.kept(_CURRENT, dict[int, DealTerms | None])
    if deal_id not in known:
        known[deal_id] = (await uow.session.execute(_LATEST, {"deal_id": deal_id})).scalar()
    return known[deal_id]


def _written(uow: UnitOfWork, version: DealTerms) -> None:
    uow.kept(_CURRENT, dict[int, DealTerms | None])[version.deal_id] = version


_LATEST = (select(DealTerms).where(DealTerms.deal_id == bindparam("deal_id", type_=Integer))
           .order_by(DealTerms.version.desc()).limit(1))


async def accept(uow: UnitOfWork, deal_id: int, actor_id: int, sha256: str) -> Deal:
    """A party accepts the version they saw (named by its fingerprint); the second acceptance
    moves the deal to awaiting payment."""
    deal = await deals.get(uow, deal_id, actor_id)
    role = await deals.role_of(uow, deal, actor_id)
    if role not in (BUYER, SELLER):
        raise NotAllowed(_("Only the parties accept a deal's terms."))
    latest = await current(uow, deal_id)
    if latest is None or latest.sha256 != sha256:
        raise Conflict(_("Those terms were changed; read the new version and accept that one."))
    # Both acceptance times, as the update returned them or as they stand.
    marked: tuple[datetime | None, datetime | None] | None = (await (await uow.core()).execute(
        _ACCEPT[role], {"t_id": latest.id, "t_at": uow.clock.now()})).first()
    if marked is None:  # accepted already (a double tap): read both as they stand
        await uow.session.refresh(latest)
        marked = (latest.buyer_accepted_at, latest.seller_accepted_at)
    else:  # what the row now holds, without reading it again
        set_committed_value(latest, "buyer_accepted_at", marked[0])
        set_committed_value(latest, "seller_accepted_at", marked[1])
        if not all(marked):  # the other party still has to: they hear this one did
            uow.emit(TermsAccepted(deal_id, latest.id, actor_id))
    if all(marked) and deal.status == DealState.AGREED:
        await deals.take(uow, deal_id, "accept-terms", None)
    return deal


def _acceptance(column: Any) -> Any:
    # Built once per party, run on the transaction's connection (the session's row is updated
    # by hand above): the party's acceptance time, set only if it is not yet.
    table = table_of(DealTerms)
    return (update(table).where(table.c.id == bindparam("t_id"), table.c[column].is_(None))
            .values({column: bindparam("t_at")})
            .returning(table.c.buyer_accepted_at, table.c.seller_accepted_at))


_ACCEPT = {BUYER: _acceptance("buyer_accepted_at"), SELLER: _acceptance("seller_accepted_at")}


# What the flows are answered with (they hold no row).


@dataclass(frozen=True)
class Acceptance:
    """What a party's acceptance of the terms left: the deal's status after it, and its buyer."""

    deal_id: int
    status: str
    buyer_id: int


async def accept_as_party(uow: UnitOfWork, deal_id: int, actor_id: int, sha256: str
                          ) -> Acceptance:
    """`accept`, answered with what the party is told next."""
    deal = await accept(uow, deal_id, actor_id, sha256)
    return Acceptance(deal.id, deal.status, deal.buyer_id)


async def propose_change(uow: UnitOfWork, deal_id: int, actor_id: int,
                         changes: dict[str, Any]) -> int:
    """`change`, answered with the new version's number."""
    return (await change(uow, deal_id, actor_id, changes)).version
