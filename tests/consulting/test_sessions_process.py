"""The session process declaration: one source for guards, who may act, timers and the
diagram in docs/; the deal timer job leaves session timers to the session job."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bots.scheduler import build_scheduler
from core.consulting.sessions.lifecycle import SESSION_PROCESS, markdown
from core.deals import due
from core.errors import Conflict, NotAllowed
from core.process.model import SYSTEM
from tests.consulting.session_support import live, people, row, tick

DOCS = Path(__file__).resolve().parents[2] / "docs" / "session-process.md"


def test_the_diagram_in_docs_is_the_declaration_written_out():
    assert DOCS.read_text() == markdown(), (
        "run: python -c 'from core.consulting.sessions.lifecycle import markdown; "
        "open(\"docs/session-process.md\", \"w\").write(markdown())'")


def test_only_the_parties_end_a_session_and_only_the_system_switches_it_to_paid():
    assert SESSION_PROCESS.check("end-free", "live_free", "seeker").target == "ended_free"
    assert SESSION_PROCESS.check("end-paid", "overtime", "consultant").target == "ended_paid"
    with pytest.raises(NotAllowed):
        SESSION_PROCESS.check("end-paid", "live_paid", "admin")
    with pytest.raises(NotAllowed):
        SESSION_PROCESS.check("go-paid", "live_free", "consultant")
    with pytest.raises(Conflict, match="the session has moved on"):
        SESSION_PROCESS.check("end-free", "live_paid", "seeker")


def test_every_waiting_or_live_state_has_a_timer_the_system_takes():
    assert {t.state for t in SESSION_PROCESS.timers} == {
        "waiting", "live_free", "live_paid", "overtime"}
    for timer in SESSION_PROCESS.timers:
        assert SYSTEM in SESSION_PROCESS.transition(timer.fires).actors


def test_the_next_step_of_a_party_is_ending_the_session_free_or_paid():
    assert [t.label for t in SESSION_PROCESS.next_actions("live_free", "seeker")] == [
        "End now — free"]
    assert [t.label for t in SESSION_PROCESS.next_actions("overtime", "consultant")] == [
        "End the session"]


async def test_the_deal_timer_job_leaves_session_timers_to_the_session_job(app, clock):
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=10)
    assert await due.run_all(app.uow) == []
    assert (await row(app, session_id)).status == "live_free"
    assert await tick(app) == [(session_id, "go-paid")]


async def test_the_scheduler_runs_the_session_job_and_its_money_catch_up(app, clock):
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert jobs["session-timers"].trigger.interval == timedelta(seconds=15)
    assert jobs["session-money-catch-up"].trigger.interval == timedelta(minutes=5)
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    clock.advance(minutes=10)
    await jobs["session-timers"].func(*jobs["session-timers"].args)  # as the scheduler calls it
    assert (await row(app, session_id)).status == "live_paid"
