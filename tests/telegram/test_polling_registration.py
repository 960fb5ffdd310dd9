"""The real PTB application, polling the fake Bot API, walks a new user through registration."""

from __future__ import annotations

from sqlalchemy import select

from bots.telegram.channel import ALLOWED_UPDATES
from core import i18n
from core.accounts.tables import Account, Identity
from tests.support.fake_telegram import FakeTelegram
from tests.support.languages import english_in, part, said
from tests.support.registration import last_code
from tests.telegram.conftest import TelegramUser, keyboard


async def register_on_telegram(ann: TelegramUser, container, mailbox) -> None:
    """Answer every registration question in the chat, up to the email code."""
    await ann.say("/start", expect="Registration · 1/7")
    await ann.say("Ann Bērziņa", expect="2/7")
    await ann.say("Baltic Pellets SIA", expect="3/7")
    roles = await ann.say("ann@example.com", expect="4/7")
    assert {"Seller (bioenergy)", "Buyer (bioenergy)"} <= set(ann.labels(roles))
    ticked = await ann.tap("Seller", expect="4/7")
    assert "✓ Seller (bioenergy)" in ann.labels(ticked)
    await ann.tap("Buyer", expect="4/7")
    await ann.tap("Done", expect="Country")
    await ann.say("Latvia", expect="City")
    await ann.say("Riga", expect="Interests")
    await ann.tap("Wood pellets", expect="Interests")
    await ann.tap("Done", expect="6-digit code")
    await ann.say(await last_code(container, mailbox), expect="You're all set")


async def test_a_new_user_registers_through_the_polling_bot(bot, ann, fake: FakeTelegram,
                                                            mailbox):
    container, _ = bot
    await register_on_telegram(ann, container, mailbox)
    assert any("Email verified" in t for t in fake.texts(ann.id))
    await fake.wait_for("sendMessage", lambda p: "Main menu" in p["text"])
    assert any("You're all set! Notifications come here on telegram" in t
               for t in fake.texts(ann.id))
    await ann.say("/notifications", expect="Where should we notify you")
    await ann.tap("Keep", expect="Quiet hours")
    await ann.say("22:00-07:00", expect="Time zone")

    async with container.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        identity = (await uow.session.execute(select(Identity))).scalar_one()
        await uow.session.commit()  # keep the loaded rows readable after the block
    assert (account.display_name, account.company) == ("Ann Bērziņa", "Baltic Pellets SIA")
    assert set(account.roles) == {"seller", "buyer"}
    assert account.email_verified_at is not None and account.onboarded_at is not None
    assert account.notify_channel == "telegram"
    assert (identity.channel, identity.user_key, identity.address) == ("telegram", "4242", "4242")


async def test_a_member_whose_app_is_german_registers_in_german_and_keeps_it(bot, ann, fake,
                                                                               mailbox):
    """Telegram's language_code picks the language of the registration and is kept on the new
    account: every question, button and answer in German, no English sentence."""
    container, _ = bot
    fake.languages[ann.id] = "de"
    step = said("de", "{form} · {number}/{count}", form=said("de", "Registration"), number=1,
                count=7)
    await ann.say("/start", expect=step)
    await ann.say("Anna Bērziņa", expect="2/7")
    await ann.say("Baltic Pellets SIA", expect="3/7")
    await ann.say("ann@example.com", expect="4/7")
    await ann.tap(said("de", "Seller (bioenergy)"), expect="4/7")
    await ann.tap(said("de", "Done"), expect=said("de", "Country"))
    await ann.say("Lettland", expect=said("de", "City"))
    await ann.say("Riga", expect=said("de", "Interests"))
    await ann.tap(said("de", "Done"), expect=part("de", "We sent a 6-digit code to {email}. "
                                                       "Type it here."))
    await ann.say(await last_code(container, mailbox), expect=part("de", "✅ Email verified."))
    async with container.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        await uow.session.commit()
    assert (account.language, account.country) == ("de", "LV")
    assert english_in("de", fake.texts(ann.id)) == []


async def test_every_message_is_plain_text_with_short_callback_data(bot, ann, fake, mailbox):
    container, _ = bot
    await register_on_telegram(ann, container, mailbox)
    messages = fake.sent("sendMessage") + fake.sent("editMessageText")  # a press: an edit
    assert len(messages) > 10 and fake.sent("editMessageText")
    assert all("parse_mode" not in m.params for m in messages)
    data = [b["callback_data"] for m in messages for row in keyboard(m) for b in row]
    assert data and all(len(d.encode()) <= 64 for d in data)


