"""Questions on a request for supply: an invited seller asks from the request's card (contact
details hidden), the buyer answers once — for every seller asked, the asker unnamed, or for the
asker alone; strangers and late questions are refused. All in memory (the chat on the in-memory
register, `tests/deals/request_chat.py`); the journey through the database asks and answers in
test_supply_requests_chat.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.deals.events import RequestQuestionAnswered
from core.deals.requests import questions as request_questions
from core.errors import Conflict, NotFound
from tests.deals.chat_helpers import last_notice
from tests.deals.fakes import market as memory_market
from tests.deals.fakes import posted as memory_posted
from tests.deals.request_chat import market, person, post
from tests.support.outbox import told_texts


async def test_a_seller_asks_in_chat_and_the_buyer_answers_every_seller():
    chat, _, hanna, (aivar, birute, carl, _dace) = market()
    request_id = await post(chat, hanna)
    seller = person(chat, "aivar")
    await last_notice(chat, seller, "Request for supply #")
    await seller.tap("Ask the buyer")
    await seller.say("Is bark acceptable? Call me on +372 5123 4567")
    assert "Sent to the buyer" in seller.texts()
    buyer = person(chat, "hanna")
    question = await last_notice(chat, buyer, "A seller asks about your request")
    assert "bark acceptable" in question and "5123" not in question  # the number is hidden
    await buyer.tap("Answer for every seller")
    await buyer.say("Up to 5 % bark is fine.")
    assert "every seller asked to quote reads it" in buyer.texts()
    for party in (aivar, birute, carl):
        [qa] = await told_texts(chat, party, "Questions and answers on request")
        assert "Q: Is bark acceptable?" in qa and "A: Up to 5 % bark is fine." in qa
        assert "aivar" not in qa.lower()  # the asker is not named
    async with chat.uow() as uow:
        [shown] = await request_questions.answered(uow, request_id, carl)
        assert shown.answer == "Up to 5 % bark is fine."
        with pytest.raises(Conflict, match="answered already"):
            await request_questions.answer(uow, shown.id, hanna, "Again", True)
    async with chat.uow() as uow:  # a private answer is told to the asker alone
        private = await request_questions.ask(uow, request_id, aivar, "Which moisture?")
        await request_questions.answer(uow, private.id, hanna, "At most 35 %.", False)
        await uow.commit()
    assert await told_texts(chat, aivar, "A: At most 35 %.")
    assert not await told_texts(chat, birute, "At most 35")


async def test_a_private_answer_reaches_the_asker_alone_and_strangers_cannot_ask():
    register, hanna, (aivar, birute, _carl, dace) = memory_market()
    request_id = await memory_posted(register, hanna, deadline_days="1")
    question = await request_questions.ask(register, request_id, aivar, "Which moisture?")
    with pytest.raises(NotFound):
        await request_questions.ask(register, request_id, dace, "Pellets instead?")
    await request_questions.answer(register, question.id, hanna, "At most 35 %.", False)
    assert register.events[-1] == RequestQuestionAnswered(question.id)  # the asker is told
    [theirs] = await request_questions.answered(register, request_id, aivar)
    assert theirs.answer == "At most 35 %." and not theirs.public
    assert await request_questions.answered(register, request_id, birute) == []
    assert len(await request_questions.answered(register, request_id, hanna)) == 1
    register.at += timedelta(days=2)
    with pytest.raises(Conflict):
        await request_questions.ask(register, request_id, birute, "Still open?")
