"""Which handler runs for which event, in which order, as the composition root wires the bus.

Handlers of one event run one after another in the order they were registered (core.events), so
moving a registration may change what a person reads first or which money step runs before
which. These tests hold the wiring to what it was when it was all written in one place."""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from typing import Any

from config.container import build
from core.events import Event, EventBus
from core.process.effects import After, During
from tests.support.containers import settings_for

Line = tuple[str, str, str]  # phase, event class, handler

URLS = {"sqlite": "sqlite+aiosqlite:///{dir}/wiring.db",
        # never connected: building the application opens no connection
        "postgres": "postgresql+asyncpg://agora@127.0.0.1:9/wiring"}


def _owner(obj: object) -> str:
    """A module-level object's name (`core.deals.notices.book.DEALS`), else its class's."""
    found = sorted(f"{name}.{attr}" for name, module in list(sys.modules.items())
                   if name.split(".")[0] in ("core", "payments", "config")
                   and not name.endswith("wiring")
                   for attr, value in list(vars(module).items()) if value is obj)
    return found[0] if found else f"{type(obj).__module__}.{type(obj).__qualname__}"


def handler_name(handler: Any) -> str:
    """A handler as `module.qualname`; a bound method by the object it is bound to; a
    process's effect as `process/effect:` and the handler carrying it out."""
    if isinstance(handler, During | After):
        return f"{handler.process.name}/{handler.effect}:{handler_name(handler.handler)}"
    owner = getattr(handler, "__self__", None)
    if owner is not None:
        return f"{_owner(owner)}.{handler.__func__.__name__}"
    return f"{handler.__module__}.{handler.__qualname__}"


def _lines(bus: EventBus) -> list[Line]:
    """Per phase, each event class in the order the bus first heard of it, with its handlers in
    the order they run."""
    return [(phase, kind.__qualname__, handler_name(handler))
            for phase, by_kind in (("during", bus._during), ("after", bus._after))
            for kind, handlers in by_kind.items() for handler in handlers]


def _parse(text: str) -> list[Line]:
    return [(phase, kind, handler) for phase, kind, handler in
            (line.split() for line in text.strip().splitlines())]


async def wired(backend: str) -> tuple[list[Line], dict[str, type[Event]]]:
    """The bus of an application built as every process builds it, as lines, and the event
    classes it names."""
    with tempfile.TemporaryDirectory() as data:
        app = build(settings_for(URLS[backend].format(dir=data), data_dir=data))
        try:
            bus = app.bus
            kinds = {kind.__qualname__: kind for kind in (*bus._during, *bus._after)}
            return _lines(bus), kinds
        finally:
            await app.close()


def _every_subclass(kind: type[Event]) -> set[type[Event]]:
    return {kind}.union(*(_every_subclass(sub) for sub in kind.__subclasses__()))


def _run_for(lines: list[Line], phase: str, event: type[Event], kinds: dict[str, type[Event]]
             ) -> list[str]:
    """The handlers an event of this class meets, in order (core.events.EventBus.handle_during:
    every class it is an instance of, in the order the bus first heard of each)."""
    return [handler for p, kind, handler in lines
            if p == phase and kind in kinds and issubclass(event, kinds[kind])]


async def test_every_handler_is_wired_for_the_events_it_always_was():
    lines, _ = await wired("sqlite")
    assert Counter(lines) == Counter(_parse(WIRED))


async def test_each_event_meets_its_handlers_in_the_order_it_always_did():
    """An event's handlers run in the order they were registered; an event of a subclass
    (BookingConfirmed is a BookingMoved) meets those of each class in the order the bus first
    heard of the class."""
    lines, kinds = await wired("sqlite")
    expected = _parse(WIRED)
    events = set[type[Event]]().union(*(_every_subclass(kind) for kind in kinds.values()))
    assert len(events) > len(kinds)  # the subclasses are checked too
    for event in sorted(events, key=lambda e: e.__qualname__):
        for phase in ("during", "after"):
            assert _run_for(lines, phase, event, kinds) == _run_for(expected, phase, event, kinds), (
                f"{phase} {event.__qualname__}")


async def test_after_commit_a_transaction_s_events_meet_their_handlers_in_the_same_order():
    """After COMMIT every handler whose class is among the transaction's events runs, class by
    class in the order the bus first heard of them: the money bridges, then the indexes and the
    dispatcher's wake-up, as before."""
    lines, _ = await wired("sqlite")
    assert [line for line in lines if line[0] == "after"] == [
        line for line in _parse(WIRED) if line[0] == "after"]


