"""Purchase approval's notices with no database anywhere: the company of three
(`test_approval_rules.company_of_three`) on the in-memory approval book, its people in a chat
whose commits run purchase approval's handlers (core.deals.wiring's, as on the database) and
write their cards to the chat's postbox, read by tests.support.outbox's `told(chat, …)`."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from core.companies import service as companies
from core.deals import wiring as deal_wiring
from core.events import EventBus
from core.notifications.postbox import Chat
from core.wiring import Wiring
from tests.companies.approval_fakes import MemoryApprovalBook
from tests.companies.test_approval_rules import ALICE, ANNA, BOB, CARL, FRED, SAM, company_of_three
from tests.support.memory_engine import MemoryChat

PEOPLE = {"sam": SAM, "alice": ALICE, "anna": ANNA, "fred": FRED, "bob": BOB, "carl": CARL}


def approval_notices(bus: EventBus, deps: Wiring) -> None:
    """Only purchase approval's handlers of the deals' wiring (a purchase held, decided, and
    the company's approvals chat chosen) and the offers' (an offer made tells its seller)."""
    deal_wiring.wire_approvals(bus)
    deal_wiring.wire_offers_and_requests(bus)


async def company_chat(limit: str | None = "10000") -> tuple[MemoryChat, MemoryApprovalBook, int]:
    """Baltic Heat in memory, everyone chatting on the terminal under their name; the chat,
    the book and Sam's listing."""
    book, listing_id = await company_of_three(limit)
    chat = MemoryChat(ALL_FLOWS, stores=book.stores(), wiring=[approval_notices])
    for key, account_id in PEOPLE.items():
        chat.turns.register("terminal", key, key.title(), account_id=account_id)
    return chat, book, listing_id


async def second_approver(book: MemoryApprovalBook) -> int:
    """Carl joins the company as a second approver (as `test_purchase_approval`'s)."""
    invite = await companies.invite(book.roster, ALICE, ["approver"], None)
    await companies.join(book.roster, CARL, invite.code)
    return CARL


def on_slack(chat: MemoryChat, key: str, user: str) -> None:
    """The person also has a Slack identity (reads the workspace's channels), linked after
    their terminal one."""
    member = chat.turns.members["terminal", key]
    chat.postbox.person(member, Chat("terminal", key), Chat("slack", user))
