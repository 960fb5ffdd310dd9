"""APScheduler in-process: periodic housekeeping. One-off due work lives in domain tables."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete

from bots.catalog_jobs import add_catalog_jobs, add_index_jobs
from config.container import Container
from core.certificates import expiry as certificate_expiry
from core.consulting.bookings import due as booking_due
from core.consulting.inspections import service as inspections
from core.consulting.packages import notices as package_notices
from core.consulting.packages import retainers
from core.consulting.packages import settlement as package_settlement
from core.consulting.profiles import promotions
from core.consulting.sessions import service as sessions
from core.deals import contract_due, due
from core.deals.freight import journey as freight_journey
from core.deals.requests import auction_close
from core.deals.requests import notices as request_notices
from core.learning import due as gathering_due
from core.market import index_publish
from core.recommend import weekly as weekly_picks
from core.storage.tables import ProcessedUpdate
from core.storage.uow import UowFactory
from core.support import due as ticket_due
from core.webhooks import pruning as webhook_pruning
from payments import terms_reminders
from payments.bridges.bookings import BookingMoney
from payments.bridges.deals import DealPayments
from payments.bridges.deposits import DepositPayments
from payments.bridges.freight import FreightPayments
from payments.bridges.inspections import InspectionPayments
from payments.bridges.packages import PackagePayments
from payments.bridges.sessions import SessionPayments


def build_scheduler(container: Container, *, leader_jobs: bool = True,
                    worker_jobs: bool = True) -> AsyncIOScheduler:
    """The timed jobs: those the scheduler leader runs for everyone (`leader_jobs`) and those
    each worker runs for itself, keeping its search indexes in step (`worker_jobs`)."""
    quiet_scheduler_logs()
    scheduler = AsyncIOScheduler(timezone="UTC")
    if worker_jobs:
        add_index_jobs(scheduler, container)
        scheduler.add_job(_sync_directory, "interval", seconds=30, args=[container],
                          id="directory-sync", max_instances=1, coalesce=True,
                          replace_existing=True)
        # Companies' webhooks: every worker sends what is due; each try is claimed once in the
        # database (core.webhooks.delivery), so workers share the queue without sending twice.
        if container.webhooks is not None:
            scheduler.add_job(container.webhooks.run_once, "interval", seconds=5,
                              id="webhooks", max_instances=1, coalesce=True,
                              replace_existing=True)
    if leader_jobs:
        add_leader_jobs(scheduler, container)
    return scheduler


START_AFTER = timedelta(seconds=2)  # the worker is serving by then


def at_start() -> dict[str, datetime | None]:
    """A periodic job's first run just after the scheduler starts, not one interval later: the
    money steps a crash interrupted (a release between its deal's commit and the payment, say)
    are taken when a worker comes back, not minutes after."""
    return {"next_run_time": datetime.now(UTC) + START_AFTER,
            "misfire_grace_time": None}  # late on a busy start-up: run all the same


def quiet_scheduler_logs() -> None:
    """APScheduler logs every run of every job at INFO ("Running job…", "…executed
    successfully"): hundreds of lines an hour that bury the start-up box and real problems.
    Its warnings (a run missed) and errors (a job raised, with the traceback) still show."""
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def add_leader_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    """Jobs run once for all workers (each is idempotent besides: safe late, or twice)."""
    scheduler.add_job(container.dispatcher.run_once, "interval", seconds=30, id="outbox-sweep",
                      max_instances=1, coalesce=True, replace_existing=True)
    scheduler.add_job(_forget_old_updates, "interval", hours=6, args=[container],
                      id="forget-processed-updates", max_instances=1, coalesce=True,
                      replace_existing=True)
    assert container.payments is not None  # config.container.build sets it
    scheduler.add_job(container.payments.recover, "interval", minutes=2, id="payments-recover",
                      max_instances=1, coalesce=True, replace_existing=True, **at_start())
    scheduler.add_job(container.payments.number_invoices, "interval", minutes=1,
                      id="payments-number-invoices", max_instances=1, coalesce=True,
                      replace_existing=True)
    scheduler.add_job(container.payments.settle_expiring, "interval", hours=1,
                      id="payments-expiring-authorisations", max_instances=1, coalesce=True,
                      replace_existing=True)
    add_catalog_jobs(scheduler, container)
    add_deal_jobs(scheduler, container)
    add_booking_jobs(scheduler, container)
    # Support tickets past their first-answer deadline: every admin is told, once per ticket.
    scheduler.add_job(ticket_due.run_all, "interval", seconds=60, args=[container.uow],
                      id="ticket-timers", max_instances=1, coalesce=True, replace_existing=True)
    # Weekly picks: every hour, for those whose Monday morning it is (once per person-week).
    scheduler.add_job(send_weekly_picks, "cron", minute=0, args=[container], id="weekly-picks",
                      max_instances=1, coalesce=True, replace_existing=True)
    # Webinars and events: reminders 24 h and 15 min before, the join link at the start.
    scheduler.add_job(gathering_due.run_all, "interval", seconds=30, args=[container.uow],
                      id="gathering-timers", max_instances=1, coalesce=True, replace_existing=True)
    scheduler.add_job(gathering_due.remind_all, "interval", seconds=60, args=[container.uow],
                      id="gathering-reminders", max_instances=1, coalesce=True,
                      replace_existing=True)
    # Companies' webhook events settled a month ago are forgotten with their deliveries.
    scheduler.add_job(webhook_pruning.forget_old, "interval", hours=24, args=[container.uow],
                      id="webhooks-forget", max_instances=1, coalesce=True,
                      replace_existing=True)
    # Profile certificates: the holder is told a month before one runs out, once.
    scheduler.add_job(certificate_expiry.run, "interval", hours=1, args=[container.uow],
                      id="certificate-expiry", max_instances=1, coalesce=True,
                      replace_existing=True, **at_start())
    # Price indices: each ended ISO week computed once and its followers told, hourly (a week
    # is stored once per index, so a late run or a second leader changes nothing).
    scheduler.add_job(index_publish.publish_due, "cron", minute=5, args=[container.uow],
                      id="price-indices", max_instances=1, coalesce=True,
                      replace_existing=True, **at_start())


# Seconds: how often the bidding close looks again when no deadline is nearer (a tender or an
# auction opened meanwhile, a worker taking the lead); it wakes at each deadline itself.
CLOSE_LOOKS_EVERY = 0.5
CLOSE_JOB = "bidding-close"
log = logging.getLogger(__name__)


async def _close_bidding(uow: UowFactory) -> None:
    """Close what is due (each close commits alone; its results are told just after), and
    tell any results a crash left untold."""
    await auction_close.close_due(uow)
    await request_notices.tell_untold(uow)


def add_bidding_close(scheduler: AsyncIOScheduler, container: Container) -> None:
    """Tenders and auctions close at their deadline. One run at a time, each planning the next
    at the nearest deadline (a bid extending it only moves it later) or CLOSE_LOOKS_EVERY from
    now: never a run skipped because the last one still goes, however busy the worker, and no
    polling four times a second while nothing is due."""

    async def close_then_plan() -> None:
        stopping = False
        try:
            await _close_bidding(container.on_time_uow)
        except asyncio.CancelledError:
            # The worker stops: nothing to plan. Reading the next deadline here would wait on
            # an engine being closed, and the loop's shutdown would wait for it forever.
            stopping = True
            raise
        finally:
            if not stopping:
                scheduler.add_job(close_then_plan, "date", run_date=await _next_look(container),
                                  id=CLOSE_JOB, replace_existing=True, misfire_grace_time=None,
                                  max_instances=2)

    scheduler.add_job(close_then_plan, "date", run_date=datetime.now(UTC), id=CLOSE_JOB,
                      replace_existing=True, misfire_grace_time=None)


async def _next_look(container: Container) -> datetime:
    """When the bidding close runs next: the nearest deadline, at most CLOSE_LOOKS_EVERY on."""
    now = datetime.now(UTC)
    latest = now + timedelta(seconds=CLOSE_LOOKS_EVERY)
    try:
        deadline = await auction_close.next_deadline(container.on_time_uow)
    except Exception:  # the database is away: look again soon (its error is the job's to log)
        log.warning("bidding close: the next deadline could not be read", exc_info=True)
        return latest
    if deadline is None:
        return latest
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    # The deadline is in the application's clock; the scheduler keeps the wall clock.
    wait = deadline - container.clock.now()
    return min(latest, now + max(wait, timedelta(0)))


async def send_weekly_picks(container: Container) -> None:
    """The weekly message of picks, Monday morning in each person's zone, once a week."""
    async with container.uow() as uow:
        await weekly_picks.send_weekly(uow)
        await uow.commit()


def add_deal_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    """Due offer and deal timers every 30 s, reminders every minute, the deals' money steps
    left undone every 5 minutes. Each job is safe late, twice, or on two workers."""
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True}
    scheduler.add_job(due.run_all, "interval", seconds=30, args=[container.uow],
                      id="deal-timers", **common)
    scheduler.add_job(due.remind_all, "interval", seconds=60, args=[container.uow],
                      id="deal-reminders", **common)
    # Tenders and auctions close at their deadline, each claimed once
    # (core.deals.requests.auction_close).
    add_bidding_close(scheduler, container)
    # Framework contracts: call-offs due on their dates, and the notices before them.
    scheduler.add_job(contract_due.run, "interval", seconds=60, args=[container.uow],
                      id="contract-timers", **common)
    assert container.payments is not None
    scheduler.add_job(DealPayments(container.payments).catch_up, "interval", minutes=5,
                      id="deal-money-catch-up", **common, **at_start())
    scheduler.add_job(DepositPayments(container.payments).catch_up, "interval", minutes=5,
                      id="deposit-money-catch-up", **common, **at_start())
    # Transports: closed unbooked when their loading window opens; their freight's money moved
    # where a crash left it (core.deals.freight, payments.bridges.freight).
    scheduler.add_job(_close_transports, "interval", minutes=5, args=[container.uow],
                      id="freight-close", **common)
    scheduler.add_job(FreightPayments(container.payments).catch_up, "interval", minutes=5,
                      id="freight-money-catch-up", **common, **at_start())
    # Inspections: lapsed without results by their deadline; their fee captured or voided
    # where a crash left it (core.consulting.inspections, payments.bridges.inspections).
    scheduler.add_job(_lapse_inspections, "interval", minutes=5, args=[container.uow],
                      id="inspections-lapse", **common)
    scheduler.add_job(InspectionPayments(container.payments).catch_up, "interval", minutes=5,
                      id="inspection-money-catch-up", **common, **at_start())
    # Invoices on terms: the reminders before and after the due date, each on its day, once.
    scheduler.add_job(terms_reminders.run, "interval", minutes=30, args=[container.uow],
                      id="terms-reminders", **common)
    add_session_jobs(scheduler, container)


def add_session_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    """Session timers and their reminders every 15 s (the free window's end, the booked end,
    a no-show; what is charged reads the recorded times, not when the job ran), and the
    sessions' money steps left undone every 5 minutes."""
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True}
    scheduler.add_job(_session_timers, "interval", seconds=15, args=[container],
                      id="session-timers", **common)
    assert container.payments is not None
    scheduler.add_job(SessionPayments(container.payments).catch_up, "interval", minutes=5,
                      id="session-money-catch-up", **common, **at_start())