async def test_on_postgresql_listing_seller_and_profile_changes_also_join_the_change_feed():
    on_sqlite, _ = await wired("sqlite")
    on_postgres, _ = await wired("postgres")
    assert Counter(on_postgres) == Counter(on_sqlite) + Counter(_parse(ON_POSTGRES))
    for phase, kind, handler in _parse(ON_POSTGRES):  # after every other handler of its event
        assert [h for p, k, h in on_postgres if (p, k) == (phase, kind)][-1] == handler


# The bus as the app wired it when every context's handlers were registered in
# config/event_wiring.py: a line per registration, each event class in the order the bus first
# heard of it, its handlers in the order they run. Since the contexts are listed in
# config/contexts.py, the deposits' bridge stands with the deals it belongs to, so the bus hears
# of DepositAsked and DepositSettled before the sessions' and promotions' events: no transaction
# emits both (a tender's deposit and a consultant's session), and every event meets its own
# handlers in the order it always did. A deal's transport (core.deals.freight) is wired with the
# deals after the deposits: its freight's bridge hears a payment after the deposits' bridge, and
# a deal's move releases a delivered transport's freight before the deal earns points. An
# inspection booked into a deal (core.consulting.inspections) is wired with the consultants
# after their packages: its fee's bridge hears an authorisation after the sessions' handlers. A
# company's webhooks (core.webhooks) are wired last: each event meets them after every other
# handler of it, and the bus hears of DocumentIssued in a transaction only there.
WIRED = """
during EscrowFunded            payments.notices.on_funded
during EscrowFunded            payments.bridges.deals.DealPayments.on_funded
during EscrowFunded            payments.bridges.deposits.DepositPayments.on_funded
during EscrowFunded            payments.bridges.freight.FreightPayments.on_funded
during EscrowFunded            payments.bridges.packages.PackagePayments.on_funded
during EscrowFunded            payments.loyalty.on_paid
during PaymentAuthorised       payments.notices.on_funded
during PaymentAuthorised       payments.bridges.sessions.SessionPayments.on_authorised
during PaymentAuthorised       core.consulting.sessions.link.on_authorised
during PaymentAuthorised       payments.bridges.inspections.InspectionPayments.on_authorised
during PaymentAuthorised       payments.loyalty.on_paid
during PromotionCharged        payments.notices.on_funded
during PromotionCharged        payments.bridges.sessions.SessionPayments.on_charged
during PromotionCharged        payments.bridges.promotions.PromotionPayments.on_charged
during PaymentDeclined         payments.notices.on_declined
during EscrowReleased          payments.settlement_notices.on_released
during PaymentSettled          payments.settlement_notices.on_settled
during PayoutSent              payments.settlement_notices.on_paid_out
during PayoutWaiting           payments.settlement_notices.on_payout_waiting
during DirectPaymentProposed   payments.direct.on_proposed
during DirectPaymentDeclined   payments.direct.on_declined
during PaymentArrangedDirectly payments.direct.on_arranged
during PaymentArrangedDirectly payments.bridges.deals.DealPayments.on_funded
during LatePaymentRefunded     payments.direct.on_late_refund
during TransferShort           payments.transfer_notices.on_short
during TransferOverpaid        payments.transfer_notices.on_overpaid
during TransfersReturned       payments.transfer_notices.on_returned
during CryptoPaymentSeen       payments.crypto_notices.on_seen
during CryptoShort             payments.crypto_notices.on_short
during CryptoOverpaid          payments.crypto_notices.on_overpaid
during CryptoLate              payments.crypto_notices.on_late
during CryptoInvoiceClosed     payments.crypto_notices.on_closed
during CryptoReturnClaimable   payments.crypto_notices.on_claimable
during VerificationCodeIssued  core.notifications.account_notices.email_code
during IdentityLinked          core.notifications.account_notices.channel_linked
during MemberJoined            core.companies.notices.on_joined
during TermsApproved           core.companies.notices.on_terms_approved
during JoinRequested           core.companies.notices.on_join_requested
during JoinRefused             core.companies.notices.on_join_refused
during AccountRegistered       core.companies.notices.on_registered
during DealMoved               deal/close-unpaid-escrow:payments.bridges.deals.DealPayments.close_unpaid
during DealMoved               core.deals.notices.book.DEALS.on_moved
during DealMoved               deal/start-contract:core.deals.contracts.service.start_on_accepted
during DealMoved               deal/lapse-contract:core.deals.contracts.service.lapse_on_cancelled
during DealMoved               deal/settle-bid-deposit:core.deals.requests.bid_deposits.on_deal_ended
during DealMoved               deal/give-back-award:core.deals.request_award.on_deal_unfulfilled
during DealMoved               deal/record-carbon:core.deals.carbon.records.on_deal_completed
during DealMoved               core.deals.freight.notices.on_deal_moved
during DealMoved               deal/earn-points:core.loyalty.earning.on_deal_completed
during DealMoved               core.webhooks.payloads.deal_moved
during BankTransferChosen      payments.bridges.deals.DealPayments.on_transfer_chosen
during PurchaseHeld            core.deals.approvals.notices.on_held
during PurchaseDecided         core.deals.approvals.notices.on_decided
during ApprovalsChatChosen     core.deals.approvals.notices.on_chat_chosen
during OfferMade               core.deals.notices.negotiations.on_offer_made
during OfferMade               core.webhooks.payloads.offer_made
during RequestPosted           core.deals.requests.notices.on_posted
during RequestCancelled        core.deals.requests.notices.on_cancelled
during BidPlaced               core.deals.requests.notices.on_bid
during RequestQuestionAsked    core.deals.requests.notices.on_question_asked
during RequestQuestionAnswered core.deals.requests.notices.on_question_answered
during OfferClosed             core.deals.notices.book.OFFERS.on_moved
during OfferClosed             core.deals.notices.negotiations.on_counter_closed
during DealAgreed              core.deals.notices.parties.on_deal_agreed
during DealAgreed              core.webhooks.payloads.deal_agreed
during MessagePosted           core.deals.notices.negotiations.on_message_posted
during ShipmentUpdated         core.deals.notices.after_sale.on_shipment_updated
during DisputeQuestion         core.deals.notices.after_sale.on_dispute_question
during DisputeDecided          core.deals.notices.after_sale.on_dispute_decided
during RatingsPublished        core.deals.notices.after_sale.on_ratings_published
during ThreadReported          core.deals.notices.negotiations.on_thread_reported
during TermsChanged            core.deals.notices.parties.on_terms_changed
during TermsAccepted           core.deals.notices.terms.on_terms_accepted
during AwardUndone             core.deals.requests.notices.on_award_undone
during ContractMoved           core.deals.notices.book.CONTRACTS.on_moved
during ContractMoved           core.webhooks.payloads.contract_moved
during FreightAsked            core.deals.freight.notices.on_asked
during FreightQuoted           core.deals.freight.notices.on_quoted
during FreightBooked           core.deals.freight.notices.on_booked
during FreightMoved            core.deals.freight.notices.on_moved
during SessionCreated          payments.bridges.sessions.SessionPayments.on_created
during AuthorisationVoided     payments.bridges.sessions.SessionPayments.on_voided
during AuthorisationVoided     payments.bridges.inspections.InspectionPayments.on_voided
during SessionJoined           core.consulting.sessions.notices.on_joined
during SessionJoined           core.consulting.sessions.link.on_joined
during SessionMoved            core.consulting.sessions.notices.SESSIONS.on_moved
during SessionMoved            session/count-session:core.consulting.sessions.reviews.on_took_place
during SessionMoved            session/booking-in-session:core.consulting.sessions.link.on_started
during SessionMoved            session/booking-completed:core.consulting.sessions.link.on_took_place
during SessionMoved            session/booking-no-show:core.consulting.sessions.link.on_no_show
during SessionMoved            session/booking-called-off:core.consulting.sessions.link.on_called_off
during SessionMoved            session/earn-points:core.loyalty.earning.on_session_took_place
during SessionMessagePosted    core.consulting.sessions.exchange_notices.on_message
during CallLinkSet             core.consulting.sessions.exchange_notices.on_call_link
during RecapGranted            core.consulting.sessions.exchange_notices.on_recap_granted
during SessionReviewed         core.consulting.sessions.exchange_notices.on_reviewed
during SessionReviewed         core.consulting.sessions.link.on_reviewed
during SessionReviewed         core.loyalty.earning.on_session_reviewed
during ReviewReplied           core.consulting.sessions.exchange_notices.on_replied
during BookingRequested        core.consulting.bookings.notices.parties.on_requested
during BookingMoved            core.consulting.booking_notices.BOOKINGS.on_moved
during BookingMoved            core.consulting.bookings.calendar_out.on_moved
during BookingMoved            core.consulting.packages.drawing.on_booking_moved
during AuthorisationOpened     core.consulting.bookings.notices.payment.on_authorisation_opened
during CardRequested           core.consulting.bookings.notices.payment.on_card_requested
during MethodSaved             core.consulting.bookings.notices.payment.on_method_saved
during MethodSaved             payments.bridges.packages.PackagePayments.on_method_saved
during AuthorisedOnSavedCard   core.consulting.bookings.notices.payment.on_authorised_on_saved_card
during CalendarReady           core.consulting.bookings.calendar_out.on_ready
during BookingConfirmed        core.consulting.sessions.link.open_instant
during SessionDue              core.consulting.sessions.link.on_session_due
during BookingCancelled        core.consulting.sessions.link.on_booking_ended
during SeekerNoShow            core.consulting.sessions.link.on_booking_ended
during InspectionBooked        core.consulting.inspections.notices.on_booked
during InspectionMoved         core.consulting.inspections.notices.on_moved
during ListingAwaitsReview     core.catalog.notices.tell_admins
during ListingApproved         core.catalog.notices.approved
during ListingRejected         core.catalog.notices.rejected
during ListingMatchedInstantSearch core.catalog.alert_notices.instant_alert
during CertificateChanged      core.catalog.claims.on_certificate_changed
during TicketOpened            core.support.notices.on_opened
during TicketMessagePosted     core.support.notices.on_message
during TicketMoved             core.support.notices.TICKETS.on_moved
during BoardPostAdded          core.community.notices.on_post_added
during BoardPostReported       core.community.notices.on_reported
during BoardPostHidden         core.community.notices.on_hidden
during GatheringStarted        core.learning.notices.GATHERINGS.on_moved
during RecordingAdded          core.learning.notices.on_recording
during DealRated               core.loyalty.earning.on_deal_rated
during DocumentIssued          core.webhooks.payloads.document_issued
after  DealMoved               deal/open-escrow:payments.bridges.deals.DealPayments.after.<locals>.follow
after  DealMoved               deal/invoice-on-terms:payments.bridges.deals.DealPayments.after.<locals>.follow
after  DealMoved               deal/release-escrow:payments.bridges.deals.DealPayments.after.<locals>.follow
after  DealMoved               deal/refund-escrow:payments.bridges.deals.DealPayments.after.<locals>.follow
after  TransfersReturned       payments.bridges.deals.DealPayments.after_transfers_returned
after  TransferOverpaid        payments.bridges.deals.DealPayments.after_transfers_returned
after  LatePaymentRefunded     payments.bridges.deals.DealPayments.after_transfers_returned
after  CryptoOverpaid          payments.bridges.deals.DealPayments.after_transfers_returned
after  CryptoLate              payments.bridges.deals.DealPayments.after_transfers_returned
after  BiddingClosed           core.deals.requests.notices.told_after_close.<locals>.tell
after  DepositAsked            payments.bridges.deposits.DepositPayments.after_asked
after  DepositSettled          payments.bridges.deposits.DepositPayments.after_settled
after  FreightBooked           payments.bridges.freight.FreightPayments.after_booked
after  FreightSettled          payments.bridges.freight.FreightPayments.after_settled
after  SessionMoved            session/settle-payment:payments.bridges.sessions.SessionPayments.after_end
after  PaymentAuthorised       payments.bridges.sessions.SessionPayments.after_authorised
after  ExtensionRequested      payments.bridges.sessions.SessionPayments.after_extension
after  RecapRequested          payments.bridges.sessions.SessionPayments.after_recap
after  PromotionRequested      payments.bridges.promotions.PromotionPayments.after_requested
after  BookingMoved            payments.bridges.bookings.BookingMoney.after_moves
after  PackageBought           payments.bridges.packages.PackagePayments.after_bought
after  PackageSessionUsed      payments.bridges.packages.PackagePayments.after_used
after  PackageExpired          payments.bridges.packages.PackagePayments.after_expired
after  RetainerSubscribed      payments.bridges.packages.PackagePayments.after_subscribed
after  RetainerMonthDue        payments.bridges.packages.PackagePayments.after_month_due
after  InspectionBooked        payments.bridges.inspections.InspectionPayments.after_booked
after  InspectionSettled       payments.bridges.inspections.InspectionPayments.after_settled
after  ProfileChanged          config.event_wiring.directory_upkeep.<locals>.handle
after  AccountSuspended        config.event_wiring.directory_upkeep.<locals>.handle
after  AccountSuspended        config.catalog_wiring.index_upkeep.<locals>.handle
after  Event                   config.event_wiring.register.<locals>.wake
after  ListingPublished        config.catalog_wiring.index_upkeep.<locals>.handle
after  ListingChanged          config.catalog_wiring.index_upkeep.<locals>.handle
"""

# On PostgreSQL each listing, seller and profile change also joins the change feed
# (config.catalog_wiring.record_changes).
ON_POSTGRES = """
during ListingPublished        config.catalog_wiring.record_changes.<locals>.listing
during ListingChanged          config.catalog_wiring.record_changes.<locals>.listing
during AccountSuspended        config.catalog_wiring.record_changes.<locals>.account
during ProfileChanged          config.catalog_wiring.record_changes.<locals>.consultant
"""
