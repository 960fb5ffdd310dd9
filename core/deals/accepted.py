"""What a seller accepts, applied to offers and Buy now: an offer's way to pay must be one the
seller takes, and its currency one they accept — each refusal says what they do accept. A
seller who chose nothing takes everything (core.accounts.accepted)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.accounts import accepted
from core.accounts.book import book_of
from core.deals import pay_terms
from core.errors import DomainError
from core.i18n import _
from core.storage.uow import UnitOfWork

# An offer's way to pay (core.deals.rules.PAYMENT_METHODS) and the seller's choices that let
# it: escrow is paid by card, bank transfer or crypto on the pay page.
ESCROW_WAYS = ("card", "transfer", "crypto")
NEEDS = {"escrow": ESCROW_WAYS, "direct": ("direct",),
         **{key: ("terms",) for key in pay_terms.METHODS}}


@dataclass(frozen=True)
class Accepts:
    """A seller's choices; empty: not chosen, everything accepted."""

    currencies: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()


def offer_methods(accepts: Accepts) -> tuple[str, ...]:
    """The offers' ways to pay this seller takes, in the offers' order."""
    return tuple(key for key, needs in NEEDS.items()
                 if any(accepted.accepts_method(accepts.methods, need) for need in needs))


def escrow_ways(accepts: Accepts, ways: Iterable[str]) -> tuple[str, ...]:
    """Of the pay page's ways (“card”, “transfer”, “crypto”), those this seller takes."""
    return tuple(way for way in ways if accepted.accepts_method(accepts.methods, way))


def check(accepts: Accepts, currency: str, payment_method: str) -> None:
    """Refuse an offer in a currency, or paid in a way, the seller does not accept."""
    if accepts.currencies and currency not in accepts.currencies:
        raise DomainError(_("The seller accepts offers in {currencies} only.",
                            currencies=", ".join(accepts.currencies)))
    if payment_method in NEEDS and payment_method not in offer_methods(accepts):
        raise DomainError(_("The seller doesn't take that way to pay; they accept: {methods}.",
                            methods=accepted.method_names(accepts.methods)))


def check_way(accepts: Accepts, way: str) -> None:
    """Refuse paying into escrow in a way (“card”, “transfer”, “crypto”) the seller does not
    take."""
    if not accepted.accepts_method(accepts.methods, way):
        raise DomainError(_("The seller doesn't take that way to pay; they accept: {methods}.",
                            methods=accepted.method_names(accepts.methods)))


async def of_account(uow: UnitOfWork, account_id: int | None) -> Accepts:
    """What the account accepts as a seller (nothing chosen: everything; no one: everything)."""
    member = await book_of(uow).member(account_id) if account_id is not None else None
    if member is None:
        return Accepts()
    return Accepts(tuple(member.currencies), tuple(member.payment_methods))


async def check_payee_way(uow: UnitOfWork, kind: str, payee_id: int | None, way: str) -> None:
    """Refuse paying goods in a way their seller does not take (anything else: every way)."""
    if kind == "goods":
        check_way(await of_account(uow, payee_id), way)


async def payee_ways(uow: UnitOfWork, kind: str, payee_id: int | None
                     ) -> tuple[str, ...] | None:
    """The ways (“card”, “transfer”, “crypto”) goods may be paid into escrow in: those their
    seller takes. None: every way — anything but goods, or a seller who chose nothing (whose
    payments are offered every method, as before these choices existed)."""
    if kind != "goods":
        return None
    accepts = await of_account(uow, payee_id)
    return escrow_ways(accepts, ESCROW_WAYS) if accepts.methods else None
