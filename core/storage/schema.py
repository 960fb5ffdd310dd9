"""Bringing a database to the current schema with Alembic (`agora db upgrade`, and at start)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str) -> Config:
    if not (MIGRATIONS / "env.py").exists():
        raise RuntimeError(f"Alembic migrations not found at {MIGRATIONS}; install from a checkout.")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(url: str) -> None:
    """Apply every migration (runs Alembic in a thread: its env.py drives its own event loop)."""
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
