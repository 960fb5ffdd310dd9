"""What a document's line says was paid for, read when the document is issued: a deal's goods
as its frozen terms name them ("Wood pellets, ENplus A1, 24 t times €230.00/t, FCA Riga — deal
#12"), a consulting session by its consultant, date and length; anything else by its
reference in words ("deal #12"), never the internal "deal:12".

A line is stored as [text, minor units, detail]: the text in English, and the detail keeping
what it says (core.said: a catalogue message and its values, the goods from the terms among
them), so each reader gets it in their language and number format at render time while the
English text stays for anyone else. Older lines are [text, minor units] or, for goods, [text,
minor units, {"goods", "reference", "before", "after"}] with English words around the goods."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core import said as say
from core.accounts.tables import Account
from core.consulting.sessions.tables import ConsultSession
from core.deals import deals
from core.deals.terms import service as deal_terms
from core.deals.terms.goods import goods_line, kept, said_goods
from core.i18n import N_
from core.storage.uow import UnitOfWork
from payments.settlement_rules import vat_in
from payments.tables import Escrow

# The subject of a line, and the lines documents write around it.
WHAT = N_("{what} — {reference}")
SESSION = N_("Consulting session with {consultant}, {date}, {minutes} min")
VAT_LINE = N_("VAT {rate}%")  # a line of the VAT an amount includes (an e-invoice's BT-110)


@dataclass(frozen=True)
class Subject:
    """What an escrow paid for: its reference ("deal:12", said "deal #12"), and what it bought
    (the goods from the frozen terms, or a session) when known."""

    reference: str
    what: Any = None  # said (core.said); none when only the reference is known

    def said(self) -> say.Said:
        """The subject as a document says it: what and the reference, or the reference."""
        ref = say.reference(self.reference)
        return say.said(WHAT, what=self.what, reference=ref) if self.what else ref

    def words(self) -> str:
        """'Wood pellets, …, FCA Riga — deal #12', or just 'deal #12', in English."""
        return say.english(self.said())

    def line(self, minor: int, message: str | None = None, /, **values: Any) -> tuple[Any, ...]:
        """A document line of `minor` units: the subject, or `message` (marked N_) saying it
        as {what} with `values`."""
        kept_said = say.said(message, what=self.said(), **values) if message else self.said()
        return say.english(kept_said), minor, kept_said


def said_line(minor: int, message: str, /, **values: Any) -> tuple[Any, ...]:
    """A document line of `minor` units that names no subject (“Platform commission”)."""
    kept_said = say.said(message, **values)
    return say.english(kept_said), minor, kept_said


def with_vat(escrow: Escrow, gross: int, line: Callable[[int], tuple[Any, ...]]
             ) -> list[tuple[Any, ...]]:
    """The lines of `gross` minor units of what `escrow` holds: `line` of the price, and a
    line of the VAT it includes when the seller charged VAT on the sale (an e-invoice's
    BT-110; the lines sum to `gross`)."""
    vat = vat_in(escrow, gross)
    if not vat or not escrow.vat_rate:
        return [line(gross)]
    return [line(gross - vat), said_line(vat, VAT_LINE, rate=escrow.vat_rate)]


def line_text(line: list[Any], locale: str = "en") -> str:
    """A stored line's text for the current reader, amounts in `locale`: a line that keeps
    what it says in their language; an older goods line in English with their money format;
    any other as stored."""
    detail = line[2] if len(line) > 2 and isinstance(line[2], dict) else None
    if detail and say.is_said(detail) and "goods" not in detail:
        return say.spoken(detail, locale)
    if not detail or not isinstance(detail.get("goods"), dict):
        return str(line[0])
    with say.in_english():  # worded before lines kept what they say
        what = f"{goods_line(detail['goods'], locale)} — {detail.get('reference', '')}"
    return f"{detail.get('before', '')}{what}{detail.get('after', '')}"


_SUBJECTS = "payments-subjects"  # each escrow's subject, read once a transaction (`uow.kept`)


async def subject(uow: UnitOfWork, escrow: Escrow) -> Subject:
    """What `escrow` paid for, as its documents name it (a payout's statement and its
    commission invoice both ask, in one transaction)."""
    known: dict[str, Subject] = uow.kept(_SUBJECTS, dict)
    if escrow.reference not in known:
        known[escrow.reference] = await _subject(uow, escrow)
    return known[escrow.reference]


async def _subject(uow: UnitOfWork, escrow: Escrow) -> Subject:
    deal = await deals.of_reference(uow, escrow.reference)
    if deal is not None:
        terms = await deal_terms.current(uow, deal.id)
        if terms is not None:
            return Subject(escrow.reference, said_goods(kept(terms.body)))
    if escrow.kind == "session":
        return Subject(escrow.reference, await _session(uow, escrow.reference))
    return Subject(escrow.reference)


async def _session(uow: UnitOfWork, reference: str) -> say.Said | None:
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
    return say.said(SESSION, consultant=consultant, date=say.day(began.date()),
                    minutes=str(minutes))
