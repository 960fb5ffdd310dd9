"""What `/deals` (and the App Home) says of each deal, on the in-memory deal book
(`tests/deals/deal_fakes.py`, held to the database's by `test_deal_book_contract.py`): where it
stands for this person and the one next step it needs. The list in chat, with its contracts,
offers and the company's view, stays on the database (test_deal_chat_paths.py)."""

from __future__ import annotations

from conversations.messages import Choice, ListPage
from core.deals import dashboard, deals
from core.deals.after_sale import service as after_sale
from core.process.deals import DealState
from tests.deals.deal_fakes import BOB, SAM, MemoryDeals
from tests.deals.in_memory import deal_chat, person
from tests.support.chat import ChatUser


async def test_the_deals_list_stops_asking_for_ratings_once_both_rated_and_shows_them():
    book = MemoryDeals()
    deal_id = book.sale(DealState.TO_SHIP)  # paid
    await after_sale.mark_shipped(book, deal_id, SAM, "DSV", None, None)
    await deals.take(book, deal_id, "confirm-receipt", BOB)
    [row] = await dashboard.my_deals(book, BOB)
    assert (row.status_label, row.next_step) == ("completed — rate each other",
                                                 "Rate the other party")
    await after_sale.rate(book, deal_id, BOB, 5, {"quality": 5, "delivery": 4})
    [row] = await dashboard.my_deals(book, BOB)
    assert (row.status_label, row.next_step) == (
        "completed — waiting for the other party's rating", "nothing for you now")
    await after_sale.rate(book, deal_id, SAM, 4, {"payment": 5})
    [row] = await dashboard.my_deals(book, BOB)
    assert (row.status_label, row.next_step) == ("completed — you gave 5 ★, you got 4 ★",
                                                 "nothing for you now")


def listed(user: ChatUser) -> str:
    """The lines of the list pages in the user's latest replies."""
    return "\n".join(f"{i.title} {i.subtitle}" for r in user.last if isinstance(r, ListPage)
                     for i in r.items)


async def test_the_deals_dashboard_lists_each_deal_with_the_next_step_it_needs():
    """In chat on the in-memory deal book (tests/deals/in_memory.py), Bob's payment held."""
    chat, book = deal_chat()
    deal_id = book.sale(DealState.TO_SHIP, quantity="50")  # paid
    chat.services.payments.held(book.deals[deal_id])
    sam, bob = person(chat, "sam"), person(chat, "bob")
    await sam.say("/deals")
    assert "next: Mark shipped" in listed(sam)
    await bob.say("/deals")
    assert "next: nothing for you now" in listed(bob)
    [page] = [r for r in bob.last if isinstance(r, ListPage)]
    await bob.send(Choice(page.items[0].button.data))
    assert "held in escrow" in bob.texts() and "Status: paid" in bob.texts()
