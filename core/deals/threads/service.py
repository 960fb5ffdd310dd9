"""Messaging about a listing: one thread per listing and buyer, relayed to the other party on
their own channel. Before a deal is agreed, phone numbers, email addresses and links are masked
(with a note why), so the marketplace's protections are not bypassed; either party can block
or report the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.deals.events import MessagePosted, ThreadReported
from core.deals.threads.correspondence import Correspondence, correspondence_of
from core.deals.threads.tables import Thread, ThreadMessage
from core.disclosure import mask
from core.errors import DomainError, NotAllowed, NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork

PAGE = 20
RFQ = "📝 Request for a quote: "  # how a buyer's request for a quote begins
MAX_LENGTH = 2000


@dataclass(frozen=True)
class ThreadView:
    """A conversation as flows and pages read it: who talks about which listing, and whether
    either party stopped it. Core keeps the row."""

    id: int
    listing_id: int
    buyer_id: int
    seller_id: int
    blocked: bool


@dataclass(frozen=True)
class MessageView:
    """One message of a thread as it was relayed (masked before a deal); the file it carries,
    if any, is named only: its bytes are fetched through `file_of`."""

    id: int
    thread_id: int
    sender_id: int
    text: str
    masked: bool
    file_name: str | None
    created_at: datetime


def thread_view(thread: Thread) -> ThreadView:
    return ThreadView(thread.id, thread.listing_id, thread.buyer_id, thread.seller_id,
                      thread.blocked_by is not None)


def message_view(message: ThreadMessage) -> MessageView:
    return MessageView(message.id, message.thread_id, message.sender_id, message.text,
                       message.masked, message.file_name, message.created_at)


async def ask(uow: UnitOfWork | Correspondence, listing_id: int, buyer_id: int, text: str,
              file: SharedFile | None = None) -> MessageView:
    """“Ask the seller”: the buyer's thread on this listing (opened once), with this message."""
    thread = await open_thread(uow, listing_id, buyer_id)
    return await post(uow, thread.id, buyer_id, text, file)


async def open_thread(uow: UnitOfWork | Correspondence, listing_id: int, buyer_id: int,
                      any_status: bool = False) -> ThreadView:
    """The buyer's thread on this listing, opened the first time (`any_status`: for a deal's
    parties, whose listing may have sold out or closed since)."""
    mail = correspondence_of(uow)
    seller_id = await mail.seller_of(listing_id, buyer_id, any_status)
    if seller_id == buyer_id:
        raise NotAllowed(_("That is your own listing."))
    thread = await mail.thread_of(listing_id, buyer_id)
    if thread is None:
        thread = Thread(listing_id=listing_id, buyer_id=buyer_id, seller_id=seller_id,
                        created_at=mail.now())
        await mail.put(thread)
    return thread_view(thread)


@dataclass(frozen=True)
class SharedFile:
    """A photo or document sent in a thread, already kept in the file store."""

    path: str
    name: str
    mime_type: str


async def post(uow: UnitOfWork | Correspondence, thread_id: int, sender_id: int, text: str,
               file: SharedFile | None = None) -> MessageView:
    """A message (text, or a file with an optional caption) from one party to the other,
    masked before a deal; refused once blocked."""
    mail = correspondence_of(uow)
    thread = await _mine(mail, thread_id, sender_id)
    if thread.blocked_by is not None:
        raise NotAllowed(_("This conversation is blocked; no more messages can be sent."))
    text = text.strip() or (f"📎 {file.name}" if file else "")
    if not text or len(text) > MAX_LENGTH:
        raise DomainError(_("A message has 1 to {max_length} characters.", max_length=MAX_LENGTH))
    masked = False
    if not await mail.agreed(thread.listing_id, thread.buyer_id):
        text, masked = mask(text)
    message = ThreadMessage(thread_id=thread.id, sender_id=sender_id, text=text, masked=masked,
                            file_path=file.path if file else None,
                            file_name=file.name if file else None,
                            mime_type=file.mime_type if file else None,
                            created_at=mail.now())
    await mail.put(message)
    recipient = thread.seller_id if sender_id == thread.buyer_id else thread.buyer_id
    mail.emit(MessagePosted(thread.id, message.id, sender_id, recipient))
    return message_view(message)


async def history(uow: UnitOfWork | Correspondence, thread_id: int, viewer_id: int,
                  page: int = 0) -> list[MessageView]:
    """A page of the thread, newest first, for its parties only."""
    mail = correspondence_of(uow)
    await _mine(mail, thread_id, viewer_id)
    return [message_view(m) for m in await mail.messages(thread_id, max(page, 0) * PAGE, PAGE)]


async def block(uow: UnitOfWork | Correspondence, thread_id: int, actor_id: int,
                report: bool = False) -> ThreadView:
    """Either party stops the conversation (and may report the other to the admins)."""
    mail = correspondence_of(uow)
    thread = await _mine(mail, thread_id, actor_id)
    thread.blocked_by = thread.blocked_by or actor_id
    if report and thread.reported_by is None:
        thread.reported_by = actor_id
        mail.emit(ThreadReported(thread.id, actor_id))
    return thread_view(thread)


async def get(uow: UnitOfWork | Correspondence, thread_id: int, account_id: int | None
              ) -> ThreadView:
    """A thread, for its two parties only."""
    return thread_view(await _mine(correspondence_of(uow), thread_id, account_id))


async def of_listing(uow: UnitOfWork | Correspondence, listing_id: int, buyer_id: int
                     ) -> ThreadView | None:
    """The buyer's thread on a listing, if they have written."""
    thread = await correspondence_of(uow).thread_of(listing_id, buyer_id)
    return thread_view(thread) if thread is not None else None


async def file_of(uow: UnitOfWork | Correspondence, message_id: int) -> ThreadMessage:
    """A message carrying a file (for relaying it; the reader is a party, checked by caller)."""
    message = await correspondence_of(uow).message(message_id)
    if message is None or not message.file_path:
        raise NotFound(_("That file is no longer there."))
    return message


async def _mine(mail: Correspondence, thread_id: int, account_id: int | None) -> Thread:
    thread = await mail.thread(thread_id)
    if thread is None or account_id not in (thread.buyer_id, thread.seller_id):
        raise NotFound(_("That conversation doesn't exist."))
    return thread
