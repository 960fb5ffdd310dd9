"""Which handler runs for which event: notices inside the emitting transaction, index upkeep and
the dispatcher's wake-up after commit. New contexts add their handlers here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from config.catalog_wiring import index_upkeep
from core.accounts.events import AccountRegistered, AccountSuspended, IdentityLinked, VerificationCodeIssued
from core.catalog import notices as catalog_notices
from core.catalog.events import (
    ListingApproved,
    ListingAwaitsReview,
    ListingChanged,
    ListingPublished,
    ListingRejected,
)
from core.catalog.search import Catalog
from core.community import events as community
from core.community import notices as community_notices
from core.companies import notices as company_notices
from core.companies.events import (
    ApprovalsChatChosen,
    JoinRefused,
    JoinRequested,
    MemberJoined,
    TermsApproved,
)
from core.consulting import booking_notices as booking_book
from core.consulting import events as booking
from core.consulting.bookings import calendar_out
from core.consulting.bookings.notices import parties as booking_notices
from core.consulting.events import PromotionRequested
from core.consulting.packages import service as package_service
from core.consulting.packages.events import (
    PackageBought,
    PackageExpired,
    PackageSessionUsed,
    RetainerMonthDue,
    RetainerSubscribed,
)
from core.consulting.profiles.directory import Directory
from core.consulting.sessions import link as session_link
from core.consulting.sessions import notices as session_notices
from core.consulting.sessions import reviews
from core.consulting.sessions.events import (
    CallLinkSet,
    ExtensionRequested,
    RecapGranted,
    RecapRequested,
    ReviewReplied,
    SessionCreated,
    SessionJoined,
    SessionMessagePosted,
    SessionMoved,
    SessionReviewed,
)
from core.deals import bid_deposits, contracts, request_award
from core.deals.events import (
    AwardUndone,
    BiddingClosed,
    BidPlaced,
    ContractMoved,
    DealAgreed,
    DealMoved,
    DealRated,
    DepositAsked,
    DepositSettled,
    DisputeDecided,
    DisputeQuestion,
    MessagePosted,
    OfferClosed,
    OfferMade,
    PurchaseDecided,
    PurchaseHeld,
    RequestCancelled,
    RequestPosted,
    RequestQuestionAnswered,
    RequestQuestionAsked,
    ShipmentUpdated,
    TermsAccepted,
    TermsChanged,
    ThreadReported,
)
from core.deals.notices import approvals as approval_notices
from core.deals.notices import book as notice_book
from core.deals.notices import parties as deal_notices
from core.deals.notices import requests as request_notices
from core.deals.notices import terms as terms_notices
from core.events import Event, EventBus
from core.learning import events as learning
from core.learning import notices as learning_notices
from core.loyalty import earning
from core.money import events as money
from core.notifications import account_notices
from core.notifications.dispatcher import OutboxDispatcher
from core.storage.uow import UowFactory
from core.support import events as support
from core.support import notices as support_notices
from payments import direct, notices, transfer_notices
from payments import loyalty as loyalty_money
from payments.bridges.bookings import BookingMoney
from payments.bridges.deals import DealPayments
from payments.bridges.deposits import DepositPayments
from payments.bridges.packages import PackagePayments
from payments.bridges.promotions import PromotionPayments
from payments.bridges.sessions import SessionPayments
from payments.service import PaymentsService


def _deposits(bus: EventBus, bridge: DepositPayments) -> None:
    """Tenders' and auctions' bid deposits: core decides, the money layer moves the money."""
    bus.after_commit(DepositAsked, bridge.after_asked)
    bus.during_commit(money.EscrowFunded, bridge.on_funded)
    bus.during_commit(DealMoved, bid_deposits.on_deal_moved)
    bus.during_commit(DealMoved, request_award.on_deal_moved)  # an award's deal that ended
    bus.during_commit(AwardUndone, request_notices.on_award_undone)
    bus.after_commit(DepositSettled, bridge.after_settled)


def register(bus: EventBus, *, catalog: Catalog, uow: UowFactory,
             dispatcher: OutboxDispatcher, payments: PaymentsService,
             directory: Directory | None = None) -> None:
    """Every handler of this process, registered once at start."""
    _payment_notices(bus)
    bus.during_commit(VerificationCodeIssued, account_notices.email_code)
    bus.during_commit(IdentityLinked, account_notices.channel_linked)
    bridge = DealPayments(payments)
    bus.during_commit(money.EscrowFunded, bridge.on_funded)
    bus.during_commit(money.PaymentArrangedDirectly, bridge.on_funded)
    bus.during_commit(DealMoved, bridge.on_moved)
    bus.after_commit(DealMoved, bridge.after_moves)
    bus.during_commit(money.BankTransferChosen, bridge.on_transfer_chosen)
    for back in (money.TransfersReturned, money.TransferOverpaid, money.LatePaymentRefunded):
        bus.after_commit(back, bridge.after_transfers_returned)
    _deal_notices(bus)
    bus.after_commit(BiddingClosed, request_notices.told_after_close(uow))  # its own transaction
    _sessions(bus, SessionPayments(payments))
    promoted = PromotionPayments(payments)
    bus.after_commit(PromotionRequested, promoted.after_requested)
    bus.during_commit(money.PromotionCharged, promoted.on_charged)
    bus.during_commit(DealMoved, contracts.on_deal_moved)  # call-off 1 starts its contract
    _deposits(bus, DepositPayments(payments))
    bus.during_commit(ContractMoved, notice_book.CONTRACTS.on_moved)
    bus.during_commit(ListingAwaitsReview, catalog_notices.tell_admins)
    bus.during_commit(ListingApproved, catalog_notices.approved)
    bus.during_commit(ListingRejected, catalog_notices.rejected)
    _consulting(bus, uow, payments)
    _support(bus)
    _community(bus)
    _loyalty(bus)
    if directory is not None:
        bus.after_commit(booking.ProfileChanged, directory_upkeep(directory, uow))
        bus.after_commit(AccountSuspended, directory_upkeep(directory, uow))

    async def wake(events: Sequence[Event]) -> None:
        # Notices were written to the outbox in the same transaction; send them now rather
        # than at the dispatcher's next poll.
        dispatcher.wake()

    bus.after_commit(Event, wake)
    upkeep = index_upkeep(catalog, uow)
    bus.after_commit(ListingPublished, upkeep)
    bus.after_commit(ListingChanged, upkeep)
    bus.after_commit(AccountSuspended, upkeep)  # the seller's listings leave or rejoin search


def _payment_notices(bus: EventBus) -> None:
    for funded in (money.EscrowFunded, money.PaymentAuthorised, money.PromotionCharged):
        bus.during_commit(funded, notices.on_funded)
    bus.during_commit(money.PaymentDeclined, notices.on_declined)
    bus.during_commit(money.EscrowReleased, notices.on_released)
    bus.during_commit(money.PaymentSettled, notices.on_settled)
    bus.during_commit(money.PayoutSent, notices.on_paid_out)
    bus.during_commit(money.PayoutWaiting, notices.on_payout_waiting)
    bus.during_commit(money.DirectPaymentProposed, direct.on_proposed)
    bus.during_commit(money.DirectPaymentDeclined, direct.on_declined)
    bus.during_commit(money.PaymentArrangedDirectly, direct.on_arranged)
    bus.during_commit(money.LatePaymentRefunded, direct.on_late_refund)
    bus.during_commit(money.TransferShort, transfer_notices.on_short)
    bus.during_commit(money.TransferOverpaid, transfer_notices.on_overpaid)
    bus.during_commit(money.TransfersReturned, transfer_notices.on_returned)


def _sessions(bus: EventBus, bridge: SessionPayments) -> None:
    bus.during_commit(SessionCreated, bridge.on_created)
    bus.during_commit(money.PaymentAuthorised, bridge.on_authorised)
    bus.during_commit(money.PromotionCharged, bridge.on_charged)
    bus.during_commit(money.AuthorisationVoided, bridge.on_voided)
    bus.after_commit(SessionMoved, bridge.after_moves)
    bus.after_commit(money.PaymentAuthorised, bridge.after_authorised)
    bus.after_commit(ExtensionRequested, bridge.after_extension)
    bus.after_commit(RecapRequested, bridge.after_recap)
    bus.during_commit(SessionJoined, session_notices.on_joined)
    bus.during_commit(SessionMoved, session_notices.SESSIONS.on_moved)  # as declared
    bus.during_commit(SessionMoved, reviews.on_session_moved)
    bus.during_commit(SessionMessagePosted, session_notices.on_message)
    bus.during_commit(CallLinkSet, session_notices.on_call_link)
    bus.during_commit(RecapGranted, session_notices.on_recap_granted)
    bus.during_commit(SessionReviewed, session_notices.on_reviewed)
    bus.during_commit(ReviewReplied, session_notices.on_replied)


def _deal_notices(bus: EventBus) -> None:
    bus.during_commit(PurchaseHeld, approval_notices.on_held)
    bus.during_commit(PurchaseDecided, approval_notices.on_decided)
    bus.during_commit(ApprovalsChatChosen, approval_notices.on_chat_chosen)
    bus.during_commit(MemberJoined, company_notices.on_joined)
    bus.during_commit(TermsApproved, company_notices.on_terms_approved)
    bus.during_commit(JoinRequested, company_notices.on_join_requested)
    bus.during_commit(JoinRefused, company_notices.on_join_refused)
    bus.during_commit(AccountRegistered, company_notices.on_registered)
    bus.during_commit(OfferMade, deal_notices.on_offer_made)
    bus.during_commit(RequestPosted, request_notices.on_posted)
    bus.during_commit(RequestCancelled, request_notices.on_cancelled)
    bus.during_commit(BidPlaced, request_notices.on_bid)
    bus.during_commit(RequestQuestionAsked, request_notices.on_question_asked)
    bus.during_commit(RequestQuestionAnswered, request_notices.on_question_answered)
    bus.during_commit(OfferClosed, notice_book.OFFERS.on_moved)  # as declared, by transition
    bus.during_commit(OfferClosed, deal_notices.on_counter_closed)  # a request's quote
    bus.during_commit(DealAgreed, deal_notices.on_deal_agreed)
    bus.during_commit(DealMoved, notice_book.DEALS.on_moved)
    bus.during_commit(MessagePosted, deal_notices.on_message_posted)
    bus.during_commit(ShipmentUpdated, deal_notices.on_shipment_updated)
    bus.during_commit(DisputeQuestion, deal_notices.on_dispute_question)
    bus.during_commit(DisputeDecided, deal_notices.on_dispute_decided)
    bus.during_commit(ThreadReported, deal_notices.on_thread_reported)
    bus.during_commit(TermsChanged, deal_notices.on_terms_changed)
    bus.during_commit(TermsAccepted, terms_notices.on_terms_accepted)


def _consulting(bus: EventBus, uow: UowFactory, payments: PaymentsService) -> None:
    """Bookings: notices in the transaction; the money step (authorise, void, fee) after it."""
    bus.after_commit(booking.BookingMoved, BookingMoney(payments, uow).after_moves)
    bus.during_commit(booking.BookingRequested, booking_notices.on_requested)
    bus.during_commit(booking.BookingMoved, booking_book.BOOKINGS.on_moved)  # as declared
    bus.during_commit(booking.AuthorisationOpened, booking_notices.on_authorisation_opened)
    bus.during_commit(booking.CardRequested, booking_notices.on_card_requested)
    bus.during_commit(money.MethodSaved, booking_notices.on_method_saved)
    bus.during_commit(booking.AuthorisedOnSavedCard, booking_notices.on_authorised_on_saved_card)
    # The consultant's own calendar shows each agreed time (core.consulting.bookings.calendar_out).
    bus.during_commit(booking.BookingMoved, calendar_out.on_moved)
    bus.during_commit(booking.CalendarReady, calendar_out.on_ready)
    _journey(bus)
    _packages(bus, PackagePayments(payments))


def _packages(bus: EventBus, bridge: PackagePayments) -> None:
    """Session packages: bought, paid, drawn by bookings, each used session paid out and the
    unused ones settled at expiry (core.consulting.packages, payments.bridges.packages)."""
    bus.after_commit(PackageBought, bridge.after_bought)
    bus.during_commit(money.EscrowFunded, bridge.on_funded)
    bus.during_commit(booking.BookingMoved, package_service.on_booking_moved)
    bus.after_commit(PackageSessionUsed, bridge.after_used)
    bus.after_commit(PackageExpired, bridge.after_expired)
    bus.after_commit(RetainerSubscribed, bridge.after_subscribed)
    bus.during_commit(money.MethodSaved, bridge.on_method_saved)
    bus.after_commit(RetainerMonthDue, bridge.after_month_due)


def _journey(bus: EventBus) -> None:
    """A booking and its session as one journey (core.consulting.sessions.link): the booking
    opens the session and cancels it; the session's start, end and no-show move the booking."""
    bus.during_commit(booking.BookingConfirmed, session_link.open_instant)
    bus.during_commit(booking.SessionDue, session_link.on_session_due)
    bus.during_commit(booking.BookingCancelled, session_link.on_booking_ended)
    bus.during_commit(booking.SeekerNoShow, session_link.on_booking_ended)
    bus.during_commit(SessionMoved, session_link.on_session_moved)
    bus.during_commit(SessionJoined, session_link.on_joined)
    bus.during_commit(money.PaymentAuthorised, session_link.on_authorised)
    bus.during_commit(SessionReviewed, session_link.on_reviewed)


