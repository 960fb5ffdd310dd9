"""The month-before notice: the holder of a certificate that runs out within a month is told
once (`warned_at`, claimed by a conditional update, so a second run or a second worker sends
nothing); a replaced certificate is told again for its new last day.

The lapse: on the day after a certificate's last valid day the listings it backs are
re-indexed, so search stops counting their claim (`lapsed_at`, claimed alike: once; the
catalogue hears `CertificateChanged`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select, update

from core.actions import Action
from core.certificates import rules
from core.certificates.intents import CertificateIntent
from core.certificates.service import changed
from core.certificates.tables import Certificate
from core.companies.rules import may
from core.companies.tables import CompanyMember
from core.i18n import _, dates
from core.notifications.outbox import addressed_to, notify
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def warn_due(uow: UnitOfWork) -> list[int]:
    """Tell the holder of each certificate whose month-before day has come, once; the ids
    of the certificates told."""
    today = uow.clock.now().date()
    horizon = rules.months_before(today, -rules.WARN_MONTHS)
    rows = (await uow.session.execute(select(Certificate).where(
        Certificate.warned_at.is_(None), Certificate.valid_until >= today,
        Certificate.valid_until <= horizon).order_by(Certificate.id))).scalars().all()
    told = []
    for row in rows:
        if not rules.warning_due(row.valid_until, today, warned=False):
            continue
        try:
            async with uow.nested():  # one notice that fails stops only itself
                claimed = await uow.session.execute(update(Certificate).where(
                    Certificate.id == row.id, Certificate.warned_at.is_(None))
                    .values(warned_at=uow.clock.now()))
                if claimed.rowcount != 1:  # type: ignore[attr-defined]
                    continue  # told by another worker a moment ago
                for account_id in await _holders(uow, row):
                    await _tell(uow, account_id, row)
        except Exception:
            log.exception("certificate %s's expiry notice not sent", row.id)
            continue
        told.append(row.id)
    return told


async def _holders(uow: UnitOfWork, row: Certificate) -> list[int]:
    """Who is told: the member, or the company's admins (those who may renew it)."""
    if row.company_id is None:
        return [row.account_id]
    members = (await uow.session.execute(select(CompanyMember).where(
        CompanyMember.company_id == row.company_id))).scalars().all()
    admins = sorted(m.account_id for m in members if may(list(m.roles or []), "manage"))
    return admins or [row.account_id]


async def _tell(uow: UnitOfWork, account_id: int, row: Certificate) -> None:
    async with addressed_to(uow, account_id):
        await notify(uow, account_id, _(
            "⏳ Your {scheme} certificate {number} runs out on {day}. Add the renewed one to "
            "your profile's certificates, or listings stop showing it as certified after that "
            "day.",
            scheme=rules.scheme_name(row.scheme), number=row.number,
            day=dates.day(row.valid_until)),
            buttons=[[Action(CertificateIntent.CERTIFICATES, _("📜 Certificates"))]])


async def lapse_due(uow: UnitOfWork) -> list[int]:
    """Re-index the listings of each certificate past its last valid day, once; the ids of
    the certificates that lapsed."""
    today = uow.clock.now().date()
    rows = (await uow.session.execute(select(Certificate).where(
        Certificate.lapsed_at.is_(None), Certificate.valid_until < today)
        .order_by(Certificate.id))).scalars().all()
    lapsed = []
    for row in rows:
        if rules.is_valid(row.valid_until, today):
            continue
        claimed = await uow.session.execute(update(Certificate).where(
            Certificate.id == row.id, Certificate.lapsed_at.is_(None))
            .values(lapsed_at=uow.clock.now()))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # seen by another worker a moment ago
        await changed(uow, row)
        lapsed.append(row.id)
    return lapsed


async def run(uow_factory: Callable[[], UnitOfWork]) -> list[int]:
    """The scheduler's job: tell what is due and re-index what lapsed, in one transaction;
    the ids of the certificates told."""
    async with uow_factory() as uow:
        told = await warn_due(uow)
        await lapse_due(uow)
        await uow.commit()
    return told
