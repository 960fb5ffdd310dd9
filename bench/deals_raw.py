"""The raw-SQL baseline of a whole deal: the same rows as the services, hand-written statements.

Transaction by transaction as the services run them: offer; counter; accept (offer closed, stock
reserved by one guarded update, deal, first terms); each party's acceptance of the terms (the
second moves the deal) and the escrow opened after it; payment (escrow held, fund journal,
notices, invoice, deal to ship); shipped; delivered; confirmed (a guarded update, so a double tap
moves once); the release with its payout operation; the payout; each rating. Every state change
is a conditional update; timers are started and stopped as the process declares; invoices are
numbered after commit by the shared passes of bench/escrow_raw.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench import deals_raw_money as money
from bench.deals_services import COUNTER, OFFER, QUANTITY
from bench.escrow_raw import numbering
from core.catalog.taxonomy import COMPARATOR_G_MJ, TYPES, carbon_saving_kg

DAY = timedelta(days=1)
TIMERS = {("offer", "open"): ("expire-offer", 2 * DAY), ("deal", "agreed"): ("cancel-unpaid", 3 * DAY),
          ("deal", "awaiting_payment"): ("cancel-unpaid", 3 * DAY),
          ("deal", "to_ship"): ("cancel-not-shipped", 14 * DAY),
          ("deal", "delivered"): ("auto-confirm", 14 * DAY),
          ("deal", "completed"): ("close-reviews", 14 * DAY)}
LISTING = text("SELECT seller_id, status, currency, min_order_milli, quantity_milli FROM listings "
               "WHERE id = :id")
NEW_OFFER = text(
    "INSERT INTO offers (listing_id, buyer_id, seller_id, made_by, status, quantity_milli, "
    "price_minor, currency, incoterm, previous_id, expires_at, created_at) VALUES (:listing, "
    ":buyer, :seller, :by, 'open', :qty, :price, 'EUR', 'EXW', :previous, :expires, :now) "
    "RETURNING id")
CLOSE_OFFER = text(
    "UPDATE offers SET status = :to, decided_at = :now WHERE id = :id AND status = 'open' AND "
    ":actor = CASE made_by WHEN 'buyer' THEN seller_id ELSE buyer_id END "
    "RETURNING listing_id, buyer_id, seller_id, quantity_milli, price_minor, incoterm, place")
START = text("INSERT INTO process_timers (process, subject_id, state, fires, due_at) "
             "VALUES (:process, :id, :state, :fires, :due)")
STOP = text("UPDATE process_timers SET done_at = :now WHERE process = :process AND "
            "subject_id = :id AND state IN :states AND done_at IS NULL"
            ).bindparams(bindparam("states", expanding=True))
RESERVE = text(
    "UPDATE listings SET quantity_milli = quantity_milli - :qty, updated_at = :now, status = "
    "CASE WHEN quantity_milli = :qty THEN 'sold_out' ELSE status END WHERE id = :id AND "
    "status = 'published' AND quantity_milli >= :qty RETURNING product_type, title, unit, specs")
CATALOG_CHANGE = text(  # the listing's stock changed: search's index follows (core.storage.change_feed)
    "WITH c AS (INSERT INTO catalog_changes (kind, ref_id, created_at) VALUES ('listing', :id, "
    ":now) RETURNING seq) SELECT pg_notify('catalog_changes', seq::text) FROM c")
NEW_DEAL = text(
    "INSERT INTO deals (offer_id, listing_id, buyer_id, seller_id, status, quantity_milli, "
    "price_minor, currency, created_at, updated_at) VALUES (:offer, :listing, :buyer, :seller, "
    "'agreed', :qty, :price, 'EUR', :now, :now) RETURNING id")
NEW_TERMS = text("INSERT INTO deal_terms (deal_id, version, body, sha256, created_at) "
                 "VALUES (:deal, 1, :body, :sha, :now)")
TERMS = ("SELECT t.id, t.sha256 FROM deal_terms t JOIN deals d ON d.id = t.deal_id WHERE "
         "t.deal_id = :deal AND d.{}_id = :actor ORDER BY t.version DESC LIMIT 1")  # a party's
ACCEPT_TERMS = ("UPDATE deal_terms SET {0} = :now WHERE id = :id AND sha256 = :sha AND {0} IS NULL "
                "RETURNING buyer_accepted_at, seller_accepted_at")
MOVES = {  # transition: sources, target, who may take it (a column, or the system)
    "accept-terms": (("agreed",), "awaiting_payment", None),
    "payment-received": (("awaiting_payment",), "to_ship", None),
    "mark-shipped": (("to_ship",), "shipped", "seller_id"),
    "mark-delivered": (("shipped",), "delivered", "seller_id"),
    "confirm-receipt": (("shipped", "delivered"), "completed", "buyer_id")}
MOVE_DEAL = ("UPDATE deals SET status = :to, updated_at = :now WHERE id = :id AND status IN ({}) "
             "{} RETURNING status")
SHIPMENT = text("INSERT INTO shipments (deal_id, carrier, tracking, status, updated_at) "
                "VALUES (:id, 'DSV', 'CMR-1', 'dispatched', :now)")
DELIVERED = text("UPDATE shipments SET status = 'delivered', updated_at = :now WHERE deal_id = :id")
RATE = text(
    "INSERT INTO ratings (deal_id, rater_id, ratee_id, stars, aspects, created_at) SELECT id, "
    ":rater, CASE WHEN buyer_id = :rater THEN seller_id ELSE buyer_id END, :stars, '{}', :now "
    "FROM deals WHERE id = :id AND status = 'completed' AND :rater IN (buyer_id, seller_id)")
RATED = text("SELECT count(*) FROM ratings WHERE deal_id = :id")
PUBLISH = text("UPDATE ratings SET published_at = :now WHERE deal_id = :id AND published_at IS NULL")
# What each party is told when a deal enters a state (core/deals/notices/parties.py): (buyer, seller).
TOLD = {"awaiting_payment": (True, True), "to_ship": (True, True), "shipped": (True, False),
        "delivered": (True, True), "completed": (True, True)}
REWRITTEN = {"shipped": (False, True)}  # whose latest card is rewritten instead of a new notice
REFERRERS = text("SELECT account_id, referred_by FROM loyalty_members WHERE account_id IN (:a, :b)")
PARTIES = text("SELECT buyer_id, seller_id FROM deals WHERE id = :id")
# The deal's carbon record (core/deals/carbon): its receipt's figure, kept once per deal.
DELIVERED_ENERGY = text(
    "SELECT d.quantity_milli, l.product_type, l.unit, l.energy_mwh_per_unit FROM deals d "
    "JOIN listings l ON l.id = d.listing_id WHERE d.id = :id")
CARBON = text(
    "INSERT INTO carbon_records (deal_id, buyer_id, seller_id, product_type, quantity_milli, unit, "
    "energy_mwh_per_unit, end_use, comparator_g_mj, product_g_mj, avoided_g, completed_at, "
    "created_at) VALUES (:id, :buyer, :seller, :kind, :milli, :unit, :energy, :end_use, "
    ":comparator, :own, :avoided, :now, :now) ON CONFLICT (deal_id) DO NOTHING")
STANDING = text(
    "SELECT (SELECT coalesce(sum(stars), 0) FROM ratings WHERE ratee_id = :a AND published_at IS "
    "NOT NULL) AS total, (SELECT count(*) FROM ratings WHERE ratee_id = :a AND published_at IS NOT "
    "NULL) AS n, (SELECT count(*) FROM deals WHERE (seller_id = :a OR buyer_id = :a) AND status IN "
    "('completed', 'closed')) AS done, (SELECT avg(stars) FROM ratings WHERE published_at IS NOT "
    "NULL) AS mean")
STATS = text("INSERT INTO seller_stats (account_id, rating_x10, ratings, deals) VALUES (:a, :r, :n, "
             ":d) ON CONFLICT (account_id) DO UPDATE SET rating_x10 = :r, ratings = :n, deals = :d")


def _now() -> datetime:
    return datetime.now(UTC)


def _move_statement(transition: str) -> tuple[object, str, tuple[str, ...]]:
    sources, target, who = MOVES[transition]
    marks = ", ".join(f"'{s}'" for s in sources)
    guard = f"AND {who} = :actor" if who else ""
    return text(MOVE_DEAL.format(marks, guard)), target, sources


_MOVES = {name: _move_statement(name) for name in MOVES}


class RawDeals:
    """The steps of bench/deals_services.py, as hand-written SQL on the engine."""

    def __init__(self, db: AsyncEngine) -> None:
        self.db = db

    async def negotiate(self, listing_id: int, buyer: int, seller: int) -> int:
        """The buyer offers, the seller counters; returns the counter-offer's id."""
        async with self.db.begin() as conn:
            await _listing_allows(conn, listing_id, buyer)
            first = await _offer(conn, listing_id, buyer, seller, "buyer", OFFER.amount, None)
        async with self.db.begin() as conn:
            closed = (await conn.execute(CLOSE_OFFER, {"to": "countered", "now": _now(),
                                                       "id": first, "actor": seller})).first()
            assert closed is not None, "the offer was answered already"
            await _stop(conn, "offer", first, "open")
            await _listing_allows(conn, listing_id, buyer)
            return await _offer(conn, listing_id, buyer, seller, "seller", COUNTER.amount, first)

    async def agree(self, offer_id: int, buyer: int) -> int | None:
        """The buyer accepts the counter; None when the stock was gone (all rolled back)."""
        now = _now()
        async with self.db.connect() as conn, conn.begin() as tx:
            offer = (await conn.execute(CLOSE_OFFER, {"to": "accepted", "now": now, "id": offer_id,
                                                      "actor": buyer})).one()
            await _stop(conn, "offer", offer_id, "open")
            listing = (await conn.execute(RESERVE, {"qty": offer.quantity_milli, "now": now,
                                                    "id": offer.listing_id})).first()
            if listing is None:
                await tx.rollback()
                return None
            await conn.execute(CATALOG_CHANGE, {"id": offer.listing_id, "now": now})
            deal = (await conn.execute(NEW_DEAL, {
                "offer": offer_id, "listing": offer.listing_id, "buyer": offer.buyer_id,
                "seller": offer.seller_id, "qty": offer.quantity_milli, "price": offer.price_minor,
                "now": now})).scalar_one()
            await _start(conn, "deal", deal, "agreed")
            body = {"buyer_id": offer.buyer_id, "seller_id": offer.seller_id,
                    "listing_id": offer.listing_id, "product": listing.product_type,
                    "title": listing.title, "unit": listing.unit, "quantity": f"{QUANTITY:f}",
                    "unit_price": str(COUNTER.decimal), "currency": "EUR",
                    "incoterm": offer.incoterm, "place": offer.place,
                    "specs": dict(listing.specs or {}), "offer_id": offer_id}
            canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            await conn.execute(NEW_TERMS, {"deal": deal, "body": json.dumps(body), "now": now,
                                           "sha": hashlib.sha256(canonical.encode()).hexdigest()})
            await money.notify(conn, (offer.buyer_id, offer.seller_id), f"deal {deal} agreed")
        return deal

    async def finish(self, deal_id: int, buyer: int, seller: int, double_tap: bool) -> int:
        """Terms, payment, shipment, confirmation and ratings; returns the confirmations won."""
        for role, party, other in (("buyer", buyer, seller), ("seller", seller, buyer)):
            both = await self._accept_terms(deal_id, role, party, other)
        assert both, "the second acceptance moves the deal"
        await money.open_escrow(self.db, deal_id, buyer, seller, int(COUNTER.amount * QUANTITY))
        async with self.db.begin() as conn:
            await money.hold(conn, deal_id, buyer, seller)
            await _take(conn, deal_id, "payment-received", None)
        await numbering(self.db).request()
        async with self.db.begin() as conn:
            await _take(conn, deal_id, "mark-shipped", seller)
            await conn.execute(SHIPMENT, {"id": deal_id, "now": _now()})
        async with self.db.begin() as conn:
            await _take(conn, deal_id, "mark-delivered", seller)
            await conn.execute(DELIVERED, {"id": deal_id, "now": _now()})
        taps = await asyncio.gather(*(self._confirm(deal_id, buyer)
                                      for _ in range(2 if double_tap else 1)))
        for rater, stars in ((buyer, 5), (seller, 4)):
            await self._rate(deal_id, rater, stars)
        return sum(taps)

    async def _accept_terms(self, deal_id: int, role: str, party: int, other: int) -> bool:
        """A party accepts the latest version by its fingerprint; True once both have (the
        first acceptance is told to the other party)."""
        async with self.db.begin() as conn:
            terms = (await conn.execute(text(TERMS.format(role)), {"deal": deal_id,
                                                                   "actor": party})).one()
            accepted = (await conn.execute(text(ACCEPT_TERMS.format(f"{role}_accepted_at")), {
                "now": _now(), "id": terms.id, "sha": terms.sha256})).one()
            both = all(accepted)
            if both:
                await _take(conn, deal_id, "accept-terms", None)
            else:
                await money.notify(conn, (other,), f"deal {deal_id}: {role} accepted the terms")
        return both

    async def _confirm(self, deal_id: int, buyer: int) -> int:
        """The buyer confirms (once, whatever the taps); then the release and the payout."""
        async with self.db.begin() as conn:
            if not await _take(conn, deal_id, "confirm-receipt", buyer):
                return 0
        escrow = await money.release(self.db, deal_id)
        await money.pay_out(self.db, escrow, deal_id)
        return 1

    async def _rate(self, deal_id: int, rater: int, stars: int) -> None:
        async with self.db.begin() as conn:
            now = _now()
            done = await conn.execute(RATE, {"id": deal_id, "rater": rater, "stars": stars,
                                             "now": now})
            assert done.rowcount == 1, "a party rates a completed deal"
            await money.earn(conn, "rating", rater, f"deal:{deal_id}")
            if (await conn.execute(RATED, {"id": deal_id})).scalar_one() == 2:
                await conn.execute(PUBLISH, {"id": deal_id, "now": now})
                parties = (await conn.execute(PARTIES, {"id": deal_id})).one()
                for ratee in parties:
                    await _standing(conn, ratee)
                await money.notify(conn, tuple(parties), f"deal {deal_id}: ratings published")