async def test_a_button_press_is_answered_first_then_on_the_question_pressed(bot, ann, fake):
    await ann.say("/start", expect="1/7")
    await ann.say("Ann", expect="2/7")
    await ann.say("-", expect="2/7")  # too short: re-asked, still 2/7
    await ann.say("Baltic Pellets SIA", expect="3/7")
    question = fake.find_button(ann.id, "Back")[0]
    start = fake.mark()
    await ann.tap("Back", expect="2/7")
    calls = [c.method for c in fake.calls[start:] if c.method != "getUpdates"]
    assert calls.index("answerCallbackQuery") < calls.index("editMessageText")
    edit = await fake.wait_for("editMessageText", since=start)
    assert int(edit.params["message_id"]) == question["message_id"]
    assert "2/7" in fake.messages[question["message_id"]]["text"]
    assert fake.messages[question["message_id"]]["reply_markup"]  # the question's own keyboard
    assert not fake.sent("sendMessage", since=start)


async def test_older_questions_lose_their_keyboard_once_answered_by_typing(bot, ann, fake):
    first = await ann.say("/start", expect="1/7")
    second = await ann.say("Ann", expect="2/7")
    await fake.wait_for("editMessageReplyMarkup", since=fake.window_start)
    assert "reply_markup" not in fake.messages[first.result["message_id"]]
    assert fake.messages[second.result["message_id"]]["reply_markup"]  # the current question
    third = await ann.say("Baltic Pellets SIA", expect="3/7")
    await fake.wait_for("editMessageReplyMarkup", since=fake.window_start)
    assert "reply_markup" not in fake.messages[second.result["message_id"]]
    assert fake.messages[third.result["message_id"]]["reply_markup"]


async def test_typing_is_shown_only_when_an_answer_is_slow(bot, ann, fake):
    _, channel = bot
    start = fake.mark()
    await ann.say("/start", expect="1/7")
    assert not fake.sent("sendChatAction", since=start)  # a quick answer needs no "typing…"
    channel.typing_after = 0  # every answer is slow now
    start = fake.mark()
    await ann.say("Ann", expect="2/7")
    calls = [c.method for c in fake.calls[start:] if c.method != "getUpdates"]
    assert calls.index("sendChatAction") < calls.index("sendMessage")


async def test_the_command_menu_is_published_in_each_language_agora_speaks(start_bot, fake):
    await start_bot()
    await fake.wait_for("setMyCommands", lambda p: p.get("language_code") == "de", since=0)
    menus = {c.params.get("language_code"): {m["command"]: m["description"]
                                             for m in c.params["commands"]}
             for c in fake.sent("setMyCommands")}
    assert set(menus) == {None, *i18n.LANGUAGES} - {"en"}
    assert all(menu.keys() == menus[None].keys() for menu in menus.values())
    german = i18n.translations("de").gettext(menus[None]["help"])
    assert menus["de"]["help"] == german != menus[None]["help"]


async def test_the_bot_publishes_every_declared_command_and_polls_for_messages_and_buttons(bot, fake):
    commands = (await fake.wait_for("setMyCommands", since=0)).params["commands"]
    published = [c["command"] for c in commands]
    container, _ = bot
    assert published == [name for name, _ in container.engine.registry.command_list()]
    assert {"wallet", "payouts", "watchlist", "receipt", "saved", "market", "moderation"} <= set(published)
    poll = await fake.wait_for("getUpdates", since=0)
    assert poll.params["allowed_updates"] == list(ALLOWED_UPDATES)
    assert not fake.sent("setWebhook")


async def test_ticking_a_checkbox_edits_the_question_in_place(bot, ann, fake: FakeTelegram):
    await ann.say("/start", expect="Registration · 1/7")
    await ann.say("Ann", expect="2/7")
    await ann.say("Co", expect="3/7")
    roles = await ann.say("ann@example.com", expect="4/7")
    ticked = await ann.tap("Seller", expect="4/7")
    assert ticked.method == "editMessageText"
    assert ticked.params["message_id"] == str(roles.result["message_id"])
    assert "✓ Seller (bioenergy)" in ann.labels(ticked)
    done = await ann.tap("Done", expect="Country")  # the next question, in the same place
    assert done.method == "editMessageText"
    assert done.params["message_id"] == str(roles.result["message_id"])
