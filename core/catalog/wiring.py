"""The catalogue's event handlers: moderation's notices. Its search index is kept by the
composition root (config.catalog_wiring), which holds each worker's index."""

from __future__ import annotations

from core.catalog import alert_notices, claims, notices
from core.catalog.events import (
    ListingApproved,
    ListingAwaitsReview,
    ListingMatchedInstantSearch,
    ListingRejected,
)
from core.certificates.events import CertificateChanged
from core.events import EventBus
from core.wiring import Wiring


def wire(bus: EventBus, deps: Wiring) -> None:
    """Admins hear of a listing awaiting review; its seller of the decision; a buyer of a
    listing their instant saved search matched; search re-reads the listings a changed profile
    certificate backs."""
    bus.during_commit(ListingAwaitsReview, notices.tell_admins)
    bus.during_commit(ListingApproved, notices.approved)
    bus.during_commit(ListingRejected, notices.rejected)
    bus.during_commit(ListingMatchedInstantSearch, alert_notices.instant_alert)
    bus.during_commit(CertificateChanged, claims.on_certificate_changed)
