"""Fixtures the API's tests share (the rest of their set-up is in tests/api/helpers.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.issuer import ISSUER, Issuer


@pytest.fixture
def issuer(monkeypatch):
    """Agora with its VAT number, so its documents carry EN 16931 data."""
    monkeypatch.setitem(ISSUER, "issuer", Issuer("Agora SIA", "Brīvības iela 2, LV-1010 Rīga",
                                                 "LV40003000001", "LV", Decimal("21")))
