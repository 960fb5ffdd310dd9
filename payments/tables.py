"""Money tables (ledger accounts, journals, entries, escrows, payments…), on the shared Base."""

from __future__ import annotations

from core.storage.tables import Base  # noqa: F401  — tables below subclass it
