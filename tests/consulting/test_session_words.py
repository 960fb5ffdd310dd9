"""A consulting session in its own words: a “talk now” journey in chat says nothing of sellers,
buyers or raw money references, promises no free-cancellation window it does not have, asks
the seeker to authorise before offering Join, and a slot picked inside the free-cancellation
window says so when it is offered."""

from __future__ import annotations

from conversations.messages import Choice, ListPage
from core.consulting.profiles import service as profiles
from tests.consulting import chat_fakes as in_memory
from tests.consulting.helpers import consultant
from tests.deals.chat_helpers import last_notice, told
from tests.support.accounts import registered
from tests.support.chat import ChatUser

FORBIDDEN = ("seller", "buyer", "For deal:", "booking:", "until Sun", "authorised 2 hours before",
             "Free cancellation")


async def _online(app) -> tuple:
    """Cora, live and online, and the chats of Sid (a seeker) and Cora."""
    cora = await consultant(app, "cora")
    async with app.uow() as uow:
        await profiles.set_online(uow, cora.id, True)
        await uow.commit()
    await registered(app, "sid", roles=("seeker",), display_name="Sid")
    return cora, ChatUser(app, "sid"), ChatUser(app, "cora")


async def _talk_now(app) -> tuple[ChatUser, ChatUser, list[str]]:
    """Sid asks Cora to talk now; Cora accepts; Sid authorises. Returns what both read."""
    _, sid, her = await _online(app)
    read: list[str] = []
    await sid.say("/consultants")
    await sid.tap("Online now")
    [page] = [r for r in sid.last if isinstance(r, ListPage)]
    await sid.send(Choice(page.items[0].button.data))
    await sid.tap("Talk now")
    read.append(sid.texts())
    await last_notice(app, her, "asks")
    await her.tap("Accept")
    read.append(her.texts())
    await last_notice(app, sid, "Authorise up to")
    await sid.tap("Authorise")
    read.append(sid.texts())
    await sid.say("4242 4242 4242 4242")
    read.append(sid.texts())
    return sid, her, read


async def _both_join(app, sid: ChatUser, cora: ChatUser) -> None:
    """Each joins from their notice; Sid's last notice is then the session's start."""
    await last_notice(app, sid, "join your session")
    await sid.tap("Join")
    await last_notice(app, cora, "starts now")
    await cora.tap("Join")
    await last_notice(app, sid, "has started")


async def _notices(app, *names: str) -> list[str]:
    return [str(p.get("text")) for name in names for p in await told(app, name)]


async def test_a_talk_now_journey_speaks_of_sessions_and_promises_no_cancellation_window(app):
    sid, cora, read = await _talk_now(app)
    await _both_join(app, sid, cora)
    await sid.tap("End now")
    read.append(sid.texts())
    for person in (sid, cora):
        await person.say("/wallet")
        read.append(person.texts())
    everything = "\n".join(read + await _notices(app, "sid", "cora"))
    assert "The seeker's payment of €80.00" in everything
    assert "Payment for session booking #1" in everything  # the wallet's movement
    for phrase in FORBIDDEN:
        assert phrase.lower() not in everything.lower(), phrase


async def test_the_talk_now_booking_card_offers_join_only_once_authorised(app):
    cora, sid, her = await _online(app)
    await sid.send(Choice("@go:consultant:now:" + str(cora.id)))
    await last_notice(app, her, "asks")
    await her.tap("Accept")
    await sid.say("/bookings")
    await sid.send(Choice(next(i.button.data for r in sid.last if isinstance(r, ListPage)
                                for i in r.items)))
    assert not any("Join" in label for label in sid.labels()), sid.labels()
    await last_notice(app, sid, "Authorise up to")
    await sid.tap("Authorise")
    await sid.say("4242 4242 4242 4242")
    await sid.say("/bookings")
    await sid.send(Choice(next(i.button.data for r in sid.last if isinstance(r, ListPage)
                                for i in r.items)))
    assert "▶ Join" in sid.labels()


async def test_a_talk_now_seeker_is_asked_to_authorise_before_being_offered_join(app):
    sid, _, _ = await _talk_now(app)
    notices = await told(app, "sid")
    first_join = next(i for i, p in enumerate(notices)
                      if any("Join" in b.get("label", "") for row in p.get("buttons", [])
                             for b in row))
    asked = next(i for i, p in enumerate(notices) if "Authorise up to" in str(p.get("text")))
    authorised = next(i for i, p in enumerate(notices) if "authorised (not charged" in str(p.get("text")))
    assert asked < authorised < first_join
    assert "Authorise the payment first" in await last_notice(app, sid, "starts now")


async def test_a_slot_past_its_free_cancellation_says_so_when_it_is_offered(tmp_path):
    _, sid = await in_memory.free_times(tmp_path)  # on the consultants' fakes
    assert any(label.startswith("⚠ ") for label in sid.labels()), sid.labels()
    assert "free cancellation has already passed" in sid.texts()
    assert "late-cancellation fee of 50% (€40.00)" in sid.texts()


async def test_ending_a_session_sends_one_message_to_each_person(app):
    sid, cora, _ = await _talk_now(app)
    await _both_join(app, sid, cora)
    before = {name: len(await told(app, name)) for name in ("sid", "cora")}
    replies = await sid.tap("End now")
    assert len(replies) == 1 and "Nothing is charged; the authorisation is cancelled" in \
        sid.texts()
    assert {"Review", "Get the recap"} <= {label.split(" ", 1)[1]
                                                        for label in sid.labels()}
    after = {name: (await told(app, name))[before[name]:] for name in ("sid", "cora")}
    assert after["sid"] == [], [p["text"] for p in after["sid"]]
    assert [p["text"] for p in after["cora"]] == ["⏹ Session #1 ended (⏱ 00:00). Nothing is "
                                                  "charged."]
