"""Carbon records on the database (SQLite and PostgreSQL): a deal completing keeps one record of
what its carbon receipt shows, however often the completion is delivered; the member's totals
and yearly statement read it; the migration records the deals completed before it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select, text

from core.deals.after_sale.carbon_receipt import carbon_receipt
from core.deals.carbon import records
from core.deals.carbon.statement import carbon_statement_pdf
from core.deals.carbon.tables import CarbonRecord
from core.deals.events import DealMoved
from core.storage.schema import alembic_config, upgrade
from tests.deals.carbon_helpers import completed_deal
from tests.support import containers, databases
from tests.support.containers import settings_for
from tests.support.pdf import pdf_text


async def test_a_completed_deal_keeps_one_carbon_record_even_when_the_completion_comes_twice(app):
    sam, bob, deal_id = await completed_deal(app)
    again = DealMoved(deal_id, "confirm-receipt", "shipped", "completed", "buyer")
    for _ in range(2):  # the completion delivered twice more: nothing more is kept
        async with app.uow() as uow:
            await records.on_deal_completed(uow, again)
            await uow.commit()
    async with app.uow() as uow:
        kept = (await uow.session.execute(select(CarbonRecord))).scalars().all()
        receipt = await carbon_receipt(uow, deal_id, bob.id)
        bought = await records.standing(uow, bob.id, "Europe/Tallinn")
        supplied = await records.standing(uow, sam.id, "Europe/Riga")
    [record] = kept
    assert (record.deal_id, record.buyer_id, record.seller_id) == (deal_id, bob.id, sam.id)
    assert (record.product_type, record.quantity_milli, record.unit) == ("pellets", 100_000, "t")
    assert (record.end_use, record.comparator_g_mj, record.product_g_mj) == ("heat", "80", "7")
    assert Decimal(record.avoided_g) / 1000 == receipt.avoided_kg
    assert (bought.totals.bought.this_year_kg, bought.totals.bought.all_time_kg) == (
        receipt.avoided_kg, receipt.avoided_kg)
    assert bought.totals.supplied.empty and bought.years == (2026,)
    assert supplied.totals.supplied.all_time_kg == receipt.avoided_kg
    assert supplied.totals.bought.empty


async def test_the_yearly_statement_lists_the_members_deals_with_their_method(app):
    __, bob, deal_id = await completed_deal(app)
    async with app.uow() as uow:
        text_of = pdf_text(await carbon_statement_pdf(uow, bob.id, 2026))
    flat = " ".join(text_of.split())
    assert "Carbon statement 2026" in flat and f"Deal #{deal_id}" in flat
    assert "Avoided by what you bought 126.1 t CO₂e · deals: 1" in flat
    assert "RED II fossil fuel comparator for heat: 80 g CO₂e/MJ" in flat


async def test_the_migration_records_the_deals_completed_before_it(backend, tmp_path, pg_server,
                                                                  clock, mailbox):
    """On a database of its own, migrated: a deal completed, then the database put back as it
    was at 0046 (no records, no setting), and the migration records the deal as the handler
    did; once its reviews closed, still dated when it completed."""

    if backend == "postgres":
        db_url = await databases.create_pg_database(pg_server)
    else:
        db_url = f"sqlite+aiosqlite:///{tmp_path}/migrated.db"
    try:
        await upgrade(db_url)
        async with containers.container(settings_for(db_url), clock=clock,
                                        mailbox=mailbox) as app:
            __, bob, deal_id = await completed_deal(app)
            async with app.uow() as uow:
                before = (await uow.session.execute(select(CarbonRecord))).scalar_one()
                before = (before.deal_id, before.avoided_g, before.completed_at)
            await _back_to_0046(app)
            await _migrate_carbon(db_url)
            async with app.uow() as uow:
                after = (await uow.session.execute(select(CarbonRecord))).scalar_one()
                count = (await uow.session.execute(select(func.count()).select_from(
                    CarbonRecord))).scalar_one()
                public = (await uow.session.execute(text(
                    "SELECT carbon_public FROM accounts WHERE id = :id"), {"id": bob.id})
                ).scalar_one()
            assert count == 1 and after.deal_id == deal_id
            assert (after.deal_id, after.avoided_g, after.completed_at) == before
            assert not public  # nobody shows their figure until they choose to

            # A deal whose reviews closed since (14 days on) is dated when it completed.
            await _back_to_0046(app)
            async with app.uow() as uow:
                await uow.session.execute(text(
                    "UPDATE deals SET status = 'closed', updated_at = :closed WHERE id = :id"),
                    {"closed": before[2] + timedelta(days=14), "id": deal_id})
                await uow.commit()
            await _migrate_carbon(db_url)
            async with app.uow() as uow:
                closed = (await uow.session.execute(select(CarbonRecord))).scalar_one()
            assert (closed.deal_id, closed.avoided_g, closed.completed_at) == before
    finally:
        if backend == "postgres":
            await databases.drop_pg_database(pg_server, db_url)


async def _migrate_carbon(db_url: str) -> None:
    """Run the carbon records' migration alone (the later ones stay as they are), then mark the
    database at the head again."""
    from alembic import command

    config = alembic_config(db_url)
    await asyncio.to_thread(command.upgrade, config, "0047c")
    await asyncio.to_thread(command.stamp, config, "head")


async def _back_to_0046(app) -> None:
    """The database as it was before the migration: no records, no setting (the revisions
    after it are left in place; the version is put back to the one it follows)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(app.settings.database_url))
    before = scripts.get_revision("0047c").down_revision
    async with app.uow() as uow:
        for statement in ("DROP TABLE carbon_records",
                          "ALTER TABLE accounts DROP COLUMN carbon_public"):
            await uow.session.execute(text(statement))
        await uow.session.execute(text("UPDATE alembic_version SET version_num = :v"),
                                  {"v": before})
        await uow.commit()


async def test_the_public_figure_is_given_only_for_a_member_who_allows_it(app):
    from core.accounts import member
    from core.deals.carbon.words import public_lines

    sam, bob, __ = await completed_deal(app)
    async with app.uow() as uow:
        assert await records.public_standing(uow, sam.id) is None  # off by default
        await member.update(uow, sam.id, carbon_public=True)
        await uow.commit()
    async with app.uow() as uow:
        shown = await records.public_standing(uow, sam.id)
        assert await records.public_standing(uow, bob.id) is None  # Bob keeps his to himself
        await member.update(uow, sam.id, carbon_public=False)
        await uow.commit()
    assert shown is not None and public_lines(shown) == [
        "The biofuel they supplied through Agora avoided 126.1 t CO₂e against fossil fuel "
        "(RED II comparator; an estimate)."]
    async with app.uow() as uow:
        assert await records.public_standing(uow, sam.id) is None
