"""Writing notifications: an outbox row in the caller's transaction, delivered after commit."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm.util import identity_key

from core.accounts.member import MEMBER_COLUMNS, Member, member_of, member_of_columns
from core.accounts.tables import Account, Identity
from core.actions import ActionRows, abouts, payload_rows
from core.money.reading import reading
from core.notifications.tables import OutboxMessage, OutboxStatus
from core.storage.tables import table_of
from core.storage.uow import UnitOfWork

# A file rendered at delivery by the dispatcher's resolver of that kind, e.g.
# {"kind": "invoice", "key": TOKEN}; the row keeps only the reference.
AttachmentRef = dict[str, str]
_KNOWN = "notify-recipients"  # account id → (its member, its chats), this transaction
_CARRIED = "notify-documents-carried"  # the document keys this transaction's notices carry
_MADE = "notify-documents-made"  # the documents this transaction made (`document_made`)
# Built once: a payment's or a deal's parties are read in every transaction that tells them
# something — as read models and their chats' columns, on the transaction's connection (an
# account's ORM load, and the session's bookkeeping of it, cost twice the read).
_IDENTITIES, _ACCOUNTS = table_of(Identity), table_of(Account)
_FEW = 4  # up to this many recipients the ids are bound one by one, an IN not re-rendered


@functools.cache
def _recipients_of(few: int | None) -> Select[Any]:
    ids = ([bindparam(f"id{n}") for n in range(few)] if few is not None
           else bindparam("ids", expanding=True))
    return (select(*MEMBER_COLUMNS, _IDENTITIES.c.channel, _IDENTITIES.c.address)
            .outerjoin(_IDENTITIES, _IDENTITIES.c.account_id == _ACCOUNTS.c.id)
            .where(_ACCOUNTS.c.id.in_(ids)).order_by(_IDENTITIES.c.id))
_CHATS = (select(_IDENTITIES.c.channel, _IDENTITIES.c.address)
          .where(_IDENTITIES.c.account_id == bindparam("account_id")).order_by(_IDENTITIES.c.id))


@dataclass(frozen=True, slots=True)
class Chat:
    """Where a channel reaches a person (a Telegram chat, a Slack DM, a terminal name)."""

    channel: str
    address: str


async def recipients(uow: UnitOfWork, account_ids: set[int]) -> None:
    """Read these accounts and their chats in one query for the notifications that follow
    (what this transaction changed of them is written first)."""
    known = _known(uow)
    wanted = account_ids - set(known)
    if not wanted:
        return
    await uow.settle()
    ids = sorted(wanted)
    statement, params = ((_recipients_of(len(ids)), {f"id{n}": id_ for n, id_ in enumerate(ids)})
                         if len(ids) <= _FEW else (_recipients_of(None), {"ids": ids}))
    width = len(MEMBER_COLUMNS)
    for row in await (await uow.core()).execute(statement, params):
        account_id, channel, address = row[0], row[width], row[width + 1]
        if account_id not in known:
            known[account_id] = (member_of_columns(tuple(row[:width])), [])
        if channel is not None:
            known[account_id][1].append(Chat(channel, address))


def _known(uow: UnitOfWork) -> dict[int, tuple[Member, list[Chat]]]:
    return uow.kept(_KNOWN, dict[int, tuple[Member, list[Chat]]])


async def _chats(uow: UnitOfWork, account_id: int) -> list[Chat]:
    known = _known(uow).get(account_id)
    if known is not None:
        return known[1]
    rows = await (await uow.core()).execute(_CHATS, {"account_id": account_id})
    return [Chat(channel, address) for channel, address in rows]


async def account_of(uow: UnitOfWork, account_id: int) -> Member | None:
    """The account a notice is for, as its read model: the session's own row when it holds it
    whole (it may have changed in this transaction), else as `recipients` read it (with its
    chats), asked for each notice, receipt and email."""
    held = uow.session.identity_map.get(identity_key(Account, account_id))
    if isinstance(held, Account) and not inspect(held).expired_attributes:
        return member_of(held)
    if account_id not in _known(uow):
        await recipients(uow, {account_id})
    known = _known(uow).get(account_id)
    return known[0] if known is not None else None


@asynccontextmanager
async def addressed_to(uow: UnitOfWork, account_id: int) -> AsyncIterator[Member | None]:
    """Write a notice for `account_id`: its amounts in the recipient's own format."""
    reader = await account_of(uow, account_id)
    with reading(reader):
        yield reader


