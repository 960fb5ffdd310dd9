"""`/start <flow>-<arg>` deep links (Telegram's t.me/bot?start=…) open a flow, even for newcomers.

A link to a listing runs in chat on the in-memory catalogue (`tests/catalog/in_memory.py`), and
so does a newcomer's registration before the link opens (the accounts' book in memory), and a
consultant's page on the consultants' fakes (tests/consulting/chat_fakes.py)."""

from __future__ import annotations

from core.catalog.media import FileStore
from tests.catalog.fakes import published
from tests.catalog.in_memory import account_of, market, member
from tests.support.chat import ChatUser
from tests.support.registration import last_code


async def linked_market() -> tuple[int, ChatUser]:
    """Sam's pellets in the in-memory catalogue (tests/catalog/in_memory.py) and Bob, a buyer."""
    chat, stock = market()
    member(chat, stock, "sam")
    listing_id = await published(stock, account_of(chat, "sam"))
    return listing_id, member(chat, stock, "bob", roles=("buyer",))


async def test_a_deep_link_opens_the_listing_it_names():
    listing_id, bob = await linked_market()
    await bob.say(f"/start view-{listing_id}")
    assert "ENplus A1 wood pellets" in bob.texts()
    assert "Save to watchlist" in " ".join(bob.labels())


async def test_a_deep_link_may_name_the_flow_itself_or_only_a_command():
    listing_id, bob = await linked_market()
    await bob.say(f"/start listing_view-{listing_id}")
    assert "ENplus A1 wood pellets" in bob.texts()
    await bob.say("/start go_mylistings")
    assert "no listings yet" in bob.texts()


async def test_a_payload_outside_telegrams_alphabet_or_naming_nothing_shows_the_menu():
    _, bob = await linked_market()
    for payload in ("view-1;drop", "nothing-here", "x" * 65):
        await bob.say(f"/start {payload}")
        assert "Main menu" in bob.texts(), payload


async def test_a_deep_link_in_the_middle_of_a_flow_parks_it_and_opens_the_link():
    listing_id, bob = await linked_market()
    await bob.say("/sell")
    await bob.say(f"/start view-{listing_id}")
    assert "ENplus A1 wood pellets" in bob.texts()
    await bob.tap("Done")  # a card opened alone says Done and leads to the menu
    assert "Continue: a new listing" in " ".join(bob.labels())


async def test_a_newcomer_registers_first_and_then_sees_the_linked_listing():
    chat, stock = market()  # Ann registers in the chat's accounts' book in memory
    member(chat, stock, "sam")
    listing_id = await published(stock, account_of(chat, "sam"))
    ann = ChatUser(chat, "ann")
    await ann.say("/start view-999")
    assert "Your name?" in ann.texts()
    await ann.say("Ann Ozola")
    await ann.say(f"/start view-{listing_id}")  # a newer link mid-registration replaces it
    await ann.tap("Continue where I left off")
    for answer in ("Baltic Pellets", "ann@example.com"):
        await ann.say(answer)
    await ann.tap("Buyer")
    await ann.tap("Done")
    await ann.say("Latvia")
    await ann.say("Riga")
    await ann.tap("Wood pellets")
    await ann.tap("Done")
    await ann.say(await last_code(chat, None))
    assert "You're all set" in ann.texts()
    assert "ENplus A1 wood pellets" in ann.texts()
    assert "Save to watchlist" in " ".join(ann.labels())


async def test_a_deep_link_opens_the_consultant_it_names(tmp_path):
    """On the consultants' fakes (tests/consulting/chat_fakes.py): Cora live in the directory,
    Bob a member."""
    from tests.consulting import chat_fakes as in_memory
    from tests.consulting.booking_fakes import MemoryDiary
    from tests.consulting.fakes import MemoryListing

    diary, listing = MemoryDiary(), MemoryListing()
    cora = await in_memory.listed(diary, listing, FileStore(tmp_path), 1, "Cora")
    diary.person(2, "Bob", zone="Europe/Riga")
    bob = ChatUser(await in_memory.in_chat(diary, listing=listing), "bob")
    await bob.say(f"/start consultant-{cora}")  # the public site's “Open in Telegram”
    assert "Pellet quality auditor" in bob.texts()
    assert "Book a time" in " ".join(bob.labels())
    await bob.say("/start consultant-999999")
    assert "That consultant has no profile." in bob.texts()