async def _session_timers(container: Container) -> None:
    async with container.uow() as uow:
        await sessions.run_due(uow)
        await uow.commit()


def add_booking_jobs(scheduler: AsyncIOScheduler, container: Container) -> None:
    """Due booking timers every 30 s, reminders every minute, the bookings' money steps left
    undone every 5 minutes, promotion reminders hourly, consultants' calendars read."""
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True}
    assert container.payments is not None and container.directory is not None
    scheduler.add_job(booking_due.run_all, "interval", seconds=30,
                      args=[container.uow, container.payments], id="booking-timers", **common)
    scheduler.add_job(booking_due.remind_all, "interval", seconds=60, args=[container.uow],
                      id="booking-reminders", **common)
    scheduler.add_job(BookingMoney(container.payments, container.uow).catch_up, "interval",
                      minutes=5, id="booking-money-catch-up", **common, **at_start())
    scheduler.add_job(_remind_promotions, "interval", hours=1, args=[container],
                      id="promotion-reminders", max_instances=1, coalesce=True,
                      replace_existing=True)
    scheduler.add_job(settle_packages, "interval", minutes=15, args=[container],
                      id="package-expiry", **common, **at_start())
    if container.calendars is not None:  # consultants' own calendars, each read every 5 minutes
        scheduler.add_job(container.calendars.refresh_due, "interval", minutes=1,
                          id="calendar-reading", **common)


