"""A person's language on Telegram, from the first message: the app's `language_code`, or
/language in one tap before registering — through the real PTB application."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.tables import Account
from tests.support.fake_telegram import FakeTelegram
from tests.support.languages import english_in, part, said
from tests.support.registration import last_code
from tests.telegram.conftest import TelegramUser
from tests.telegram.test_polling_registration import register_on_telegram


def counting(fake: FakeTelegram) -> list[dict]:
    """Every update the person sends from now on (their inputs), in order."""
    pushed: list[dict] = []
    push = fake.push

    def counted(update: dict) -> dict:
        pushed.append(update)
        return push(update)

    fake.push = counted  # type: ignore[method-assign]
    return pushed


async def register_in_german(ann: TelegramUser, container, mailbox) -> None:
    """Registration answered with the German labels, up to the verified email."""
    step = said("de", "{form} · {number}/{count}", form=said("de", "Registration"), number=2,
                count=7)
    await ann.say("Anna Bērziņa", expect=step)
    await ann.say("Baltic Pellets SIA", expect="3/7")
    await ann.say("ann@example.com", expect="4/7")
    await ann.tap(said("de", "Seller (bioenergy)"), expect="4/7")
    await ann.tap(said("de", "Buyer (bioenergy)"), expect="4/7")
    await ann.tap(said("de", "Done"), expect=said("de", "Country"))
    await ann.say("Lettland", expect=said("de", "City"))
    await ann.say("Riga", expect=said("de", "Interests"))
    await ann.tap(said("de", "Wood pellets"), expect=said("de", "Interests"))
    await ann.tap(said("de", "Done"), expect=part("de", "We sent a 6-digit code to {email}. "
                                                       "Type it here."))
    await ann.say(await last_code(container, mailbox), expect=part("de", "✅ Email verified."))


def shown_to(fake: FakeTelegram, chat_id: int, since: int = 0) -> list[str]:
    """Every text the person was sent or had a message edited to, from `since` on."""
    return [str(c.params.get("text")) for c in fake.calls[since:]
            if c.method in ("sendMessage", "editMessageText")
            and c.params.get("chat_id") == str(chat_id)]


async def language_of_the_account(container) -> str:
    async with container.uow() as uow:
        account = (await uow.session.execute(select(Account))).scalar_one()
        await uow.session.commit()
    return account.language


async def test_a_german_app_registers_in_german_in_no_more_inputs_than_english(
        start_bot, fake: FakeTelegram, mailbox):
    english = TelegramUser(fake, 4242)
    container, _ = await start_bot()
    inputs = counting(fake)
    await register_on_telegram(english, container, mailbox)
    needed_in_english = len(inputs)

    anna = TelegramUser(fake, 5151)
    fake.languages[anna.id] = "de"
    inputs.clear()
    await anna.say("/start", expect=said("de", "{label}?", label=said("de", "Your name")))
    await register_in_german(anna, container, mailbox)
    assert len(inputs) <= needed_in_english
    assert english_in("de", shown_to(fake, anna.id)) == []


async def test_an_english_app_switches_to_german_in_one_tap_before_registering(
        bot, ann: TelegramUser, fake: FakeTelegram, mailbox):
    container, _ = bot
    await ann.say("/start", expect="Your name?")
    await ann.say("/language", expect="Which language should I write in?")
    start = fake.mark()
    await ann.tap("Deutsch", expect=said("de", "{label}?", label=said("de", "Your name")))
    confirmed = said("de", "✅ From now on I write in {language}.").format(language="Deutsch")
    assert any(confirmed in text for text in shown_to(fake, ann.id, start))
    await register_in_german(ann, container, mailbox)
    assert english_in("de", shown_to(fake, ann.id, start)) == []
    assert await language_of_the_account(container) == "de"
