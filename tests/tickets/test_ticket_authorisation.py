"""Who may do what with a ticket: only operators list and answer; a person reads only their own
tickets; nobody learns that someone else's ticket exists. One check, `can_handle_support`."""

from __future__ import annotations

import pytest

from core.errors import NotAllowed, NotFound
from core.support import service as support
from tests.tickets.helpers import opened, people, run, ticket


async def test_someone_who_is_not_an_operator_cannot_list_or_answer_tickets(app):
    ann, _, eve = await people(app)
    number = await opened(app, ann)
    with pytest.raises(NotAllowed, match="support operators"):
        await run(app, support.tickets_for_operator, eve.id)
    with pytest.raises(NotFound):
        await run(app, support.operator_reply, eve.id, number, "I am support, honest")
    with pytest.raises(NotAllowed):
        await run(app, support.tickets_for_operator, None)
    assert (await ticket(app, number)).status == "open"


async def test_a_person_cannot_read_close_rate_or_answer_someone_elses_ticket(app):
    ann, root, eve = await people(app)
    number = await opened(app, ann)
    await run(app, support.close, root.id, number)
    for use_case, args in ((support.ticket_view, ()), (support.close, ()),
                           (support.reopen, ()), (support.rate, (5,)),
                           (support.user_reply, ("let me in",))):
        with pytest.raises(NotFound, match="That ticket doesn't exist"):
            await run(app, use_case, eve.id, number, *args)
    with pytest.raises(NotFound):
        await run(app, support.ticket_view, eve.id, 999_999)
    assert await run(app, support.tickets_of, eve.id) == []


async def test_an_operator_reads_any_ticket_but_neither_rates_it_nor_writes_as_the_asker(app):
    ann, root, _ = await people(app)
    number = await opened(app, ann)
    async with app.uow() as uow:
        view = await support.ticket_view(uow, root.id, number)
        assert (view.role, view.asker, view.next_steps) == ("operator", "Ann",
                                                            ["operator-reply", "close"])
    with pytest.raises(NotAllowed):
        await run(app, support.user_reply, root.id, number, "pretending to be Ann")
    await run(app, support.close, root.id, number)
    with pytest.raises(NotAllowed):
        await run(app, support.rate, root.id, number, 5)


async def test_an_operator_cannot_answer_their_own_ticket_as_an_operator(app):
    _, root, _ = await people(app)
    number = await opened(app, root, "A question of my own, as a user")
    with pytest.raises(NotAllowed, match="your own ticket"):
        await run(app, support.operator_reply, root.id, number, "Self-service")
    async with app.uow() as uow:
        assert await support.can_handle_support(uow, root.id)
        assert not await support.can_handle_support(uow, None)
