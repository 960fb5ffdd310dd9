"""Bringing a database to the current schema with Alembic (`agora db upgrade`, and at start)."""

from __future__ import annotations

import asyncio
import re
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.storage.database import create_engine

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*['\"]?([^'\"\s]+)", re.M)


def alembic_config(url: str) -> Any:  # alembic.config.Config
    from alembic.config import Config

    if not (MIGRATIONS / "env.py").exists():
        raise RuntimeError(f"Alembic migrations not found at {MIGRATIONS}; install from a checkout.")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache
def head_revision() -> str | None:
    """The newest migration's revision, read from the migration files' text: the revision no
    other one names as its `down_revision`. None when that is not one revision (a branch)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at; None when it has none yet."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text("SELECT version_num FROM alembic_version"))
                    ).scalar_one_or_none()
    except (SQLAlchemyError, OSError):  # no database or no alembic_version table yet
        return None
    finally:
        await engine.dispose()


async def upgrade(url: str) -> None:
    """Apply every migration (runs Alembic in a thread: its env.py drives its own event loop).
    A database already at the newest revision is left as it is without loading Alembic and
    its migration scripts (most starts of `agora chat` and `agora serve`: about 0.8 s saved)."""
    if head_revision() is not None and await current_revision(url) == head_revision():
        return
    from alembic import command

    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