async def _standing(conn: AsyncConnection, account: int) -> None:
    """The ratee's reputation row (a Bayesian average, as core.deals.ratings.service.refresh)."""
    row = (await conn.execute(STANDING, {"a": account})).one()
    mean = float(row.mean or 4)
    score = (10 * mean + row.total) / (10 + row.n)
    await conn.execute(STATS, {"a": account, "r": round(score * 10), "n": row.n, "d": row.done})


async def _listing_allows(conn: AsyncConnection, listing_id: int, buyer: int) -> None:
    """An offer's checks: someone else's published listing, in EUR, with enough stock."""
    listing = (await conn.execute(LISTING, {"id": listing_id})).one()
    ok = (listing.seller_id != buyer and listing.status == "published" and listing.currency == "EUR"
          and (listing.min_order_milli or 0) <= QUANTITY * 1000 <= listing.quantity_milli)
    assert ok, "the offer is within the listing's limits"


async def _offer(conn: AsyncConnection, listing_id: int, buyer: int, seller: int, by: str,
                 price: int, previous: int | None) -> int:
    now = _now()
    offer = (await conn.execute(NEW_OFFER, {
        "listing": listing_id, "buyer": buyer, "seller": seller, "by": by, "qty": QUANTITY * 1000,
        "price": price, "previous": previous, "expires": now + 2 * DAY, "now": now})).scalar_one()
    await _start(conn, "offer", offer, "open")
    await money.notify(conn, (seller if by == "buyer" else buyer,), f"offer {offer}")
    return int(offer)


