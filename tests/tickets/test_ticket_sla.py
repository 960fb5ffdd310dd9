"""The first-answer deadline: past it, every admin hears once (the shared timer loop claims the
timer), and an answer in time stops it. The length is a setting (AGORA_SUPPORT_SLA_HOURS).
The timer loop and the admins' notices run on the database; the deadline a ticket gets and the
system's step when it passes run on the in-memory desk (`tests/tickets/fakes.py`)."""

from __future__ import annotations

from datetime import timedelta

from core.support import due
from core.support import service as support
from core.support.events import TicketMoved
from tests.support.accounts import registered
from tests.tickets.fakes import ANN, ROOT, staffed
from tests.tickets.helpers import actions, opened, people, run, ticket, told, with_admins


async def test_an_unanswered_ticket_escalates_to_every_admin_once_after_the_sla(app, clock):
    ann, root, _ = await people(app)
    ada = await registered(app, "T1:U9", channel="slack")
    await with_admins(app, "terminal:root", "slack:T1:U9")
    number = await opened(app, ann)
    clock.advance(hours=3, minutes=59)
    assert await due.run_all(app.uow) == []
    clock.advance(minutes=2)
    assert await due.run_all(app.uow) == [number]
    assert await due.run_all(app.uow) == []
    clock.advance(days=1)
    assert await due.run_all(app.uow) == []
    for admin in (root, ada):
        [escalation] = await told(app, admin.id, "no answer for")
        assert f"ticket #{number} has had no answer for 4 hours" in escalation["text"]
        assert ("handle_ticket", str(number), f"🎫 Open ticket #{number}") in actions(escalation)
    assert await told(app, ann.id, "no answer") == []
    found = await ticket(app, number)
    assert found.status == "open" and found.escalated_at is not None


async def test_an_answer_before_the_deadline_means_no_escalation(app, clock):
    ann, root, _ = await people(app)
    number = await opened(app, ann)
    clock.advance(hours=3)
    await run(app, support.operator_reply, root.id, number, "Looking into it.")
    clock.advance(hours=2)
    assert await due.run_all(app.uow) == []
    assert await told(app, root.id, "no answer for") == []


async def test_the_deadline_follows_the_setting():
    desk = staffed(support_sla=timedelta(hours=1))
    ticket = await support.open_ticket(desk, ANN, "My payout has not arrived")
    assert ticket.first_answer_due_at == desk.now() + timedelta(hours=1)
    assert desk.running(ticket.id) == {"escalate": desk.now() + timedelta(hours=1)}


async def test_the_systems_step_marks_an_unanswered_ticket_escalated_and_no_other():
    desk = staffed()
    waiting = (await support.open_ticket(desk, ANN, "My payout has not arrived")).id
    answered = (await support.open_ticket(desk, ANN, "Where are my receipts?")).id
    closed = (await support.open_ticket(desk, ANN, "Another question entirely")).id
    await support.operator_reply(desk, ROOT, answered, "On it.")
    await support.close(desk, ANN, closed)
    desk.at += timedelta(hours=4)
    assert [await support.escalate(desk, n) for n in (waiting, answered, closed, 999)] == [
        True, False, False, False]
    assert (desk.tickets[waiting].status, desk.tickets[waiting].escalated_at) == (
        "open", desk.now())
    assert desk.tickets[answered].escalated_at is None
    assert desk.running(waiting) == {"escalate": desk.tickets[waiting].first_answer_due_at}
    [escalation] = [e for e in desk.events if isinstance(e, TicketMoved)
                    and e.transition == "escalate"]
    assert escalation == TicketMoved(waiting, "escalate", "open", "open", None)
