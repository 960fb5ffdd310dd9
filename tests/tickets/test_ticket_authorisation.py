"""Who may do what with a ticket: only operators list and answer; a person reads only their own
tickets; nobody learns that someone else's ticket exists. One check, `can_handle_support`. On the
in-memory desk (no database): the chat refuses a stranger's ticket on the database
(`test_support_chat.py`), the console a visitor (`tests/console/test_console_tickets.py`)."""

from __future__ import annotations

import pytest

from core.errors import NotAllowed, NotFound
from core.support import service as support
from tests.tickets.fakes import ANN, EVE, ROOT, MemoryDesk, staffed


@pytest.fixture
def desk() -> MemoryDesk:
    return staffed()


async def opened(desk: MemoryDesk, asker: int, question: str = "My payout has not arrived"
                 ) -> int:
    return (await support.open_ticket(desk, asker, question, None, "terminal")).id


async def test_someone_who_is_not_an_operator_cannot_list_or_answer_tickets(desk):
    number = await opened(desk, ANN)
    with pytest.raises(NotAllowed, match="support operators"):
        await support.tickets_for_operator(desk, EVE)
    with pytest.raises(NotFound):
        await support.operator_reply(desk, EVE, number, "I am support, honest")
    with pytest.raises(NotAllowed):
        await support.tickets_for_operator(desk, None)
    assert desk.tickets[number].status == "open"


async def test_a_person_cannot_read_close_rate_or_answer_someone_elses_ticket(desk):
    number = await opened(desk, ANN)
    await support.close(desk, ROOT, number)
    for use_case, args in ((support.ticket_view, ()), (support.close, ()),
                           (support.reopen, ()), (support.rate, (5,)),
                           (support.user_reply, ("let me in",))):
        with pytest.raises(NotFound, match="That ticket doesn't exist"):
            await use_case(desk, EVE, number, *args)
    with pytest.raises(NotFound):
        await support.ticket_view(desk, EVE, 999_999)
    assert await support.tickets_of(desk, EVE) == []


async def test_an_operator_reads_any_ticket_but_neither_rates_it_nor_writes_as_the_asker(desk):
    number = await opened(desk, ANN)
    view = await support.ticket_view(desk, ROOT, number)
    assert (view.role, view.asker, view.next_steps) == ("operator", "Ann",
                                                        ["operator-reply", "close"])
    with pytest.raises(NotAllowed):
        await support.user_reply(desk, ROOT, number, "pretending to be Ann")
    await support.close(desk, ROOT, number)
    with pytest.raises(NotAllowed):
        await support.rate(desk, ROOT, number, 5)


async def test_an_operator_cannot_answer_their_own_ticket_as_an_operator(desk):
    number = await opened(desk, ROOT, "A question of my own, as a user")
    with pytest.raises(NotAllowed, match="your own ticket"):
        await support.operator_reply(desk, ROOT, number, "Self-service")
    assert await support.can_handle_support(desk, ROOT)
    assert not await support.can_handle_support(desk, None)
