"""Catalogue tables (listings, media, saved searches…), on the shared declarative Base."""

from __future__ import annotations

from core.storage.tables import Base  # noqa: F401  — tables below subclass it
