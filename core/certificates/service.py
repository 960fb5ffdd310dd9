"""A profile's certificates, one function per use case: list, add, replace, remove, and what a
listing's card reads of them. They are the company's when the member has a seat in one (its
admins change them), else the member's own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from sqlalchemy import ColumnElement, select

from core.certificates import rules
from core.certificates.events import CertificateChanged
from core.certificates.tables import Certificate
from core.companies.seats import seat_of
from core.companies.tables import CompanyMember
from core.errors import NotAllowed, NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Held:
    """One certificate of a profile, as its owner's list and a listing's card read it."""

    id: int
    scheme: str
    number: str
    holder: str
    valid_until: date
    valid: bool  # through its last day
    file_name: str
    file_path: str  # in the file store
    mime_type: str
    of_company: bool


@dataclass(frozen=True)
class Document:
    """The certificate's document as a chat sends it: kept in the file store by its checksum."""

    path: str
    name: str
    mime_type: str


async def _owner(uow: UnitOfWork, account_id: int) -> int | None:
    """The company whose certificates the member's are, or None: their own."""
    seat = await seat_of(uow, account_id)
    return seat.company.id if seat is not None else None


def _mine(account_id: int, company_id: int | None) -> ColumnElement[bool]:
    """The certificates of the company, or the member's own."""
    if company_id is not None:
        return Certificate.company_id == company_id
    return (Certificate.company_id.is_(None)) & (Certificate.account_id == account_id)


def _held(row: Certificate, today: date) -> Held:
    return Held(row.id, row.scheme, row.number, row.holder, row.valid_until,
                rules.is_valid(row.valid_until, today), row.file_name, row.file_path,
                row.mime_type, row.company_id is not None)


async def held(uow: UnitOfWork, account_id: int) -> list[Held]:
    """The member's certificates (their company's, where they have one), by scheme and the
    latest last day first."""
    company_id = await _owner(uow, account_id)
    rows = (await uow.session.execute(select(Certificate).where(_mine(account_id, company_id))
                                      .order_by(Certificate.scheme,
                                                Certificate.valid_until.desc(),
                                                Certificate.id))).scalars().all()
    today = uow.clock.now().date()
    return [_held(row, today) for row in rows]


async def backing(uow: UnitOfWork, seller_id: int) -> dict[str, Held]:
    """What a seller's listings' cards read: per scheme, the profile's certificate that runs
    longest (a valid one where there is one)."""
    found: dict[str, Held] = {}
    for one in await held(uow, seller_id):
        found.setdefault(one.scheme, one)
    return found


async def proving(uow: UnitOfWork, seller_id: int, schemes: Iterable[str]) -> list[Held]:
    """The seller's valid profile certificates of these schemes (a listing's claims): their
    documents are sent with the listing's own to whoever opens them."""
    found = await backing(uow, seller_id)
    return [found[code] for code in schemes if code in found and found[code].valid]


async def _may_change(uow: UnitOfWork, actor_id: int) -> int | None:
    seat = await seat_of(uow, actor_id)
    if seat is None:
        return None
    if not seat.may("manage"):
        raise NotAllowed(_("Only an admin of {company} changes its certificates.",
                           company=seat.company.name))
    return seat.company.id


def _checked(scheme: str, number: str, holder: str, valid_until: date,
             today: date) -> tuple[str, str, date]:
    return (rules.certificate_number(scheme, number), rules.holder_name(holder),
            rules.check_valid_until(valid_until, today))


async def add(uow: UnitOfWork, actor_id: int, scheme: str, number: str, holder: str,
              valid_until: date, document: Document) -> Held:
    """Add a certificate to the actor's profile (their company's, as its admin)."""
    now = uow.clock.now()
    company_id = await _may_change(uow, actor_id)
    spelled, name, last = _checked(rules.check_scheme(scheme), number, holder, valid_until,
                                   now.date())
    row = Certificate(account_id=actor_id, company_id=company_id, scheme=scheme, number=spelled,
                      holder=name, valid_until=last, created_at=now, updated_at=now,
                      **_file(document))
    uow.session.add(row)
    await uow.session.flush()
    await changed(uow, row)
    return _held(row, now.date())


async def _own(uow: UnitOfWork, actor_id: int, certificate_id: int) -> Certificate:
    company_id = await _may_change(uow, actor_id)
    row = (await uow.session.execute(select(Certificate).where(
        Certificate.id == certificate_id, _mine(actor_id, company_id)))).scalar_one_or_none()
    if row is None:
        raise NotFound(_("That certificate is not on your profile."))
    return row


async def replace(uow: UnitOfWork, actor_id: int, certificate_id: int, number: str, holder: str,
                  valid_until: date, document: Document) -> Held:
    """Replace a certificate by its renewal: number, holder, last day and document; the
    month-before notice is told again for the new last day."""
    now = uow.clock.now()
    row = await _own(uow, actor_id, certificate_id)
    row.number, row.holder, row.valid_until = _checked(row.scheme, number, holder, valid_until,
                                                       now.date())
    for key, value in _file(document).items():
        setattr(row, key, value)
    row.warned_at, row.lapsed_at, row.updated_at = None, None, now
    await uow.session.flush()
    await changed(uow, row)
    return _held(row, now.date())


async def remove(uow: UnitOfWork, actor_id: int, certificate_id: int) -> Held:
    """Take a certificate off the profile; listings claiming its scheme no longer show it."""
    row = await _own(uow, actor_id, certificate_id)
    gone = _held(row, uow.clock.now().date())
    await uow.session.delete(row)
    await uow.session.flush()
    await changed(uow, row)
    return gone


async def document_of(uow: UnitOfWork, viewer_id: int, certificate_id: int) -> Document:
    """The document of a certificate on the viewer's profile."""
    company_id = await _owner(uow, viewer_id)
    row = (await uow.session.execute(select(Certificate).where(
        Certificate.id == certificate_id, _mine(viewer_id, company_id)))).scalar_one_or_none()
    if row is None:
        raise NotFound(_("That certificate is not on your profile."))
    return Document(row.file_path, row.file_name, row.mime_type)


async def changed(uow: UnitOfWork, row: Certificate) -> None:
    """Tell the catalogue a certificate changed (added, replaced, removed, or past its last
    valid day): the listings it backs — of the company's members, or of the member — are read
    again by search (core.catalog.claims)."""
    if row.company_id is None:
        sellers: tuple[int, ...] = (row.account_id,)
    else:
        sellers = tuple((await uow.session.execute(select(CompanyMember.account_id).where(
            CompanyMember.company_id == row.company_id).order_by(
                CompanyMember.account_id))).scalars())
    uow.emit(CertificateChanged(row.scheme, sellers))


def _file(document: Document) -> dict[str, str]:
    """The document's columns; its checksum is the name the file store gave it."""
    return {"file_path": document.path, "file_name": document.name[:200],
            "mime_type": document.mime_type, "sha256": PurePosixPath(document.path).stem[:64]}
