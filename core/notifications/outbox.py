"""Writing notifications: an outbox row in the caller's transaction, delivered after commit."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from core.accounts.member import Member
from core.actions import ActionRows, abouts, payload_rows
from core.money.reading import reading
from core.notifications.postbox import Chat, Notice, Postbox, postbox_of
from core.storage.uow import UnitOfWork

__all__ = ["Chat", "Notice"]  # the postbox's, re-exported where notices are written

# A file rendered at delivery by the dispatcher's resolver of that kind, e.g.
# {"kind": "invoice", "key": TOKEN}; the row keeps only the reference.
AttachmentRef = dict[str, str]
_CARRIED = "notify-documents-carried"  # the document keys this transaction's notices carry
_MADE = "notify-documents-made"  # the documents this transaction made (`document_made`)


async def recipients(uow: UnitOfWork, account_ids: set[int]) -> None:
    """Read these accounts and their chats in one query for the notifications that follow
    (what this transaction changed of them is written first)."""
    await postbox_of(uow).recipients(account_ids)


async def account_of(uow: UnitOfWork, account_id: int) -> Member | None:
    """The account a notice is for, as its read model: as it stands in this transaction,
    asked for each notice, receipt and email (the postbox keeps what it read)."""
    return await postbox_of(uow).account_of(account_id)


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
    box = postbox_of(uow)
    account = await box.account_of(account_id)
    if account is None:
        return None
    wanted = channel or account.notify_channel
    if wanted == "email" and account.email and account.email_verified_at:
        return await enqueue_email(uow, account_id, account.email, subject="Agora", body=text,
                                   dedupe_key=dedupe_key, attachment=attachment, actions=buttons)
    chats = await box.chats(account_id)
    if not chats:
        return None
    target = next((chat for chat in chats if chat.channel == wanted), chats[0])
    if once_per_chat and attachment is not None:
        key = document_key(target.channel, target.address, attachment)
        carried = uow.kept(_CARRIED, set[str])
        made = (attachment["kind"], attachment["key"]) in uow.kept(_MADE, set[tuple[str, str]])
        if key in carried or (not made and await box.written(key)):
            attachment = None  # this chat has the document already: the text refers to it
        elif dedupe_key is None:
            dedupe_key = key
            carried.add(key)
    payload = _card(text, buttons, about) | _files(attachment)
    return _add(uow, account_id, target.channel, target.address, payload, urgent, dedupe_key,
                box)


async def rewrite_card(uow: UnitOfWork, account_id: int, key: str,
                       after: timedelta | None = None) -> Notice | None:
    """After commit, rewrite the latest card of object `key` ("deal:12") in the chat where
    this account's cards go, to what the object is then (core.notifications.cards): for a
    change that brings this person no new card. `after` holds it back, so that the card a
    person just pressed is answered in place first (and released) rather than rewritten."""
    box = postbox_of(uow)
    account = await box.account_of(account_id)
    chats = await box.chats(account_id) if account is not None else ()
    if account is None or not chats:
        return None  # by email only: an email cannot be rewritten
    target = next((chat for chat in chats if chat.channel == account.notify_channel), chats[0])
    row = _add(uow, account_id, target.channel, target.address, {"rewrites": key}, True, None,
               box)
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


async def queued(uow: UnitOfWork, dedupe_key: str) -> bool:
    """Whether a notice with this dedupe key was written: in this transaction, or before."""
    box = postbox_of(uow)
    return (any(row.dedupe_key == dedupe_key for row in box.staged())
            or await box.written(dedupe_key))


async def delivered_to_chat(uow: UnitOfWork, channel: str, address: str,
                            attachment: AttachmentRef) -> bool:
    """Whether a notice already delivered this document into this chat (a flow then points at
    it instead of sending it again)."""
    return await postbox_of(uow).written(document_key(channel, address, attachment), sent=True)


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


def staged(uow: UnitOfWork) -> list[Notice]:
    """The notices this transaction has written so far."""
    return postbox_of(uow).staged()


def _add(
    uow: UnitOfWork, account_id: int | None, channel: str, address: str,
    payload: dict[str, Any], urgent: bool, dedupe_key: str | None, box: Postbox | None = None,
) -> Notice:
    now = uow.clock.now()
    row = Notice(account_id, channel, address, payload, urgent, dedupe_key, now, now)
    (box or postbox_of(uow)).add(row)
    return row