async def settle_packages(container: Container) -> int:
    """Retainers whose month ended start (and are charged for) the next; session packages
    past their time have their unused sessions refunded or kept by each one's rule, and those
    a week from it remind their holder; then any package money step a crash left. Returns how
    many packages expired."""
    assert container.payments is not None
    async with container.uow() as uow:
        await retainers.renew_due(uow)
        expired = await package_settlement.expire_due(uow)
        await package_notices.remind_expiring(uow)
        await uow.commit()
    await PackagePayments(container.payments).catch_up()
    return len(expired)


async def _sync_directory(container: Container) -> None:
    assert container.directory is not None
    async with container.uow() as uow:
        await container.directory.sync(uow)


async def _forget_old_updates(container: Container) -> None:
    """Channel update ids only need remembering while a channel may still retry them."""
    cutoff = container.clock.now() - timedelta(days=7)
    async with container.uow() as uow:
        await uow.session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.created_at < cutoff))
        await uow.commit()


async def _remind_promotions(container: Container) -> None:
    """Consultants whose promotion ends within two days are told once, with Renew."""
    async with container.uow() as uow:
        await promotions.remind_ending(uow)
        await uow.commit()


async def _lapse_inspections(uow_factory: UowFactory) -> None:
    """Inspections without results by their deadline lapse (core.consulting.inspections)."""
    async with uow_factory() as uow:
        await inspections.lapse_due(uow)
        await uow.commit()


async def _close_transports(uow_factory: UowFactory) -> None:
    """Requests for transport whose window opened unbooked close (core.deals.freight.journey)."""
    async with uow_factory() as uow:
        await freight_journey.close_due(uow)
        await uow.commit()
