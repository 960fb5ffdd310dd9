"""Every registration answer is checked; a bad one is re-asked with a specific message (on the
engine in memory: the form asks core for nothing before its last answer)."""

from __future__ import annotations

from conversations.messages import FileUpload, Reply
from tests.support.chat import ChatUser


async def start(user: ChatUser) -> None:
    await user.say("/start")
    assert "Your name?" in user.texts()


def error_text(user: ChatUser) -> str:
    return "\n".join(r.text for r in user.last if isinstance(r, Reply) and r.kind == "error")


async def test_an_empty_name_is_refused_and_asked_again(newcomer):
    await start(newcomer)
    await newcomer.say("   ")
    assert "can't be empty" in error_text(newcomer)
    assert "Your name?" in newcomer.texts()


async def test_a_too_long_name_is_refused_with_the_limit(newcomer):
    await start(newcomer)
    await newcomer.say("A" * 81)
    assert "at most 80 characters (you sent 81)" in error_text(newcomer)


async def test_an_emoji_only_name_is_refused(newcomer):
    await start(newcomer)
    await newcomer.say("🔥🔥🔥")
    assert "needs letters" in error_text(newcomer)


async def test_names_in_other_scripts_are_accepted(newcomer):
    await start(newcomer)
    await newcomer.say("Иван Петров")
    assert "Company?" in newcomer.texts()


async def test_a_photo_where_text_is_expected_gets_a_specific_reply(newcomer):
    await start(newcomer)
    await newcomer.send(FileUpload("f1", "cat.jpg", "image/jpeg", 1000, "photo"))
    assert "typed as text, not a file or photo" in error_text(newcomer)
    assert "Your name?" in newcomer.texts()


async def test_a_bad_email_is_refused(newcomer):
    await start(newcomer)
    await newcomer.say("Ann")
    await newcomer.tap("Skip")
    await newcomer.say("ann-at-example")
    assert "doesn't look like an email address" in error_text(newcomer)
    assert "Email address?" in newcomer.texts()


async def test_roles_need_at_least_one_choice(newcomer):
    await start(newcomer)
    for answer in ("Ann", "Co Ltd", "ann@example.com"):
        await newcomer.say(answer)
    await newcomer.tap("Done")
    assert "Choose at least 1" in error_text(newcomer)


async def test_a_misspelt_country_offers_the_closest_names_to_tap(newcomer):
    await start(newcomer)
    for answer in ("Ann", "Co Ltd", "ann@example.com"):
        await newcomer.say(answer)
    await newcomer.tap("Buyer")
    await newcomer.tap("Done")
    await newcomer.say("Lavtia")  # not clear enough to take: the closest are offered
    assert "Did you mean" in error_text(newcomer)
    await newcomer.tap("Latvia")
    assert "City?" in newcomer.texts()


async def test_a_shared_location_answers_the_city_question(newcomer):
    await start(newcomer)
    for answer in ("Ann", "Co Ltd", "ann@example.com"):
        await newcomer.say(answer)
    await newcomer.tap("Buyer")
    await newcomer.tap("Done")
    await newcomer.say("LV")
    await newcomer.share_location(56.95, 24.1)
    assert "Interests?" in newcomer.texts()


async def test_injection_looking_text_is_stored_and_shown_as_plain_text(newcomer):
    await start(newcomer)
    await newcomer.say("<b>Robert'); DROP TABLE accounts;--</b>")
    await newcomer.tap("Back")
    assert "(now: <b>Robert'); DROP TABLE accounts;--</b>)" in newcomer.texts()
