"""The language a person reads, from the first message: what their app names, `/language` in one
step before registering and after, and the profile that shows and changes it. What a newcomer
reads before registering is the engine's and the forms' alone, tested on the engine in memory
(`chat`); a member's language kept on their account, in memory too (the accounts' book in memory,
tests/accounts/in_memory.py), and one journey on the database (`app`): a newcomer registers in
the language they chose."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from tests.accounts.in_memory import account_chat, member_in
from tests.support.chat import ChatUser
from tests.support.languages import english_in, part, said
from tests.support.registration import finish_registration, last_code, register_until_code


def texts(user: ChatUser) -> list[str]:
    return [user.texts(), *user.labels()]


def confirmed(language: str, name: str) -> str:
    """The confirmation of a new language, in it."""
    return said(language, "✅ From now on I write in {language}.").format(language=name)


async def account_of(app) -> Account:
    async with app.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        await uow.session.commit()
    return account


async def registered() -> ChatUser:
    """Ann, registered in English on the terminal of a chat in memory."""
    ann = ChatUser(account_chat(), "ann")
    await register_until_code(ann)
    await finish_registration(ann)
    return ann


async def register_in_german(user: ChatUser, seen: list[str]) -> int:
    """Answer registration with German labels; returns how many inputs it took."""
    answers = [("say", "Jonas Berg"), ("say", "Bayern Pellets GmbH"), ("say", "jonas@example.com"),
               ("tap", said("de", "Seller (bioenergy)")), ("tap", said("de", "Done")),
               ("say", "Lettland"), ("say", "Riga"), ("tap", said("de", "Skip"))]
    for kind, answer in answers:
        await (user.say(answer) if kind == "say" else user.tap(answer))
        seen += texts(user)
    return len(answers)


async def test_a_newcomer_chooses_german_in_one_step_and_registers_in_german(app, mailbox):
    """A terminal that names no language: /language, one tap, and the registration question
    comes back in German; the confirmation is German already, and so is everything after."""
    jonas = ChatUser(app, "jonas")
    await jonas.say("/start")
    assert "Your name?" in jonas.texts()
    await jonas.say("/language")
    assert {"Deutsch", "Polski", "Suomi", "Français"} <= set(jonas.labels())
    await jonas.tap("Deutsch")
    seen = texts(jonas)
    assert confirmed("de", "Deutsch") in jonas.texts()
    assert said("de", "{label}?", label=said("de", "Your name")) in jonas.texts()
    await register_in_german(jonas, seen)
    await jonas.say(await last_code(app, mailbox))
    seen += texts(jonas)
    assert part("de", "✅ Email verified.") in jonas.texts()
    assert english_in("de", seen) == []
    assert (await account_of(app)).language == "de"


async def test_a_language_named_with_the_command_is_chosen_at_once(chat):
    jonas = ChatUser(chat, "jonas")
    await jonas.say("/language suomi")
    assert confirmed("fi", "Suomi") in jonas.texts()
    await jonas.say("/start")
    assert said("fi", "{label}?", label=said("fi", "Your name")) in jonas.texts()


async def test_a_choice_outranks_the_apps_language_even_when_it_is_english(chat):
    anna = ChatUser(chat, "anna", channel="telegram", language="de")
    await anna.say("/start")
    assert said("de", "{label}?", label=said("de", "Your name")) in anna.texts()
    await anna.say("/language")
    await anna.tap("English")
    assert "✅ From now on I write in English." in anna.texts()
    assert "Your name?" in anna.texts()
    await anna.say("Anna")
    assert "Company?" in anna.texts()


async def test_a_slack_member_whose_locale_is_polish_is_asked_in_polish_before_registering(chat):
    """The Slack channel puts the user's locale ("pl-PL", users.info) on the envelope."""
    piotr = ChatUser(chat, "T1:U1", channel="slack", chat_id="U1", language="pl-PL")
    await piotr.say("/start")
    assert said("pl", "{label}?", label=said("pl", "Your name")) in piotr.texts()
    assert english_in("pl", texts(piotr)) == []


async def test_a_member_changes_the_language_with_one_command_and_is_answered_in_it():
    ann = await registered()
    await ann.say("/language")
    await ann.tap("Latviešu")
    assert confirmed("lv", "Latviešu") in ann.texts()
    assert said("lv", "Main menu — {name}, what would you like to do?", name="Ann") in ann.texts()
    assert english_in("lv", texts(ann)) == []
    assert member_in(ann.app, "ann").language == "lv"


async def test_the_profile_shows_the_language_and_changes_it():
    ann = await registered()
    await ann.say("/profile")
    assert "Language: English" in ann.texts()
    await ann.tap("Edit language")
    await ann.tap("Svenska")
    assert said("sv", "✅ Saved.") in ann.texts()
    assert said("sv", "Currency: {currency} · Language: {language} · Time zone: {timezone}").format(
        currency="EUR", language="Svenska", timezone="Europe/Riga") in ann.texts()
    assert member_in(ann.app, "ann").language == "sv"


async def test_the_language_command_is_in_help_and_in_the_newcomers_menu(chat):
    guest = ChatUser(chat, "guest")
    await guest.say("/help")
    assert "/language — Choose the language I write in" in guest.texts()
    await guest.say("/menu")
    assert "🌐 Language" in guest.labels()
    assert "language" in dict(chat.engine.registry.command_list())


async def test_a_german_newcomer_is_given_the_example_country_in_german(chat):
    jonas = ChatUser(chat, "jonas", language="de")
    await jonas.say("/start")
    for answer in ("Jonas Berg", "Bayern Pellets GmbH", "jonas@example.com"):
        await jonas.say(answer)
    await jonas.tap(said("de", "Seller (bioenergy)"))
    await jonas.tap(said("de", "Done"))
    assert "Zum Beispiel: Lettland oder LV." in jonas.texts()
    await jonas.say("Qxzzv")
    assert "Lettland, Latvija oder LV" in jonas.texts() and "Latvia" not in jonas.texts()


async def test_settings_that_change_the_language_are_confirmed_in_the_new_one():
    ann = await registered()
    await ann.say("/settings")
    for answer in ("Keep", "Skip", "Keep", "Keep", "Eesti", "Keep", "Keep"):
        await ann.tap(answer)
    assert said("et", "✅ Preferences saved. You're all set!") in ann.texts()
    assert member_in(ann.app, "ann").language == "et"
