"""Storage on SQLite and PostgreSQL: migrations match the models; guarded updates under races."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect, select, text, update

from config.schema import metadata
from core import conversation_store
from core.accounts import service as accounts
from core.accounts.tables import Account, LinkCode
from core.storage.database import create_engine
from core.storage.schema import alembic_config, current_revision, head_revision, upgrade
from core.storage.tables import ProcessedUpdate
from tests.support import databases


async def test_migrations_build_exactly_the_schema_the_models_describe(backend, tmp_path, pg_server):
    # A database of its own: the one other tests share keeps the schema built from the models.
    if backend == "postgres":
        db_url = await databases.create_pg_database(pg_server)
    else:
        db_url = f"sqlite+aiosqlite:///{tmp_path}/migrated.db"
    try:
        assert await current_revision(db_url) is None
        await upgrade(db_url)
        assert await current_revision(db_url) == head_revision()
        engine = create_engine(db_url)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
        await engine.dispose()
    finally:
        if backend == "postgres":
            await databases.drop_pg_database(pg_server, db_url)
    assert diff == []


def test_the_newest_migration_is_read_from_the_files_as_alembic_reads_it():
    # `upgrade` skips Alembic for a database at this revision: it must be Alembic's own head.
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_an_upgrade_of_a_database_at_the_newest_revision_does_not_load_alembic(tmp_path):
    db_url = f"sqlite+aiosqlite:///{tmp_path}/migrated.db"
    asyncio.run(upgrade(db_url))
    script = ("import asyncio, sys; from core.storage.schema import upgrade; "
              f"asyncio.run(upgrade({db_url!r})); print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


async def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 30000
    await engine.dispose()


async def test_fifty_concurrent_redemptions_of_one_link_code_succeed_exactly_once(app):
    async with app.uow() as uow:
        owner = accounts.ChannelIdentity("telegram", "1", "1")
        await accounts.register(uow, owner, accounts.Registration(
            display_name="Ann", email="a@example.com", roles=["buyer"]))
        code = await accounts.issue_link_code(uow, owner)
        await uow.commit()

    async def redeem(n: int) -> bool:
        async with app.uow() as uow:
            try:
                await accounts.redeem_link_code(
                    uow, accounts.ChannelIdentity("slack", f"T:U{n}", f"U{n}"), code)
                await uow.commit()
                return True
            except Exception:
                return False

    results = await asyncio.gather(*(redeem(n) for n in range(50)))
    assert results.count(True) == 1


async def test_a_conditional_update_changes_one_row_only_while_the_guard_holds(app):
    async with app.uow() as uow:
        owner = accounts.ChannelIdentity("telegram", "1", "1")
        await accounts.register(uow, owner, accounts.Registration(
            display_name="Ann", email="a@example.com", roles=["buyer"]))
        code = await accounts.issue_link_code(uow, owner)
        await uow.commit()
    counts = []
    for _ in range(2):
        async with app.uow() as uow:
            result = await uow.session.execute(
                update(LinkCode).where(LinkCode.code == code, LinkCode.used_at.is_(None))
                .values(used_at=app.clock.now()))
            counts.append(result.rowcount)
            await uow.commit()
    assert counts == [1, 0]
    async with app.uow() as uow:
        assert (await uow.session.execute(select(LinkCode.used_at))).scalar() is not None


async def test_a_savepoint_undoes_core_statements_run_on_the_transactions_connection(app):
    # Hot paths write by Core statements on `uow.core()`; a step in a savepoint that fails
    # must take those writes back too, even when nothing went through the session since.
    async with app.uow() as uow:
        await accounts.register(uow, accounts.ChannelIdentity("telegram", "1", "1"),
                                accounts.Registration(display_name="Ann", email="a@example.com",
                                                      roles=["buyer"]))
        await uow.commit()
    async with app.uow() as uow:
        conn = await uow.core()
        step = await uow.savepoint()
        await conn.execute(text("UPDATE accounts SET display_name = 'Undone'"))
        await step.rollback()
        await uow.commit()
    async with app.uow() as uow:
        assert (await (await uow.core()).execute(text("SELECT display_name FROM accounts"))
                ).scalar() == "Ann"


async def test_answered_marks_written_together_clear_every_debt_in_few_statements(app):
    """Fifty channels acknowledging at once: every update is marked, in a handful of writes."""
    async with app.uow() as uow:
        for n in range(50):
            assert await conversation_store.first_time(uow, "telegram", f"a{n}")
        await uow.commit()
    writes = 0

    def counting_uow():
        nonlocal writes
        writes += 1
        return app.uow()

    marks = conversation_store.AnsweredMarks(counting_uow)
    await asyncio.gather(*(marks.mark("telegram", f"a{n}") for n in range(50)))
    async with app.uow() as uow:
        owed = (await uow.session.execute(select(ProcessedUpdate.owed_by))).scalars().all()
    assert owed == [None] * 50
    assert writes <= 2  # the first mark's write, then everyone who came while it ran


def test_the_pool_size_setting_sizes_each_workers_postgresql_pool():
    from config.settings import Settings

    settings = Settings(database_url="postgresql+asyncpg://agora@127.0.0.1:5432/agora",
                        database_pool_size=8)
    engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
    assert (engine.pool.size(), engine.pool._max_overflow) == (8, 2)  # a quarter more at peaks
    assert Settings().database_pool_size == databases.TEST_POOL_SIZE  # the tests' environment


@pytest.mark.parametrize("url", ["sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:"])
async def test_a_database_in_memory_has_no_second_engine_for_work_due_at_a_moment(url, tmp_path):
    """However its URL is written, a database in memory is its one connection's own: a second
    engine would open a second, empty database, and the bidding close would find nothing."""
    from config.container import build
    from config.settings import Settings

    app = build(Settings(database_url=url, environment="test",  # type: ignore[call-arg]
                         data_dir=str(tmp_path / "data")))
    try:
        assert app.on_time_db is None
        assert app.on_time_uow()._sessions is app.sessions
    finally:
        await app.close()


async def test_a_row_inserted_by_the_unit_of_work_is_written_whole_and_held_clean(app):
    # `uow.insert` writes a new row by one prebuilt INSERT … RETURNING, then keeps it in the
    # session as if it had been loaded: its id, Python defaults and server defaults are there,
    # nothing is left to flush, and asking for it again costs no statement.
    statements: list[str] = []
    event.listen(app.db.sync_engine, "before_cursor_execute",
           lambda _c, _cur, sql, *_: statements.append(sql))
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    async with app.uow() as uow:
        first = await uow.insert(Account(display_name="Ann", created_at=now, updated_at=now))
        statements.clear()
        assert first.id is not None and first.roles == [] and first.language == "en"
        assert first.weekly_picks is True  # a server default, returned with the row
        assert inspect(first).persistent and not uow.session.new and not uow.session.dirty
        assert await uow.get(Account, first.id) is first
        first.display_name = "Anna"  # an ordinary change of a held row, flushed at commit
        await uow.commit()
    assert statements == [s for s in statements if s.startswith("UPDATE accounts")] != []
    async with app.uow() as uow:
        assert (await uow.get(Account, first.id)).display_name == "Anna"
