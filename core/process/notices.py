"""The notices a process declares, sent: one in-transaction handler per process reads the
context's “moved” event, finds the transition taken and writes each declared `Notice` to the
outbox, its text and buttons from builders the context registers by name (a NoticeBook).
A transition cannot forget its notices: the declaration says who hears what, or why nobody does,
and a test checks every name resolves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from core.actions import ActionRows
from core.events import Event
from core.notifications.cards import about
from core.notifications.outbox import (
    AttachmentRef,
    addressed_to,
    notify,
    recipients,
    rewrite_card,
    staged,
)
from core.operators.roles import admin_ids
from core.process.model import ADMINS, Notice, Process
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Moved:
    """One transition taken, as a book reads it from its context's event: which, on what row,
    between which states, and which account plays each party role."""

    transition: str
    subject: Any  # the row that moved (a Deal, an Offer, a Contract…)
    parties: Mapping[str, int | Sequence[int]]  # role → its account (or accounts, in order)
    source: str = ""
    target: str = ""
    event: Event | None = None


@dataclass(frozen=True)
class Said:
    """A notice's text, with what travels with it."""

    text: str
    attachment: AttachmentRef | None = None
    once_per_chat: bool = False
    channel: str | None = None  # this channel rather than the reader's preferred one
    urgent: bool = False  # not held by quiet hours
    dedupe_key: str | None = None  # written once, however often the move is read
    about: tuple[str, ...] = ()  # objects it is a card of besides its buttons' (a negotiation)


# How long the rewrite of the mover's own card waits: their press is answered on the card they
# pressed first, which then leaves the outbox's care (core.notifications.cards.release).
ACTOR_HOLD = timedelta(seconds=5)

# A text builder: (uow, what moved, the addressee's role, their account) → the text, or None
# to say nothing to this person this time.
TextBuilder = Callable[[UnitOfWork, Moved, str, int], Awaitable["Said | str | None"]]
ButtonsBuilder = Callable[[UnitOfWork, Moved, str], Awaitable[ActionRows]]
Reader = Callable[[UnitOfWork, Any], Awaitable["Moved | None"]]


@dataclass(frozen=True)
class NoticeBook:
    """A process's notices made sendable: how its moved event reads, and its named builders."""

    process: Process
    read: Reader
    texts: Mapping[str, TextBuilder]
    buttons: Mapping[str, ButtonsBuilder] = field(default_factory=dict)
    roles: tuple[str, ...] = ()  # addressees besides the actors (an offer's maker)
    # The kind of the subject's card ("deal": its key is "deal:<id>"), when a party who hears
    # nothing of a move has their latest card of it rewritten to its new state.
    card: str | None = None
    card_parties: tuple[str, ...] = ()

    async def on_moved(self, uow: UnitOfWork, event: Event) -> None:
        """The in-transaction handler of the context's moved event."""
        moved = await self.read(uow, event)
        if moved is None:
            return
        step = self.process.transition(moved.transition)
        # Everyone this move may write to (told, or their card rewritten), with their chats,
        # in one read.
        parties = {a for n in step.notices for a in _accounts(moved, n.to)}
        if self.card is not None:
            parties |= {a for role in self.card_parties for a in _accounts(moved, role)}
        await recipients(uow, parties)
        told = await self._notify(uow, moved, step.notices) if step.notices else set()
        if self.card is not None:
            await self._rewrite_cards(uow, moved, told)

    async def _rewrite_cards(self, uow: UnitOfWork, moved: Moved, told: set[int]) -> None:
        """Each party told nothing of this move has their latest card of the subject rewritten
        to its new state; the party who moved it a few seconds later, once the card they
        pressed (if they pressed it) is answered in place."""
        key = f"{self.card}:{moved.subject.id}"
        actor = getattr(moved.event, "by", "")
        told |= {row.account_id for row in staged(uow)  # cards other handlers wrote
                 if row.account_id is not None
                 and key in about(row.payload)}
        for role in self.card_parties:
            for account_id in _accounts(moved, role):
                if account_id not in told:
                    await rewrite_card(uow, account_id, key,
                                       after=ACTOR_HOLD if role == actor else None)
                    told.add(account_id)  # one rewrite each, whatever their roles

    async def _notify(self, uow: UnitOfWork, moved: Moved, notices: Sequence[Notice]) -> set[int]:
        """Write each declared notice; returns who got one."""
        told: set[int] = set()
        for notice in notices:
            for account_id in await self._addressees(uow, moved, notice.to):
                # Written for its recipient: their language, their money format.
                async with addressed_to(uow, account_id):
                    said = await self.texts[notice.text](uow, moved, notice.to, account_id)
                    if said is None:
                        continue
                    if isinstance(said, str):
                        said = Said(said)
                    buttons = (await self.buttons[notice.buttons](uow, moved, notice.to)
                               if notice.buttons else None)
                    await notify(uow, account_id, said.text, buttons=buttons,
                                 attachment=said.attachment, once_per_chat=said.once_per_chat,
                                 channel=said.channel, urgent=said.urgent,
                                 dedupe_key=said.dedupe_key, about=said.about)
                    told.add(account_id)
        return told

    @staticmethod
    async def _addressees(uow: UnitOfWork, moved: Moved, to: str) -> list[int]:
        if to == ADMINS:
            return list(await admin_ids(uow))
        return _accounts(moved, to)

    def unresolved(self) -> list[str]:
        """Every declared notice whose text, buttons or addressee names nothing known."""
        known = {*self.process.roles(), *self.roles, ADMINS}
        wrong = []
        for t in self.process.transitions:
            for n in t.notices:
                if n.text not in self.texts:
                    wrong.append(f"{self.process.name}/{t.name}: no text {n.text!r}")
                if n.buttons and n.buttons not in self.buttons:
                    wrong.append(f"{self.process.name}/{t.name}: no buttons {n.buttons!r}")
                if n.to not in known:
                    wrong.append(f"{self.process.name}/{t.name}: nobody is {n.to!r}")
        return wrong


def _accounts(moved: Moved, role: str) -> list[int]:
    held = moved.parties.get(role, ())
    return [held] if isinstance(held, int) else list(held)
