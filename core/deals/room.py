"""A deal as one of its parties reads it in a room of its own (the Telegram Mini App's deal
screen): the deal card's read model (core.deals.views), its payment in words, the steps this
party may take now (core.deals.steps, the same the chat card's buttons are), the other
contexts' lines and steps on the card (core.deals.card_parts) and its documents —
the frozen terms, the payment documents issued for its escrow that concern this party, and the
carbon receipt once the delivery is accepted. Its lines are the chat card's, from the one
builder of them (core.deals.deal_card). For the two parties alone: anyone else (an
operator, a colleague who may see the deal) finds nothing here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.accounts.tables import Account
from core.deals import cards, company_deals, deals
from core.deals.after_sale.carbon_receipt import ISSUED_FROM
from core.deals.card_parts import CardPart, DealCardPart, parts_of
from core.deals.deal_card import card_lines
from core.deals.steps import possible_now
from core.deals.views import DealView, deal_view
from core.errors import NotFound
from core.i18n import N_, _
from core.money.model import Money
from core.payments_port import DocumentView, EscrowView, PaymentsPort
from core.process.deals import BUYER, SELLER
from core.process.model import Transition
from core.storage.uow import UnitOfWork

TERMS, CARBON = "terms", "carbon"  # the deal's own documents, drawn for the reader on download


@dataclass(frozen=True)
class DealDocument:
    """One document of the deal: its kind, what it is called (untranslated) and, for a payment
    document, its number, amount, day and download address (its token is the secret)."""

    kind: str  # terms | carbon | a payment document's kind (core.payments_port.DocumentView)
    title: str
    number: str | None = None
    total: Money | None = None
    issued_at: datetime | None = None
    url: str | None = None  # None: the deal's own document, fetched through the room


@dataclass(frozen=True)
class DealRoom:
    view: DealView
    payment: str  # the deal's payment status, in the reader's words (cards.payment_words)
    escrow: EscrowView | None
    steps: tuple[Transition, ...]  # what this party may do now, in the process's order
    documents: tuple[DealDocument, ...]
    extra: CardPart  # other contexts' lines and steps (an inspection's)
    lines: tuple[str, ...]  # the deal card's, as the chat draws it (core.deals.deal_card)


async def deal_room(uow: UnitOfWork, payments: PaymentsPort, deal_id: int, actor_id: int,
                    contributors: Sequence[DealCardPart] = ()) -> DealRoom:
    """The deal as this party's room shows it; NotFound for anyone but its buyer and seller."""
    view = await deal_view(uow, deal_id, actor_id)
    if view.role not in (BUYER, SELLER):
        raise NotFound(_("That deal doesn't exist."))
    escrow = await payments.by_reference(deals.reference(deal_id), uow)
    reader = await uow.get(Account, actor_id)
    steps = tuple(possible_now(view.deal, view.role, view.rated))
    payment, extra = cards.payment_words(escrow, view.deal), \
        await parts_of(uow, view, actor_id, contributors)
    return DealRoom(view, payment, escrow, steps,
                    (*_own(view), *_paid(await payments.documents(
                        deals.reference(deal_id), actor_id, uow))),
                    extra, card_lines(view, payment, reader, extra))


async def company_room(uow: UnitOfWork, payments: PaymentsPort, deal_id: int, actor_id: int
                       ) -> DealRoom:
    """The deal as one of its parties' room shows it; or, read only — no steps, and of its
    documents the payment documents of the buyer's side, for the company's books
    (payments.readers) — as a colleague of the buyer who may see the company's deals reads it
    (the chat's company deals, core.deals.company_deals); NotFound for anyone else."""
    view = await deal_view(uow, deal_id, actor_id)
    if view.role in (BUYER, SELLER):
        return await deal_room(uow, payments, deal_id, actor_id)
    if not await company_deals.sees(uow, await deals.get(uow, deal_id, actor_id), actor_id):
        raise NotFound(_("That deal doesn't exist."))
    escrow = await payments.by_reference(deals.reference(deal_id), uow)
    paid = await payments.documents(deals.reference(deal_id), actor_id, uow)
    reader = await uow.get(Account, actor_id)
    payment = cards.payment_words(escrow, view.deal)
    return DealRoom(view, payment, escrow, (), tuple(_paid(paid)), CardPart(),
                    card_lines(view, payment, reader, CardPart()))


def _own(view: DealView) -> list[DealDocument]:
    found = []
    if view.terms is not None:
        found.append(DealDocument(TERMS, N_("📄 Terms (PDF)")))
    if view.deal.status in ISSUED_FROM:
        found.append(DealDocument(CARBON, N_("🌱 Carbon receipt")))
    return found


def _paid(documents: list[DocumentView]) -> list[DealDocument]:
    return [DealDocument(d.kind, d.title, d.number, d.total, d.issued_at, d.url)
            for d in documents]
