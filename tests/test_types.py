"""The type checker over the application: mypy finds no error in bots/, conversations/, core/,
payments/ and config/ (its settings in pyproject.toml's [tool.mypy]). Run as a process of its
own, early in the run beside the rest.

Its incremental cache is kept in the machine's temporary folder, shared by every checkout, as
a CI service keeps `.mypy_cache` between runs: mypy checks each cached module against its
source's hash, so a changed file (or a clone elsewhere) is checked again and only the rest is
read back. With nothing cached the check takes about 40 s of one core (over 100 s when the
suite's other workers share the core); with the cache, a second or two."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("bots", "conversations", "core", "payments", "config")
CACHE = Path(tempfile.gettempdir()) / "agora-mypy-cache"


# On a machine running slow the first check took more than the suite's 120 s per test; its
# own subprocess limit (300 s) is the one that should apply.
@pytest.mark.timeout(300)
def test_mypy_finds_no_error_in_the_application() -> None:
    found = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(CACHE), *CHECKED],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert found.returncode == 0, found.stdout + found.stderr
    assert "Success: no issues found" in found.stdout