async def notify(
    uow: UnitOfWork,
    account_id: int,
    text: str,
    *,
    buttons: ActionRows | None = None,
    channel: str | None = None,
    urgent: bool = False,
    dedupe_key: str | None = None,
    attachment: AttachmentRef | None = None,
    once_per_chat: bool = False,
    about: Iterable[str] = (),
) -> Notice | None:
    """Tell an account something on its preferred channel (or `channel`), after commit; an
    attachment follows the text in chat or is attached to the email. `once_per_chat`: the
    attachment is a document that never changes (terms, a receipt), which a chat that has it
    already does not get again. The notice is a card of the objects its buttons name and of
    those in `about` (a negotiation): a newer card of one of them takes its buttons away."""
    account = await account_of(uow, account_id)
    if account is None:
        return None
    wanted = channel or account.notify_channel
    if wanted == "email" and account.email and account.email_verified_at:
        return await enqueue_email(uow, account_id, account.email, subject="Agora", body=text,
                                   dedupe_key=dedupe_key, attachment=attachment, actions=buttons)
    chats = await _chats(uow, account_id)
    if not chats:
        return None
    target = next((chat for chat in chats if chat.channel == wanted), chats[0])
    if once_per_chat and attachment is not None:
        key = document_key(target.channel, target.address, attachment)
        carried = uow.kept(_CARRIED, set[str])
        made = (attachment["kind"], attachment["key"]) in uow.kept(_MADE, set[tuple[str, str]])
        if key in carried or (not made and await _in_chat(
                uow, target.channel, target.address, attachment)):
            attachment = None  # this chat has the document already: the text refers to it
        elif dedupe_key is None:
            dedupe_key = key
            carried.add(key)
    payload = _card(text, buttons, about) | _files(attachment)
    return _add(uow, account_id, target.channel, target.address, payload, urgent, dedupe_key)


async def rewrite_card(uow: UnitOfWork, account_id: int, key: str,
                       after: timedelta | None = None) -> Notice | None:
    """After commit, rewrite the latest card of object `key` ("deal:12") in the chat where
    this account's cards go, to what the object is then (core.notifications.cards): for a
    change that brings this person no new card. `after` holds it back, so that the card a
    person just pressed is answered in place first (and released) rather than rewritten."""
    account = await account_of(uow, account_id)
    chats = await _chats(uow, account_id) if account is not None else ()
    if account is None or not chats:
        return None  # by email only: an email cannot be rewritten
    target = next((chat for chat in chats if chat.channel == account.notify_channel), chats[0])
    row = _add(uow, account_id, target.channel, target.address, {"rewrites": key}, True, None)
    if after is not None:
        row.available_at = row.available_at + after
    return row


def notify_chat(uow: UnitOfWork, channel: str, address: str, text: str, *,
                buttons: ActionRows | None = None, about: Iterable[str] = ()) -> Notice:
    """Tell a team chat (a Slack channel) something, after commit: the card of the objects its
    buttons name and of those in `about`, as `notify` writes one, read by whoever is there."""
    return _add(uow, None, channel, address, _card(text, buttons, about), False, None)


def _card(text: str, buttons: ActionRows | None, about: Iterable[str]) -> dict[str, Any]:
    """A notice's payload: its words, its buttons, and the objects it is a card of
    (core.notifications.cards)."""
    payload: dict[str, Any] = {"text": text, "buttons": payload_rows(buttons)}
    cards = sorted(abouts(buttons) | set(about))
    if cards:
        payload["about"] = cards
    return payload


