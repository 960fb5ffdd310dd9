"""Requests for supply in chat with no database: the real flows through the engine in memory,
their use cases on the in-memory register (`tests/deals/fakes.MemoryRequests`), and the deals'
handlers (`core.deals.wiring.wire`) writing their notices to the chat's postbox, as they write
them to the outbox in the database. Awards, quotes made into offers and the money stay on the
database (test_supply_requests.py, test_supply_requests_chat.py)."""

from __future__ import annotations

from core.companies.seats import Seats
from core.deals import wiring as deals_wiring
from core.deals.requests.register import RequestRegister
from tests.companies.fakes import MemoryRoster
from tests.deals.fakes import MemoryRequests
from tests.deals.fakes import market as register_market
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat


def request_chat(register: MemoryRequests) -> MemoryChat:
    """A chat over every flow on `register`, each of its people registered on the terminal
    under their name in lower case with the register's account id, in Latvia as
    `tests.catalog.helpers.make_account` registers them (a buyer, or a seller when
    they list something), in no company; the deals' handlers run at each commit."""
    from conversations.flows.all_flows import ALL_FLOWS

    chat = MemoryChat(ALL_FLOWS, stores={RequestRegister: register, Seats: MemoryRoster()},
                      wiring=[deals_wiring.wire])
    sellers = {listing.seller_id for listing in register.listings.values()}
    for account_id, (name, _zone) in register.people.items():
        chat.turns.register("terminal", name.lower(), name, account_id=account_id, country="LV",
                            roles=("seller", "buyer") if account_id in sellers else ("buyer",))
    return chat


def market() -> tuple[MemoryChat, MemoryRequests, int, tuple[int, int, int, int]]:
    """`tests.deals.fakes.market` in chat: Hanna (a heating plant, with chips of her own) and
    four sellers, Aivar, Birute and Carl of chips, Dace of pellets only."""
    register, hanna, sellers = register_market()
    return request_chat(register), register, hanna, sellers


def person(chat: MemoryChat, name: str) -> ChatUser:
    """One of the chat's people, chatting on the terminal."""
    return ChatUser(chat, name)


async def post(chat: MemoryChat, buyer_id: int, **changes: object) -> int:
    """The request posted through the use case in one of the chat's transactions (so its
    notices are written at commit): its number. As `tests.deals.fakes.asking` unless told."""
    from core.deals.requests import service as supply_requests
    from tests.deals.fakes import asking

    async with chat.uow() as uow:
        request = await supply_requests.post(uow, buyer_id, asking(**changes))
        await uow.commit()
    assert request.id is not None
    return request.id
