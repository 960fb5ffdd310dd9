"""Delivering one claimed outbox row through its channel's `Sender`: its files drawn for the
recipient, a card's older copies retired, or the chat's latest card rewritten in place; what a
channel's sender and a kind of file's resolver are to the dispatcher."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select

from core.accounts.tables import Account
from core.money.reading import reading
from core.notifications import cards
from core.notifications.cards import RetryLater
from core.notifications.claiming import Claimed
from core.notifications.ratelimit import Limiter
from core.notifications.settling import Settling
from core.notifications.tables import OutboxStatus


class Attachment(NamedTuple):
    """A file that goes with a notification, rendered when it is delivered."""

    file_name: str
    content: bytes
    mime_type: str


# An attachment kind's resolver: the reference's key in, the file out (it may raise; the row
# is then retried like any failed send).
Resolver = Callable[[str], Awaitable[Attachment]]


class Sender(Protocol):
    """A channel's way to deliver one notification payload, and its files, to an address."""

    async def send(self, address: str, payload: dict[str, Any],
                   files: Sequence[Attachment] = ()) -> str | None:
        """Deliver; returns where the message is (for a channel that can edit it later: a
        card's buttons are taken away by `retire(address, ref, payload)`), else None."""


class Delivery(Settling):
    """A dispatcher's sends (`OutboxDispatcher` holds the state)."""

    senders: dict[str, Sender]
    attachments: dict[str, Resolver]
    card_builders: dict[str, cards.CardBuilder]
    _limiter: Limiter

    async def _deliver(self, row: Claimed) -> bool:
        await self._limiter.acquire(row.channel, row.address)  # an edit counts as a send
        if (key := cards.rewrites(row.payload)) is not None:
            return await self._rewrite(row, key)
        try:
            # Before sending anything (a failure sends nothing), drawn for the recipient.
            files = await self._files(row.payload, row.account_id)
            sender = self.senders[row.channel]
            ref = await sender.send(row.address, row.payload, files)
        except RetryLater as wait:
            await self._pause_chat(row, wait)
            return False
        except Exception as exc:
            await self._failed(row, exc)
            return False
        about = cards.about(row.payload)
        editor = sender if cards.can_retire(sender) else None
        card = ref if about and isinstance(ref, str) and editor is not None else None
        await self._finish(row.id, status=OutboxStatus.SENT, sent_at=self._clock.now(), sent_ref=card)
        if card is not None and editor is not None:
            # The newer card is shown: older ones of its objects lose buttons.
            await cards.retire_older(self._sessions, editor, row.id, row.channel, row.address,
                                     about)
        return True

    async def _rewrite(self, row: Claimed, key: str) -> bool:
        """A row that rewrites the chat's latest card of `key` rather than sending anything:
        done once tried (a card no longer there, or a channel that cannot edit, is no error)."""
        sender = self.senders[row.channel]
        build = self.card_builders.get(key.partition(":")[0])
        try:
            if build is not None and row.account_id is not None and cards.can_rewrite(sender):
                await cards.rewrite_latest(self._sessions, sender, row.id, row.channel,
                                           row.address, key, build, row.account_id)
        except RetryLater as wait:
            await self._pause_chat(row, wait)
            return False
        except Exception as exc:  # the database: tried again like a send
            await self._failed(row, exc)
            return False
        await self._finish(row.id, status=OutboxStatus.SENT, sent_at=self._clock.now())
        return True

    async def _files(self, payload: dict[str, Any], account_id: int | None = None
                     ) -> list[Attachment]:
        """The row's files, rendered now for its recipient: a document (a deal's terms, a
        recap) in their language and number format, as the message's text is."""
        refs = payload.get("attachments") or []
        if not refs:
            return []
        reader = await self._reader(account_id)
        files = []
        with reading(reader):
            for ref in refs:
                resolver = self.attachments.get(ref["kind"])
                if resolver is None:
                    raise LookupError(f"no resolver for {ref['kind']!r} attachments")
                files.append(Attachment(*await resolver(ref["key"])))
        return files

    async def _reader(self, account_id: int | None) -> Any:
        """The recipient's language and country (None: no one in particular, English)."""
        if account_id is None:
            return None
        async with self._sessions() as session:
            return (await session.execute(select(Account.language, Account.country)
                                          .where(Account.id == account_id))).first()
