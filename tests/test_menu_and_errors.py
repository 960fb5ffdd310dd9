"""The menu follows the roles; features not built yet say so; unexpected errors get an apology.

A newcomer's registration and menu run in a chat in memory (tests/accounts/in_memory.py); what
reads settings, other contexts' stores or the outbox stays on the database (`app`)."""

from __future__ import annotations

import logging

from conversations.flows.account import registration as registration_module
from conversations.messages import Choice
from core.catalog.intents import ListingIntent
from core.consulting.profiles.roster import Roster
from tests.accounts.in_memory import account_chat
from tests.consulting.booking_fakes import MemoryDiary
from tests.consulting.chat_fakes import in_chat
from tests.consulting.fakes import MemoryListing
from tests.support.chat import ChatUser
from tests.support.registration import finish_registration, register_until_code


async def test_a_seller_sees_seller_entries_and_no_buyer_entries():
    user = ChatUser(account_chat(), "ann")
    await register_until_code(user)
    await finish_registration(user)
    labels = user.labels()
    assert "➕ New listing" in labels
    assert "🔎 Search bioenergy" not in labels
    assert "🛡 Moderation queue" not in labels


async def test_an_admin_named_in_settings_gets_the_moderation_entry(app, mailbox):
    root = ChatUser(app, "root")
    await register_until_code(root, name="Root")
    await finish_registration(root, mailbox)
    assert "🛡 Moderation queue" in root.labels()


async def test_consultants_and_seekers_get_their_entries_and_old_coming_soon_buttons_are_stale():
    """In memory: the consultants' profiles on their roster in memory (tests/consulting)."""
    listing = MemoryListing()
    chat = await in_chat(MemoryDiary(), listing=listing)
    chat.stores[Roster] = listing.roster  # what "My consultant profile" asks
    user = ChatUser(chat, "ann")
    await register_until_code(user)
    await finish_registration(user)
    await user.send(Choice("@soon:consultant"))  # a button from before the market was built
    assert "no longer active" in user.texts()

    listing.roster.person(chat.turns.register("terminal", "cora", "Cora",
                                              roles=("consultant",)).id)
    cora = ChatUser(chat, "cora")
    await cora.say("/menu")
    assert "🎓 My consultant profile" in cora.labels() and "📈 My metrics" in cora.labels()
    await cora.tap("My consultant profile")
    assert "Headline" in cora.texts()
    chat.turns.register("terminal", "sid", "Sid", roles=("seeker",))
    sid = ChatUser(chat, "sid")
    await sid.say("/menu")
    await sid.tap("Find a consultant")
    assert "What do you need help with" in sid.texts()


async def test_an_unexpected_error_is_logged_with_the_update_id_and_the_user_gets_an_apology(
        newcomer, monkeypatch, caplog):
    user = newcomer
    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    await user.say("/start")
    for answer in ("Ann", "Co", "ann@example.com"):
        await user.say(answer)
    await user.tap("Buyer")
    await user.tap("Done")
    await user.say("LV")
    await user.say("Riga")
    monkeypatch.setattr(registration_module.accounts, "open_account", broken)
    with caplog.at_level(logging.ERROR):
        from conversations.messages import Choice

        await user.send(Choice(user.button("Skip").data), event_id="update-77")
    assert "Sorry, something went wrong" in user.texts()
    assert "update-77" in caplog.text
    monkeypatch.undo()
    await user.say("/start")
    await user.tap("Continue")
    assert "Interests?" in user.texts()


async def test_the_home_view_shows_the_profile_and_the_menu_without_changing_anything(app, user,
                                                                                     mailbox):
    from conversations.messages import Envelope, Text

    await register_until_code(user)
    await finish_registration(user, mailbox)
    home = await app.engine.home(Envelope("terminal", "ann", "ann", Text("")))
    assert "👤 Ann · Baltic Pellets" in home[0].text
    assert "🤝 Your deals" in home[1].text and "No deals yet" in home[1].text
    assert "💼 Your wallet" in home[2].text
    assert "Main menu" in home[3].text


async def test_a_refusal_from_any_step_is_answered_politely_with_cores_follow_ups():
    from conversations.engine import APOLOGY
    from conversations.flow import Ask, Flow, Next, OneStepCommand
    from conversations.flows.all_flows import ALL_FLOWS
    from conversations.messages import Command, Envelope
    from core.actions import Action
    from core.errors import NotAllowed
    from tests.support.memory_engine import MemoryChat

    def refuse(*_args):
        raise NotAllowed("That listing is not yours.",
                         actions=(Action(ListingIntent.MY_LISTINGS, "📦 My listings"),))

    async def refuse_async(*args):
        refuse(*args)

    async def go_on(ctx, msg):
        return Next.end()

    entries = [
        Flow(name="opening", title="t", commands=("opening",), summary="s", needs_account=False,
             first="q", on_start=refuse_async, states={"q": Ask(prompt=refuse_async, on=go_on)}),
        Flow(name="asking", title="t", commands=("asking",), summary="s", needs_account=False,
             first="q", states={"q": Ask(prompt=refuse_async, on=go_on)}),
        OneStepCommand(name="quick", title="t", commands=("quick",), summary="s",
                       needs_account=False, run=refuse_async),
        *[e for e in ALL_FLOWS if e.name in ("my_listings", "mylistings")],
    ]
    engine = MemoryChat(entries).engine  # the engine's own answer: no database needed
    for number, name in enumerate(("opening", "asking", "quick")):
        outcome = await engine.handle(Envelope("terminal", "zed", "zed", Command(name),
                                               event_id=f"refusal-{number}"))
        texts = [getattr(r, "text", "") for r in outcome.replies]
        assert "That listing is not yours." in texts and APOLOGY not in texts, name
        refusal = next(r for r in outcome.replies if getattr(r, "text", "") == texts[0])
        assert refusal.buttons[0][0].data == "@do:my_listings:", name


async def test_a_command_that_ends_without_the_menu_still_leaves_a_way_on():
    """In memory: the payments service in test mode (the sandbox provider) answers /payouts
    without its unit of work; Sue on the accounts' book in memory."""
    from payments.providers.sandbox import SandboxProvider
    from payments.service import PaymentsService

    chat = account_chat()
    chat.services.payments = PaymentsService(chat.uow, SandboxProvider("http://x"), {})
    chat.turns.register("terminal", "sue", "Sue", roles=("seller",))
    sue = ChatUser(chat, "sue")
    await sue.say("/payouts")
    assert "test mode payouts need no set-up" in sue.texts().lower()
    assert sue.labels() == ["☰ Main menu"]
