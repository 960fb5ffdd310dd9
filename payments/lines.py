"""What a document's line says was paid for, read when the document is issued: a deal's goods
as its frozen terms name them ("Wood pellets, ENplus A1, 24 t times €230.00/t, FCA Riga — deal
#12"), a consulting session by its consultant, date and length; anything else by its
reference in words ("deal #12"), never the internal "deal:12".

A line is stored as [text, minor units] or, for goods, [text, minor units, detail]: the detail
keeps the goods from the terms, so the unit price is written in each reader's format at
render time while the English text stays for anyone else."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.accounts.tables import Account
from core.consulting.sessions.tables import ConsultSession
from core.deals import terms as deal_terms
from core.deals.deals import deal_of
from core.deals.goods import goods_line, kept
from core.money.model import described
from core.storage.uow import UnitOfWork
from payments.tables import Escrow


@dataclass(frozen=True)
class Subject:
    """What an escrow paid for: its words, and a deal's goods (from the frozen terms)."""

    reference: str  # in words: "deal #12", "session booking #3"
    what: str = ""  # the goods or the session, in English; empty when only the reference is known
    goods: dict[str, Any] | None = None

    def words(self) -> str:
        """'Wood pellets, …, FCA Riga — deal #12', or just 'deal #12'."""
        return f"{self.what} — {self.reference}" if self.what else self.reference

    def line(self, amount: int, before: str = "", after: str = "") -> tuple[Any, ...]:
        """A document line for `amount`, with words before and after the subject."""
        text = f"{before}{self.words()}{after}"
        if self.goods is None:
            return text, amount
        return text, amount, {"goods": self.goods, "reference": self.reference,
                              "before": before, "after": after}


def line_text(line: list[Any], locale: str = "en") -> str:
    """A stored line's text for a reader: a goods line rewritten in their money format."""
    detail = line[2] if len(line) > 2 and isinstance(line[2], dict) else None
    if not detail or not isinstance(detail.get("goods"), dict):
        return str(line[0])
    what = f"{goods_line(detail['goods'], locale)} — {detail.get('reference', '')}"
    return f"{detail.get('before', '')}{what}{detail.get('after', '')}"


async def subject(uow: UnitOfWork, escrow: Escrow) -> Subject:
    """What `escrow` paid for, as its documents name it."""
    words = described(escrow.reference)
    deal_id = deal_of(escrow.reference)
    if deal_id is not None:
        terms = await deal_terms.current(uow, deal_id)
        if terms is not None:
            goods = kept(terms.body)
            return Subject(words, goods_line(goods), goods)
    if escrow.kind == "session":
        what = await _session(uow, escrow.reference)
        return Subject(words, what or "")
    return Subject(words)


async def _session(uow: UnitOfWork, reference: str) -> str | None:
    """'Consulting session with Jānis Bērziņš, 2026-03-01, 25 min' (its length as run, or as
    booked until it has ended)."""
    head, _, rest = reference.partition(":")
    number = rest.partition(":")[0]
    if head != "booking" or not number.isdigit():
        return None
    row = (await uow.session.execute(select(ConsultSession, Account.display_name).join(
        Account, Account.id == ConsultSession.consultant_id).where(
        ConsultSession.booking_id == int(number)))).first()
    if row is None:
        return None
    session, consultant = row
    began = session.started_at or session.starts_at
    if session.started_at and session.ended_at:
        minutes = math.ceil((session.ended_at - session.started_at).total_seconds() / 60)
    else:
        minutes = session.booked_minutes + session.extended_minutes
    return f"Consulting session with {consultant}, {began.date().isoformat()}, {minutes} min"