async def _start(conn: AsyncConnection, process: str, subject: int, state: str) -> None:
    if (process, state) in TIMERS:
        fires, after = TIMERS[(process, state)]
        await conn.execute(START, {"process": process, "id": subject, "state": state,
                                   "fires": fires, "due": _now() + after})


async def _stop(conn: AsyncConnection, process: str, subject: int, *states: str) -> None:
    await conn.execute(STOP, {"now": _now(), "process": process, "id": subject,
                              "states": list(states)})


async def _take(conn: AsyncConnection, deal_id: int, transition: str, actor: int | None) -> bool:
    """A deal transition by a guarded update; False when the deal was no longer there."""
    statement, target, sources = _MOVES[transition]
    moved = (await conn.execute(statement, {"to": target, "now": _now(), "id": deal_id,
                                            "actor": actor})).first()
    if moved is None:
        return False
    await _stop(conn, "deal", deal_id, *sources)  # only the one it left has a running timer
    await _start(conn, "deal", deal_id, target)
    if target in TOLD:
        parties = (await conn.execute(PARTIES, {"id": deal_id})).one()
        told = [p for p, yes in zip(parties, TOLD[target], strict=True) if yes]
        rewritten = [p for p, yes in zip(parties, REWRITTEN.get(target, (False, False)),
                                         strict=True) if yes]
        await money.notify(conn, tuple(told), f"deal {deal_id} {target}", tuple(rewritten),
                           f"deal:{deal_id}")
        if target == "completed":  # both earn points; a referred member's referrer would too
            referred = (await conn.execute(REFERRERS, {"a": parties[0], "b": parties[1]})).all()
            assert not [row for row in referred if row.referred_by], "nobody here was referred"
            for party in parties:
                await money.earn(conn, "deal", party, f"deal:{deal_id}")
            await _carbon(conn, deal_id, parties)
    return True


async def _carbon(conn: AsyncConnection, deal_id: int, parties: tuple[int, int]) -> None:
    """The completed deal's CO₂e avoided, by the RED II method, kept once."""
    milli, kind, unit, energy = (await conn.execute(DELIVERED_ENERGY, {"id": deal_id})).one()
    product = TYPES.get(kind, TYPES["other"])
    comparator = COMPARATOR_G_MJ[product.end_use]
    avoided = carbon_saving_kg(product.code, Decimal(milli) / 1000 * Decimal(energy))
    await conn.execute(CARBON, {
        "id": deal_id, "buyer": parties[0], "seller": parties[1], "kind": product.code,
        "milli": milli, "unit": unit, "energy": energy, "end_use": product.end_use,
        "comparator": str(comparator), "own": str(product.ghg_g_mj),
        "avoided": int(avoided * 1000), "now": _now()})
