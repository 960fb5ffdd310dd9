"""How many inputs a person needs: registration to the main menu, a publishable listing, a
filtered search, an offer from a listing card — counted through the real engine, as Telegram and
the terminal send them.

    python bench/taps.py

Every message typed and every button tapped counts as one input (a form's “Done” too). Both
channels ask forms one question at a time, so their counts must agree; the script checks that
and ends with one line: `taps register=… listing=… search=… offer=…` (targets: ≤ 10, ≤ 12, ≤ 3,
≤ 4).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import tempfile
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from config.container import build
from config.settings import Settings
from conversations.messages import Choice, Command, Envelope, ListPage, Text
from core.accounts.service import find_account
from core.catalog import listings
from core.catalog.tables import Listing
from core.storage.schema import upgrade

TARGETS = {"register": 10, "listing": 12, "search": 3, "offer": 4}
_events = count(1)


class Person:
    """Someone on one channel; `inputs` counts what they had to send."""

    def __init__(self, app, channel: str, name: str) -> None:
        self.app, self.channel, self.name = app, channel, name
        self.inputs, self.last = 0, []

    async def send(self, message) -> None:
        self.inputs += 1
        env = Envelope(self.channel, self.name, self.name, message, event_id=f"e{next(_events)}",
                       opens_links=self.channel != "terminal")
        self.last = (await self.app.engine.handle(env)).replies

    async def say(self, text: str) -> None:
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return await self.send(Command(name, args))
        await self.send(Text(text))

    async def tap(self, label: str) -> None:
        for reply in self.last:
            rows = [*getattr(reply, "buttons", ())]
            if isinstance(reply, ListPage):
                rows += [(item.button,) for item in reply.items if item.button]
            for row in rows:
                for button in row:
                    if label.lower() in button.label.lower():
                        return await self.send(Choice(button.data))
        raise AssertionError(f"no button {label!r} after {self.texts()!r}")

    def texts(self) -> str:
        return "\n".join(getattr(r, "text", "") or getattr(r, "title", "") for r in self.last)


async def register(person: Person, mailbox, role: str = "Seller") -> None:
    await person.say("/start")
    for answer in ("Sven Skog", "Skog AB", f"{person.name}@example.com"):
        await person.say(answer)
    await person.tap(role)
    await person.tap("Done")
    await person.say("Sweden")
    await person.say("Växjö")
    await person.tap("Skip")  # interests
    await person.app.dispatcher.run_once()
    code = re.search(r"\b\d{6}\b", mailbox.sent[-1][1]["text"]).group(0)  # type: ignore[union-attr]
    await person.say(code)
    assert "Main menu" in person.texts(), person.texts()


async def listing(person: Person) -> None:
    await person.tap("New listing")
    await person.tap("Wood pellets")
    await person.say("500 t")
    await person.say("2400")
    await person.tap("Fixed price")
    await person.tap("Keep")  # the profile's town
    await person.tap("Pickup")
    await person.tap("Done")
    await person.tap("Publish")
    assert "Published" in person.texts(), person.texts()


async def search(person: Person) -> None:
    await person.tap("Search bioenergy")
    await person.say("pellets under 3000 sek near växjö 100km")
    assert "1 result(s)" in person.texts(), person.texts()


async def offer(person: Person) -> None:
    """From the listing card: Make an offer, the minimum order and the listed price kept, Send."""
    await person.tap("Make an offer")
    await person.tap("Keep")
    await person.tap("Keep")
    await person.tap("Send")
    assert "Sent (offer #" in person.texts(), person.texts()


async def negotiable(app, person: Person) -> None:
    """The seller marks the listing's price negotiable (so the card offers an offer), and the
    buyer opens it from the search results."""
    async with app.uow() as uow:
        seller = await find_account(uow, person.channel, person.name.replace("bo-", "sven-"))
        listing_id = (await uow.session.execute(select(Listing.id))).scalar_one()
        await listings.edit(uow, listing_id, seller.id, {"negotiable": "yes"})
        await uow.commit()


async def journeys(channel: str) -> dict[str, int]:
    folder = tempfile.mkdtemp(prefix="agora-taps-")
    url = f"sqlite+aiosqlite:///{folder}/taps.db"
    await upgrade(url)
    from bots.email import LoggingEmailSender

    mailbox = LoggingEmailSender()
    app = build(Settings(environment="test", database_url=url, data_dir=folder),  # type: ignore[call-arg]
                senders={"email": mailbox})
    try:
        counted = {}
        sven, bo = Person(app, channel, f"sven-{channel}"), Person(app, channel, f"bo-{channel}")
        await register(bo, mailbox, "Buyer")  # a buyer to search, registered like the seller
        for name, person, journey in (("register", sven, lambda: register(sven, mailbox)),
                                      ("listing", sven, lambda: listing(sven)),
                                      ("search", bo, lambda: search(bo)),
                                      ("offer", bo, lambda: offer(bo))):
            if name == "offer":
                await negotiable(app, bo)
                await bo.tap("View")  # the card, from the search results
            before = person.inputs
            await journey()
            counted[name] = person.inputs - before
        return counted
    finally:
        await app.close()


async def main() -> None:
    os.environ.setdefault("AGORA_ENVIRONMENT", "test")
    logging.getLogger("agora.email").setLevel(logging.ERROR)  # the codes, printed in development
    telegram, terminal = await journeys("telegram"), await journeys("terminal")
    for name in TARGETS:
        print(f"{name:>9}: telegram {telegram[name]}, terminal {terminal[name]} "
              f"(target ≤ {TARGETS[name]})")
    assert telegram == terminal, (telegram, terminal)
    met = all(telegram[name] <= TARGETS[name] for name in TARGETS)
    print(f"taps register={telegram['register']} listing={telegram['listing']} "
          f"search={telegram['search']} offer={telegram['offer']} "
          f"targets_met={'yes' if met else 'no'}")


if __name__ == "__main__":
    asyncio.run(main())