def _support(bus: EventBus) -> None:
    """Tickets: operators hear of new tickets, answers and breached deadlines; the asker hears
    an operator's answer on the channel they asked from."""
    bus.during_commit(support.TicketOpened, support_notices.on_opened)
    bus.during_commit(support.TicketMessagePosted, support_notices.on_message)
    bus.during_commit(support.TicketMoved, support_notices.TICKETS.on_moved)  # as declared


def _community(bus: EventBus) -> None:
    """Boards: posts and replies relayed to followers, reports to admins, hidden posts'
    authors told. Webinars: the join link at the start, the recording when added."""
    bus.during_commit(community.BoardPostAdded, community_notices.on_post_added)
    bus.during_commit(community.BoardPostReported, community_notices.on_reported)
    bus.during_commit(community.BoardPostHidden, community_notices.on_hidden)
    bus.during_commit(learning.GatheringStarted, learning_notices.GATHERINGS.on_moved)
    bus.during_commit(learning.RecordingAdded, learning_notices.on_recording)


def directory_upkeep(directory: Directory, uow: UowFactory
                     ) -> Callable[[Sequence[Event]], Awaitable[None]]:
    """An after-commit handler keeping this worker's consultant index in step with profiles."""

    async def handle(events: Sequence[Event]) -> None:
        async with uow() as tx:
            await directory.on_events(tx, list(events))

    return handle


def _loyalty(bus: EventBus) -> None:
    """Points, posted in the transaction of the event that earned them."""
    bus.during_commit(DealMoved, earning.on_deal_moved)
    bus.during_commit(DealRated, earning.on_deal_rated)
    bus.during_commit(SessionMoved, earning.on_session_moved)
    bus.during_commit(SessionReviewed, earning.on_session_reviewed)
    bus.during_commit(money.EscrowFunded, loyalty_money.on_paid)
    bus.during_commit(money.PaymentAuthorised, loyalty_money.on_paid)
