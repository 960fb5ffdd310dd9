"""A restart in the middle of registration loses nothing: the next answer continues the form."""

from __future__ import annotations

from tests.telegram.conftest import TelegramUser


async def answer_three_questions(ann: TelegramUser) -> None:
    await ann.say("/start", expect="1/7")
    await ann.say("Ann Bērziņa", expect="2/7")
    await ann.say("Baltic Pellets SIA", expect="3/7")
    await ann.say("ann@example.com", expect="Registration · 4/7")


async def test_after_a_restart_the_next_answer_continues_at_question_four(start_bot, ann, fake):
    old_container, old_channel = await start_bot()
    await answer_three_questions(ann)
    await old_channel.stop()
    await old_container.close()  # the process goes away between two messages

    await start_bot()  # a new container and a new PTB application on the same database
    ticked = await ann.tap("Seller", expect="Registration · 4/7")
    assert "✓ Seller (bioenergy)" in ann.labels(ticked)
    await ann.tap("Done", expect="Registration · 5/7")


async def test_start_after_a_restart_offers_to_continue_where_the_user_left_off(start_bot, ann,
                                                                                fake):
    old_container, old_channel = await start_bot()
    await answer_three_questions(ann)
    await old_channel.stop()
    await old_container.close()

    await start_bot()
    offer = await ann.say("/start", expect="You were in the middle of registration")
    assert "↩ Continue where I left off" in ann.labels(offer)
    start = fake.mark()
    await ann.tap("Continue where I left off", expect="Registration · 4/7")
    assert any("continuing registration" in t for t in fake.texts(ann.id, since=start))
    await ann.tap("Seller", expect="Registration · 4/7")
    await ann.tap("Done", expect="Registration · 5/7")
