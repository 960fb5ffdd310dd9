"""Picks in chat with no database anywhere: the real /foryou flow through the engine in memory,
its use cases on the in-memory sources (core.storage.stores hands the flow's calls the chat's
`MemorySources`): picks with reasons and buttons, Not interested hiding one. The weekly message
switched off from the picks and on again in /settings runs on the database
(test_picks_in_chat.py)."""

from __future__ import annotations

from conversations.flows.all_flows import ALL_FLOWS
from core.recommend.sources import Sources
from tests.recommend.fakes import MemorySources
from tests.support.chat import ChatUser
from tests.support.memory_engine import MemoryChat

SELLA, ANN = 1, 2


async def test_foryou_shows_picks_with_reasons_and_not_interested_hides_one():
    sources = MemorySources()
    chat = MemoryChat(ALL_FLOWS, stores={Sources: sources})
    chat.turns.register("terminal", "ann", "Ann", account_id=ANN)
    sources.add_deal(ANN, sources.add_listing(SELLA, "pellets", "Riga"), days_ago=30)
    sources.add_deal(ANN, sources.add_listing(SELLA, "pellets", "Riga"), days_ago=3)
    fresh = sources.add_listing(SELLA, "pellets", "Daugavpils", title="Fresh pellets, Latgale")
    user = ChatUser(chat, "ann")
    await user.say("/foryou")
    assert "Picked for you" in user.texts()
    assert "because you bought wood pellets in Latvia twice" in user.texts()
    assert "Fresh pellets, Latgale" in user.texts()
    assert any(label.startswith("1. Open") for label in user.labels())
    position = next(line.split(".")[0] for line in user.texts().splitlines()
                    if "Fresh pellets" in line and line[0].isdigit())
    await user.tap(f"{position}. 🚫 Not interested")
    assert "won't recommend that to you again" in user.texts()
    assert sources.declines == {(ANN, "listing", fresh)}
    await user.tap("Other picks")
    assert "Fresh pellets, Latgale" not in user.texts()
