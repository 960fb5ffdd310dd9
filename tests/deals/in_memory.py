"""A deal's chats with no database anywhere: the real flows (a deal's card and steps, the
disputes desk, an offer's answer, a thread) through the engine in memory, their use cases on
the in-memory deal book (`tests/deals/deal_fakes.MemoryDeals`: the deal's record, what its card
reads, its after-sale and ratings), the offers' negotiation and the threads' correspondence.
What a move sets going beyond the deal (the money, the timers) is the database's: those
journeys stay on `app` (test_deal_chat_paths.py); a notice whose handler reads through the
deal's protocols is written to the chat's postbox when the chat runs the deals' handlers
(`deal_chat(wiring=[core.deals.wiring.wire])`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conversations.context import Services
from core.companies.seats import Seats
from core.deals import deals
from core.deals.after_sale.logbook import Logbook
from core.deals.carbon.book import CarbonBook
from core.deals.deal_book import DealBook
from core.deals.folder import DealFolder
from core.deals.ratings.scoreboard import Scoreboard
from core.deals.tables import Deal
from core.deals.threads.correspondence import Correspondence
from core.money.model import Money
from core.payments_port import EscrowState, EscrowView
from core.wiring import Wire
from tests.deals.carbon_fakes import MemoryCarbonBook
from tests.deals.deal_fakes import BOB, EVE, ROOT, SAM, MemoryDeals
from tests.deals.offer_fakes import MemoryNegotiation
from tests.deals.thread_fakes import MemoryCorrespondence
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

PEOPLE = {"sam": (SAM, ("seller", "buyer")), "bob": (BOB, ("buyer",)),
          "eve": (EVE, ("buyer",)), "root": (ROOT, ("seller", "buyer"))}


@dataclass
class Escrows:
    """What a deal's card asks of the money layer — the escrow a deal's reference names, as
    `PaymentsPort.by_reference` answers it — from the views a test gives; how money moves
    into and out of them is the database's (test_deal_payments.py). Any other question to
    the money layer fails loudly (no such attribute)."""

    views: dict[str, EscrowView] = field(default_factory=dict)

    def held(self, deal: Deal) -> None:
        """The buyer's payment for `deal` is held in escrow."""
        self.views[deals.reference(deal.id)] = EscrowView(
            id=len(self.views) + 1, kind="goods", market="bioenergy",
            reference=deals.reference(deal.id), state=EscrowState.HELD, payer_id=deal.buyer_id,
            payee_id=deal.seller_id, amount=deals.payable(deal),
            commission=Money(0, deal.currency), refunded=Money(0, deal.currency), pay_url=None)

    async def by_reference(self, reference: str, uow: object = None) -> EscrowView | None:
        return self.views.get(reference)


def deal_chat(book: MemoryDeals | None = None, wiring: Iterable[Wire] = (),
              carbon: MemoryCarbonBook | None = None) -> tuple[MemoryChat, MemoryDeals]:
    """A chat over every flow on one in-memory deal book (Sam sells to Bob, Eve is a stranger,
    Root an administrator), each registered on the terminal under their name with the book's
    account id, in Latvia, known to the companies' roster (their billing details, none yet)
    and in no company (purchase approval's book in memory says nothing waits for them); the escrows its
    deals' cards read are the chat's `services.payments` (`Escrows`); `wiring`: the handlers
    its commits run (the deals' `wire`, whose notices land in the chat's postbox)."""
    from conversations.flows.all_flows import ALL_FLOWS
    from tests.companies.approval_fakes import MemoryApprovalBook

    book, approvals = book or MemoryDeals(), MemoryApprovalBook()
    roster = approvals.roster
    chat = MemoryChat(ALL_FLOWS, services=Services(payments=Escrows()), stores={
        DealBook: book, DealFolder: book, Logbook: book, Scoreboard: book,
        CarbonBook: carbon or MemoryCarbonBook(),
        **approvals.stores(), Correspondence: MemoryCorrespondence(), Seats: roster},
        wiring=wiring)
    for key, (account_id, roles) in PEOPLE.items():
        chat.turns.register("terminal", key, key.title(), roles=roles, admin=key == "root",
                            account_id=account_id, country="LV")
        roster.person(account_id, key.title())
    return chat, book


def person(chat: MemoryChat, key: str) -> ChatUser:
    """One of the chat's people, chatting on the terminal."""
    return ChatUser(chat, key)


async def trading_pair(wiring: Iterable[Wire] = (), files: Path | None = None, **listing: Any
                       ) -> tuple[MemoryChat, ChatUser, ChatUser, int]:
    """`tests.deals.chat_helpers.trading_pair` in memory: Sam sells (a published listing in
    the catalogue's in-memory stock, `tests/catalog/in_memory.market`), Bob buys from Tallinn;
    offers on the listing run on the negotiation in memory, which holds the stock's own
    listings (what an offer reserves is what the catalogue shows), are sent through purchase
    approval's book in memory, and make their deals in the deal book in memory (a deal's card
    reads it); threads on the listing are on the correspondence in memory; nobody is in a
    company;
    `wiring`: the handlers the chat's commits run (the deals' `wire`: the offers' notices);
    files sent from the terminal are stored under `files`."""
    from tests.catalog.fakes import published
    from tests.catalog.in_memory import account_of, market, member
    from tests.companies.approval_fakes import MemoryApprovalBook

    chat, stock = market(files, wiring=wiring)
    sam = member(chat, stock, "sam")
    bob = member(chat, stock, "bob", roles=("buyer",), city="Tallinn", country="EE")
    listing_id = await published(stock, account_of(chat, "sam"), **{
        "negotiable": "yes", "min_order": "20", "ncv": "17.2", "moisture": "8", **listing})
    approvals = MemoryApprovalBook(offers=MemoryNegotiation(listings=stock.listings))
    mail = MemoryCorrespondence()  # threads about the stock's listing
    mail.listing(account_of(chat, "sam"), title=stock.listings[listing_id].title,
                 listing_id=listing_id)
    book = MemoryDeals(display={account_of(chat, key): key for key in ("sam", "bob")},
                       deals=approvals.offers.deals, listings=stock.listings)
    chat.stores.update({**approvals.stores(), Seats: approvals.roster, Correspondence: mail,
                        DealBook: book, DealFolder: book})
    return chat, sam, bob, listing_id
