"""Back, cancel, help, menu, resume, stale buttons, unknown commands — at every step.

The engine's own rules, on the registration form (the first a newcomer meets): its questions
before the last ask nothing of core's storage, so these run on the engine in memory
(tests/support/memory_engine.py); what needs an account stays on the database (`app`)."""

from __future__ import annotations

import asyncio

from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import Choice, Text
from tests.accounts.in_memory import account_chat
from tests.support.chat import ChatUser


async def answer_three(person: ChatUser) -> None:
    await person.say("/start")
    await person.say("Ann")
    await person.say("Baltic Pellets")
    await person.say("ann@example.com")
    assert "What do you want to do here?" in person.texts()


async def test_back_returns_to_the_previous_question_with_the_old_answer(newcomer):
    await answer_three(newcomer)
    await newcomer.tap("Back")
    assert "Email address?" in newcomer.texts()
    assert "(now: ann@example.com)" in newcomer.texts()
    await newcomer.say("other@example.com")
    assert "What do you want to do here?" in newcomer.texts()


async def test_back_at_the_first_question_says_so(newcomer):
    await newcomer.say("/start")
    await newcomer.say("/back")
    assert "first question already" in newcomer.texts()


async def test_cancel_asks_before_discarding_answers_then_stops_the_flow(newcomer):
    await answer_three(newcomer)
    await newcomer.tap("Cancel")
    assert "Discard 3 answers in registration?" in newcomer.texts()
    await newcomer.tap("Continue")
    assert "Registration · 4/" in newcomer.texts()
    await newcomer.say("/cancel")
    await newcomer.tap("Discard")
    assert "Cancelled registration. Nothing from it was saved." in newcomer.texts()
    assert "Welcome to Agora" in newcomer.texts()
    await newcomer.say("/start")
    assert "Your name?" in newcomer.texts()
    assert "(now:" not in newcomer.texts()


async def test_help_in_the_middle_of_a_form_explains_and_asks_again(newcomer):
    await answer_three(newcomer)
    await newcomer.say("/help")
    assert "Registration takes about a minute" in newcomer.texts()
    assert "What do you want to do here?" in newcomer.texts()


async def test_an_unknown_command_mid_form_is_refused_and_the_flow_stays(newcomer):
    await answer_three(newcomer)
    await newcomer.say("/frobnicate")
    assert "I don't know the command /frobnicate" in newcomer.texts()
    assert "What do you want to do here?" in newcomer.texts()


async def test_menu_mid_flow_offers_to_continue_where_you_left_off(newcomer):
    await answer_three(newcomer)
    await newcomer.say("/menu")
    await newcomer.tap("Continue")
    assert "continuing registration" in newcomer.texts()
    assert "What do you want to do here?" in newcomer.texts()


async def test_a_button_from_an_earlier_message_gets_a_polite_answer(newcomer):
    await answer_three(newcomer)
    old_buyer = newcomer.button("Buyer")
    await newcomer.tap("Seller")
    await newcomer.send(Choice(old_buyer.data))
    assert "no longer active" in newcomer.texts()
    assert "What do you want to do here?" in newcomer.texts()


async def test_someone_elses_button_is_refused(chat, newcomer):
    await answer_three(newcomer)
    intruder = ChatUser(chat, "mallory")
    await intruder.say("/start")
    await intruder.send(Choice(newcomer.button("Buyer").data))
    assert "no longer active" in intruder.texts()


async def test_a_restart_loses_nothing_and_the_user_continues(chat, newcomer):
    await answer_three(newcomer)
    again = ChatUser(chat.restarted(ALL_FLOWS), "ann")  # a new process, the same stored chats
    await again.say("/start")
    assert "You were in the middle of registration" in again.texts()
    await again.tap("Continue where I left off")
    assert "What do you want to do here?" in again.texts()


