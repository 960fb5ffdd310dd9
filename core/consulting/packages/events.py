"""What packages tell the money layer (payments.bridges.packages), after commit."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event
from core.money.model import Money


@dataclass(frozen=True)
class PackageBought(Event):
    """A seeker chose a package: its payment is to be opened (`package:<purchase_id>`)."""

    purchase_id: int
    seeker_id: int
    consultant_id: int
    price: Money


@dataclass(frozen=True)
class PackageSessionUsed(Event):
    """A session of a package was used: its share goes to the consultant (a fee's worth of it,
    the rest back to the seeker, when it was cancelled late or missed)."""

    purchase_id: int
    booking_id: int


@dataclass(frozen=True)
class PackageExpired(Event):
    """A package's time ran out: its unused sessions are refunded or kept, by its rule."""

    purchase_id: int


@dataclass(frozen=True)
class RetainerSubscribed(Event):
    """A seeker agreed to a monthly retainer: the card it is charged to is to be saved
    (`retainer:<retainer_id>`)."""

    retainer_id: int
    seeker_id: int
    price: Money


@dataclass(frozen=True)
class RetainerMonthDue(Event):
    """A retainer's month starts: its package (`package:<purchase_id>`) is to be charged to
    the saved card."""

    retainer_id: int
    purchase_id: int
    seeker_id: int
    consultant_id: int
    price: Money
