"""A deal's card as one reader sees it — the one builder every drawing of it calls: the card
opened in chat (from the list of one's deals, or a deal's button), the party's latest card
rewritten after the deal changed without a new card in that chat (`builders`, for the
dispatchers: core.notifications.cards) and the Mini App's deal room (its lines). So a card
reads the same, with the same doors, whichever way it is drawn.

Its parts: the deal's words (cards.deal_text: what, how much, lifecycle, payment, shipment,
transport), a call-off's contract, the frozen terms, a dispute, then other contexts' lines
(core.deals.card_parts: an inspection's). Its actions: the steps this party may take now (one
to a row, as a notice has them), then the card's other doors — the thread, the rarer steps,
transport and its CMR, other contexts' steps, the terms' PDF, the contract, the carbon receipt
and sharing. What frames a card is its drawing's own: a flow ends it with ✔ Done, a notice
with 🤝 Open the deal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.accounts.member import Member
from core.accounts.tables import Account
from core.actions import Action, ActionRows, payload_rows
from core.deals import cards, deals
from core.deals.after_sale.carbon_receipt import ISSUED_FROM
from core.deals.card_parts import CardPart, DealCardPart, parts_of
from core.deals.freight import rules as freight_rules
from core.deals.intents import DealIntent
from core.deals.notices.parties import deal_button, next_steps, step_action
from core.deals.steps import MORE, possible_now
from core.deals.threads import service as threads
from core.deals.views import DealView, deal_view
from core.errors import NotFound
from core.i18n import N_, _
from core.notifications.cards import CardBuilder
from core.notifications.outbox import addressed_to
from core.payments_port import PaymentsPort
from core.process.deals import BUYER, SELLER
from core.storage.uow import UnitOfWork

PARTIES = (BUYER, SELLER)


@dataclass(frozen=True)
class DealCardModel:
    """The card's lines in the reader's language, and its actions (labels still msgids)."""

    lines: tuple[str, ...]
    steps: tuple[Action, ...]  # what this party may do now, in the process's order
    more: tuple[Action, ...]  # the card's other doors, in the order they show

    def rows(self) -> ActionRows:
        """The actions as a card lays them out: a step to a row, the other doors two a row."""
        return [*([step] for step in self.steps),
                *(list(self.more[i:i + 2]) for i in range(0, len(self.more), 2))]


async def deal_card(uow: UnitOfWork, payments: PaymentsPort, view: DealView, account_id: int,
                    reader: Member | Account | None,
                    contributors: Sequence[DealCardPart] = ()) -> DealCardModel:
    """The deal's card as `account_id` (the reader, whose view `view` is) sees it now."""
    escrow = await payments.by_reference(deals.reference(view.deal.id), uow)
    extra = await parts_of(uow, view, account_id, contributors)
    steps = next_steps(view.deal, view.role, view.rated)[:-1]  # the last opens the card itself
    return DealCardModel(card_lines(view, cards.payment_words(escrow, view.deal), reader, extra),
                         tuple(a for row in steps for a in row),
                         tuple(await _more(uow, view, extra)))


def builders(uow_factory: Callable[[], UnitOfWork], payments: PaymentsPort,
             contributors: Sequence[DealCardPart] = ()) -> dict[str, CardBuilder]:
    """The card kinds deals rewrite, for the dispatchers (wired by the composition root, with
    every context's part of a deal card): a party's deal card as it is now, ended, as every
    deal notice is, with the deal itself; None for anyone but its parties."""

    async def deal(object_id: str, account_id: int) -> dict[str, Any] | None:
        async with uow_factory() as uow, addressed_to(uow, account_id) as reader:
            try:
                view = await deal_view(uow, int(object_id), account_id)
            except (NotFound, ValueError):
                return None
            if view.role not in PARTIES:
                return None
            card = await deal_card(uow, payments, view, account_id, reader, contributors)
            return {"text": "\n".join(card.lines),
                    "buttons": payload_rows([*card.rows(), [deal_button(view.deal.id)]])}

    return {"deal": deal}


def card_lines(view: DealView, payment: str, reader: Member | Account | None,
               extra: CardPart) -> tuple[str, ...]:
    """The card's words, line by line (`payment`: cards.payment_words of its escrow)."""
    lines = cards.deal_text(view, payment, reader).split("\n")
    call_off = cards.call_off_line(view)
    if call_off:
        lines += call_off.split("\n")
    if view.terms is not None:
        lines += [_("Goods: {goods}", goods=view.terms.goods),
                  _("Terms: version {version}, SHA-256 {sha256}…", version=view.terms.version,
                    sha256=view.terms.sha256[:16])]
    dispute = cards.dispute_line(view)
    if dispute:
        lines.append(dispute)
    return (*lines, *extra.lines)


def transport_action(view: DealView) -> Action | None:
    """The deal's transport for a party: its card while one is under way, else asking for one
    while the deal may still travel."""
    if view.role not in PARTIES:
        return None
    transport = view.freight
    if transport is not None and transport.state in freight_rules.ACTIVE:
        return Action(DealIntent.VIEW_FREIGHT, N_("🚚 Transport"), str(transport.id))
    if view.deal.status in freight_rules.ASKABLE_DEAL_STATES:
        return Action(DealIntent.ASK_FREIGHT, N_("🚚 Ask for transport"), str(view.deal.id))
    return None


async def _more(uow: UnitOfWork, view: DealView, extra: CardPart) -> list[Action]:
    deal, more = view.deal, []
    if view.role in PARTIES:
        thread = await threads.of_listing(uow, deal.listing_id, deal.buyer_id)
        if thread is not None:
            more.append(Action(DealIntent.REPLY_THREAD, N_("💬 Messages"), str(thread.id)))
        more += [step_action(deal.id, step) for step in possible_now(deal, view.role, view.rated)
                 if step.name in MORE]  # the rarer steps, as the process declares them
        transport = transport_action(view)
        if transport is not None:
            more.append(transport)
        if view.freight is not None and view.freight.has_cmr:  # the haulier's signed CMR
            more.append(Action(DealIntent.FREIGHT_STEP, N_("📄 CMR"), f"cmr:{view.freight.id}"))
        more += extra.actions
    if view.terms is not None:
        more.append(Action(DealIntent.DEAL_STEP, N_("📄 Terms (PDF)"), f"{deal.id}:terms"))
    if deal.contract_id is not None:  # the label carries the number, so it is written here
        more.append(Action(DealIntent.VIEW_CONTRACT,
                           _("📑 Contract #{id}", id=deal.contract_id), str(deal.contract_id)))
    if deal.status in ISSUED_FROM and view.role in (*PARTIES, "admin"):
        more.append(Action(DealIntent.DEAL_STEP, N_("🌱 Carbon receipt"), f"{deal.id}:carbon"))
    if view.role in PARTIES:
        more.append(Action(DealIntent.SHARE_DEAL, N_("📣 Share"), str(deal.id)))
    return more