def document_made(uow: UnitOfWork, attachment: AttachmentRef) -> None:
    """Note that this transaction made the document `attachment` refers to (an invoice, a
    version of terms): no chat can have it from before, so a notice carrying it once per chat
    need not ask the outbox whether one does (this transaction's own notices are known)."""
    uow.kept(_MADE, set[tuple[str, str]]).add((attachment["kind"], attachment["key"]))


def document_key(channel: str, address: str, attachment: AttachmentRef) -> str:
    """The dedupe key of the notice that carries a document into one chat, so each chat gets
    each document once (a person addressed twice, or two accounts sharing a chat)."""
    key = f"doc:{attachment['kind']}:{attachment['key']}@{channel}:{address}"
    return key if len(key) <= 128 else "doc:" + hashlib.sha256(key.encode()).hexdigest()


async def _in_chat(uow: UnitOfWork, channel: str, address: str, attachment: AttachmentRef,
                   sent: bool = False) -> bool:
    return (await uow.session.execute(_CARRYING[sent], {
        "key": document_key(channel, address, attachment)})).first() is not None


# Built once: asked of each document a notice carries once per chat (a receipt, the terms).
_CARRYING = {sent: select(OutboxMessage.id).where(
    OutboxMessage.dedupe_key == bindparam("key"),
    *((OutboxMessage.status == OutboxStatus.SENT,) if sent else ())) for sent in (False, True)}


async def queued(uow: UnitOfWork, dedupe_key: str) -> bool:
    """Whether a notice with this dedupe key was written: in this transaction, or before."""
    if any(row.dedupe_key == dedupe_key for row in staged(uow)):
        return True
    return (await uow.session.execute(select(OutboxMessage.id).where(
        OutboxMessage.dedupe_key == dedupe_key))).first() is not None


async def delivered_to_chat(uow: UnitOfWork, channel: str, address: str,
                            attachment: AttachmentRef) -> bool:
    """Whether a notice already delivered this document into this chat (a flow then points at
    it instead of sending it again)."""
    return await _in_chat(uow, channel, address, attachment, sent=True)


async def enqueue_email(
    uow: UnitOfWork, account_id: int | None, to: str, *, subject: str, body: str,
    dedupe_key: str | None = None, attachment: AttachmentRef | None = None,
    actions: ActionRows | None = None,
) -> Notice:
    """An email through the outbox; verification codes are urgent (quiet hours don't hold them).
    Actions are kept so the email can say how to take each one in chat."""
    payload: dict[str, Any] = {"subject": subject, "text": body, **_files(attachment)}
    if actions:
        payload["buttons"] = payload_rows(actions)
    return _add(uow, account_id, "email", to, payload, True, dedupe_key)


def to_machine(uow: UnitOfWork, channel: str, address: str, payload: dict[str, Any]
               ) -> Notice:
    """A row for a channel that is no chat (a consultant's own calendar): delivered after
    commit like any notice, in order per address, retried with back-off; never held by quiet
    hours (it is urgent) and drawn for no one."""
    return _add(uow, None, channel, address, payload, True, None)


def _files(attachment: AttachmentRef | None) -> dict[str, Any]:
    return {"attachments": [attachment]} if attachment else {}


@dataclass(slots=True)
class Notice:
    """A notice this transaction writes to the outbox: the row it will be (columns of
    `OutboxMessage`), written at commit with the transaction's others in one INSERT
    (`UnitOfWork.stage`); until then it may still be changed (`payload`, `available_at`)."""

    account_id: int | None
    channel: str
    address: str
    payload: dict[str, Any]
    urgent: bool
    dedupe_key: str | None
    available_at: datetime
    created_at: datetime
    status: str = OutboxStatus.PENDING
    attempts: int = 0


_OUTBOX = table_of(OutboxMessage)


def staged(uow: UnitOfWork) -> list[Notice]:
    """The notices this transaction has written so far."""
    return uow.staged(Notice)


def _add(
    uow: UnitOfWork, account_id: int | None, channel: str, address: str,
    payload: dict[str, Any], urgent: bool, dedupe_key: str | None,
) -> Notice:
    now = uow.clock.now()
    row = Notice(account_id, channel, address, payload, urgent, dedupe_key, now, now)
    uow.stage(_OUTBOX, row)
    return row
