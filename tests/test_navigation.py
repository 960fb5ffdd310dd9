"""Back, cancel, help, menu, resume, stale buttons, unknown commands — at every step."""

from __future__ import annotations

import asyncio

from config.container import build
from conversations.messages import Choice, Text
from tests.catalog.helpers import make_account
from tests.support.chat import ChatUser


async def answer_three(user: ChatUser) -> None:
    await user.say("/start")
    await user.say("Ann")
    await user.say("Baltic Pellets")
    await user.say("ann@example.com")
    assert "What do you want to do here?" in user.texts()


async def test_back_returns_to_the_previous_question_with_the_old_answer(user):
    await answer_three(user)
    await user.tap("Back")
    assert "Email address?" in user.texts()
    assert "(now: ann@example.com)" in user.texts()
    await user.say("other@example.com")
    assert "What do you want to do here?" in user.texts()


async def test_back_at_the_first_question_says_so(user):
    await user.say("/start")
    await user.say("/back")
    assert "first question already" in user.texts()


async def test_cancel_asks_before_discarding_answers_then_stops_the_flow(user):
    await answer_three(user)
    await user.tap("Cancel")
    assert "Discard 3 answers in registration?" in user.texts()
    await user.tap("Continue")
    assert "Registration · 4/" in user.texts()
    await user.say("/cancel")
    await user.tap("Discard")
    assert "Cancelled registration. Nothing from it was saved." in user.texts()
    assert "Welcome to Agora" in user.texts()
    await user.say("/start")
    assert "Your name?" in user.texts()
    assert "(now:" not in user.texts()


async def test_help_in_the_middle_of_a_form_explains_and_asks_again(user):
    await answer_three(user)
    await user.say("/help")
    assert "Registration takes about a minute" in user.texts()
    assert "What do you want to do here?" in user.texts()


async def test_an_unknown_command_mid_form_is_refused_and_the_flow_stays(user):
    await answer_three(user)
    await user.say("/frobnicate")
    assert "I don't know the command /frobnicate" in user.texts()
    assert "What do you want to do here?" in user.texts()


async def test_menu_mid_flow_offers_to_continue_where_you_left_off(user):
    await answer_three(user)
    await user.say("/menu")
    await user.tap("Continue")
    assert "continuing registration" in user.texts()
    assert "What do you want to do here?" in user.texts()


async def test_a_button_from_an_earlier_message_gets_a_polite_answer(user):
    await answer_three(user)
    old_buyer = user.button("Buyer")
    await user.tap("Seller")
    await user.send(Choice(old_buyer.data))
    assert "no longer active" in user.texts()
    assert "What do you want to do here?" in user.texts()


async def test_someone_elses_button_is_refused(app, user):
    await answer_three(user)
    intruder = ChatUser(app, "mallory")
    await intruder.say("/start")
    await intruder.send(Choice(user.button("Buyer").data))
    assert "no longer active" in intruder.texts()


async def test_a_restart_loses_nothing_and_the_user_continues(app, user, clock, mailbox):
    await answer_three(user)
    restarted = build(app.settings, clock=clock, senders={"email": mailbox})
    try:
        again = ChatUser(restarted, "ann")
        await again.say("/start")
        assert "You were in the middle of registration" in again.texts()
        await again.tap("Continue where I left off")
        assert "What do you want to do here?" in again.texts()
    finally:
        await restarted.close()


async def test_the_same_update_twice_is_processed_once(user):
    await user.say("/start")
    first = await user.send(Text("Ann"), event_id="update-1")
    assert "Company?" in "\n".join(getattr(r, "text", "") for r in first)
    again = await user.send(Text("Ann"), event_id="update-1")
    assert again == []
    await user.say("Baltic Pellets")
    assert "Email address?" in user.texts()


async def test_interleaved_updates_for_one_user_are_processed_one_after_the_other(app, user):
    await user.say("/start")
    other = ChatUser(app, "ann")
    await asyncio.gather(user.say("Ann"), other.say("Baltic Pellets"))
    await user.say("ann@example.com")
    assert "What do you want to do here?" in user.texts()


async def test_a_previous_answer_can_be_kept_with_one_tap(user):
    await answer_three(user)
    await user.tap("Back")
    await user.tap("Keep “ann@example.com”")
    assert "What do you want to do here?" in user.texts()


async def test_keep_as_draft_parks_the_answers_and_the_menu_offers_them_last(user):
    await answer_three(user)
    await user.say("/cancel")
    await user.tap("Keep as draft")
    assert "Kept. Tap “↩ Continue: registration”" in user.texts()
    assert user.labels()[-1] == "↩ Continue: registration"  # the other entries keep their places
    await user.tap("Continue: registration")
    assert "Registration · 4/" in user.texts()


async def test_cancel_with_nothing_answered_ends_at_once(user):
    await user.say("/start")
    await user.say("/cancel")
    assert "Cancelled registration. Nothing" in user.texts() and "Discard" not in user.texts()


async def test_the_welcome_line_is_said_once_however_often_the_first_question_is_asked(user):
    await user.say("/start")
    assert "Welcome to Agora — bioenergy trading" in user.texts()
    await user.say("!!!")  # a name needs letters: asked again
    await user.say("/help")
    assert "Welcome to Agora — bioenergy trading" not in user.texts()
    assert "Your name?" in user.texts()


async def test_a_flow_finished_again_leaves_no_continue_for_its_parked_copy(app):
    await make_account(app, "ann", roles=("buyer",))
    ann = ChatUser(app, "ann")
    await ann.say("/settings")
    await ann.say("/wallet")  # the settings are parked
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
