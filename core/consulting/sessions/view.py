"""A live session as its chat shows it: a frozen read model (DESIGN 18) with the rate and the
charge as Money, built by core from the row, so the session's flow never holds the row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.consulting.sessions.money import charged_of, rate_of
from core.consulting.sessions.tables import ConsultSession
from core.money.model import Money


@dataclass(frozen=True)
class SessionView:
    """Who takes part, at what rate, where the session stands and what it cost."""

    id: int
    status: str  # the session process's state (core.consulting.sessions.lifecycle)
    seeker_id: int
    consultant_id: int
    rate: Money  # per minute or per session, as `rate_unit` says
    rate_unit: str  # session30 | session60 | minute
    started_at: datetime | None
    paid_from: datetime | None  # the start plus the free window
    ended_at: datetime | None
    charged: Money | None  # once it ended (nothing, in the free minutes)
    prepaid: bool = False  # paid from a session package: its share, no card, no extension


def session_view(session: ConsultSession) -> SessionView:
    """The read model of a session's row."""
    return SessionView(id=session.id, status=session.status, seeker_id=session.seeker_id,
                       consultant_id=session.consultant_id, rate=rate_of(session),
                       rate_unit=session.rate_unit, started_at=session.started_at,
                       paid_from=session.paid_from, ended_at=session.ended_at,
                       charged=charged_of(session),
                       prepaid=session.escrow_ref.startswith("package:"))
