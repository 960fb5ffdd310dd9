"""Every registration answer is checked; a bad one is re-asked with a specific message."""

from __future__ import annotations

from conversations.messages import FileUpload, Reply
from tests.support.chat import ChatUser


async def start(user: ChatUser) -> None:
    await user.say("/start")
    assert "Your name?" in user.texts()


def error_text(user: ChatUser) -> str:
    return "\n".join(r.text for r in user.last if isinstance(r, Reply) and r.kind == "error")


async def test_an_empty_name_is_refused_and_asked_again(user):
    await start(user)
    await user.say("   ")
    assert "can't be empty" in error_text(user)
    assert "Your name?" in user.texts()


async def test_a_too_long_name_is_refused_with_the_limit(user):
    await start(user)
    await user.say("A" * 81)
    assert "at most 80 characters (you sent 81)" in error_text(user)


async def test_an_emoji_only_name_is_refused(user):
    await start(user)
    await user.say("🔥🔥🔥")
    assert "needs letters" in error_text(user)


async def test_names_in_other_scripts_are_accepted(user):
    await start(user)
    await user.say("Иван Петров")
    assert "Company?" in user.texts()


async def test_a_photo_where_text_is_expected_gets_a_specific_reply(user):
    await start(user)
    await user.send(FileUpload("f1", "cat.jpg", "image/jpeg", 1000, "photo"))
    assert "typed as text, not a file or photo" in error_text(user)
    assert "Your name?" in user.texts()


async def test_a_bad_email_is_refused(user):
    await start(user)
    await user.say("Ann")
    await user.tap("Skip")
    await user.say("ann-at-example")
    assert "doesn't look like an email address" in error_text(user)
    assert "Email address?" in user.texts()


async def test_roles_need_at_least_one_choice(user):
    await start(user)
    for answer in ("Ann", "Co Ltd", "ann@example.com"):
        await user.say(answer)
    await user.tap("Done")
    assert "Choose at least 1" in error_text(user)


async def test_a_misspelt_country_offers_the_closest_names_to_tap(user):
    await start(user)
    for answer in ("Ann", "Co Ltd", "ann@example.com"):
        await user.say(answer)
    await user.tap("Buyer")
    await user.tap("Done")
    await user.say("Lavtia")  # not clear enough to take: the closest are offered
    assert "Did you mean" in error_text(user)
    await user.tap("Latvia")
    assert "City?" in user.texts()


async def test_a_shared_location_answers_the_city_question(user, app):
    await start(user)
    for answer in ("Ann", "Co Ltd", "ann@example.com"):
        await user.say(answer)
    await user.tap("Buyer")
    await user.tap("Done")
    await user.say("LV")
    await user.share_location(56.95, 24.1)
    assert "Interests?" in user.texts()


async def test_injection_looking_text_is_stored_and_shown_as_plain_text(user):
    await start(user)
    await user.say("<b>Robert'); DROP TABLE accounts;--</b>")
    await user.tap("Back")
    assert "(now: <b>Robert'); DROP TABLE accounts;--</b>)" in user.texts()