async def test_the_same_update_twice_is_processed_once(newcomer):
    await newcomer.say("/start")
    first = await newcomer.send(Text("Ann"), event_id="update-1")
    assert "Company?" in "\n".join(getattr(r, "text", "") for r in first)
    again = await newcomer.send(Text("Ann"), event_id="update-1")
    assert again == []
    await newcomer.say("Baltic Pellets")
    assert "Email address?" in newcomer.texts()


async def test_interleaved_updates_for_one_user_are_processed_one_after_the_other(
        chat, newcomer):
    await newcomer.say("/start")
    other = ChatUser(chat, "ann")
    await asyncio.gather(newcomer.say("Ann"), other.say("Baltic Pellets"))
    await newcomer.say("ann@example.com")
    assert "What do you want to do here?" in newcomer.texts()


async def test_a_previous_answer_can_be_kept_with_one_tap(newcomer):
    await answer_three(newcomer)
    await newcomer.tap("Back")
    await newcomer.tap("Keep “ann@example.com”")
    assert "What do you want to do here?" in newcomer.texts()


async def test_keep_as_draft_parks_the_answers_and_the_menu_offers_them_last(newcomer):
    await answer_three(newcomer)
    await newcomer.say("/cancel")
    await newcomer.tap("Keep as draft")
    assert "Kept. Tap “↩ Continue: registration”" in newcomer.texts()
    assert newcomer.labels()[-1] == "↩ Continue: registration"  # the other entries keep their places
    await newcomer.tap("Continue: registration")
    assert "Registration · 4/" in newcomer.texts()


async def test_cancel_with_nothing_answered_ends_at_once(newcomer):
    await newcomer.say("/start")
    await newcomer.say("/cancel")
    assert "Cancelled registration. Nothing" in newcomer.texts() and "Discard" not in newcomer.texts()


async def test_the_welcome_line_is_said_once_however_often_the_first_question_is_asked(newcomer):
    await newcomer.say("/start")
    assert "Welcome to Agora — bioenergy trading" in newcomer.texts()
    await newcomer.say("!!!")  # a name needs letters: asked again
    await newcomer.say("/help")
    assert "Welcome to Agora — bioenergy trading" not in newcomer.texts()
    assert "Your name?" in newcomer.texts()


async def test_a_flow_finished_again_leaves_no_continue_for_its_parked_copy():
    """In memory: a member on the accounts' book in memory; /points (one step, its book in
    memory) parks the settings as /wallet does."""
    chat = account_chat()
    chat.turns.register("terminal", "ann", "Ann", roles=("buyer",))
    ann = ChatUser(chat, "ann")
    await ann.say("/settings")
    await ann.say("/points")  # the settings are parked
    await ann.say("/menu")
    assert any(label.startswith("↩ Continue") for label in ann.labels())
    await ann.say("/settings")
    for _ in range(20):  # keep every answer: the settings are saved
        keep = [x for x in ann.labels() if x.startswith(("Keep", "Skip"))]
        if not keep:
            break
        await ann.tap(keep[0])
    await ann.say("/menu")
    assert not any(label.startswith("↩ Continue") for label in ann.labels())


async def test_a_payment_made_leaves_no_continue_for_the_payment_left_half_way(app):
    from core.deals import deals
    from tests.deals.chat_helpers import agreed_deal, trading_pair

    __, bob, listing_id = await trading_pair(app)
    escrow = await app.payments.by_reference(deals.reference(await agreed_deal(app, listing_id)))
    await bob.send(Choice(f"@go:pay:{escrow.id}"))
    assert "Type a test card number" in bob.texts()
    await bob.say("/wallet")  # the payment is parked
    await bob.send(Choice(f"@go:pay:{escrow.id}"))  # and opened again from the deal
    await bob.say("4242 4242 4242 4242")
    assert "Paid" in bob.texts()
    await bob.say("/menu")
    assert not any(label.startswith("↩ Continue") for label in bob.labels())
