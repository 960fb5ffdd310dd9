"""Support's rules on plain values — texts, waiting tickets, stars, the SLA: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Conflict, DomainError
from core.support import rules

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_message_is_trimmed_and_loses_control_characters():
    assert rules.checked("  hello\x00\x07 there \n") == "hello there"
    assert rules.checked("line one\nline two\tend") == "line one\nline two\tend"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x1f", None])
def test_an_empty_message_is_refused(text):
    with pytest.raises(DomainError, match="message is empty"):
        rules.checked(text)


def test_a_message_of_exactly_the_most_characters_passes_and_one_more_does_not():
    assert len(rules.checked("a" * rules.MAX_TEXT)) == 2000
    with pytest.raises(DomainError, match="2,001 characters"):
        rules.checked("a" * (rules.MAX_TEXT + 1))


def test_a_question_needs_at_least_ten_characters_after_trimming():
    assert rules.check_question("  " + "a" * 10 + "  ") == "a" * 10
    with pytest.raises(DomainError, match="at least 10"):
        rules.check_question("a" * 9)
    with pytest.raises(DomainError, match="question is empty"):
        rules.check_question("")


def test_up_to_five_tickets_may_wait_at_once():
    rules.check_may_open(0)
    rules.check_may_open(4)
    with pytest.raises(Conflict, match="5 tickets waiting"):
        rules.check_may_open(5)


@pytest.mark.parametrize("stars", [1, 5])
def test_one_to_five_stars(stars):
    assert rules.check_stars(stars) is None  # accepted: no error


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_stars_outside_one_to_five_are_refused(stars):
    with pytest.raises(DomainError, match="1 to 5"):
        rules.check_stars(stars)


def test_the_first_answer_is_due_the_sla_after_opening():
    assert rules.first_answer_due(NOW, timedelta(hours=4)) == NOW + timedelta(hours=4)
    assert rules.first_answer_due(NOW, timedelta(0)) == NOW
    # across midnight and a month's end
    late = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
    assert rules.first_answer_due(late, timedelta(hours=4)) == datetime(2026, 4, 1, 2, 30, tzinfo=UTC)


def test_the_askers_message_answers_an_operator_or_adds_a_detail_until_closed():
    assert rules.asker_writes("answered") == "asker-reply"
    for waiting in ("open", "waiting_for_operator"):
        assert rules.asker_writes(waiting) == "add-detail"
    with pytest.raises(Conflict, match="reopen it"):
        rules.asker_writes("closed")


def test_a_ticket_is_rated_once():
    rules.check_unrated(None)
    with pytest.raises(Conflict, match="rated this ticket already"):
        rules.check_unrated(4)
