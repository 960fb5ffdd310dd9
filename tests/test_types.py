"""The type checker over the application: mypy finds no error in bots/, conversations/, core/,
payments/ and config/ (its settings in pyproject.toml's [tool.mypy]). Run as a process of its
own, early in the run beside the rest. It writes no cache (`--cache-dir /dev/null`): a run
starts with none to read, and writing one cost a tenth of the check's time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("bots", "conversations", "core", "payments", "config")


# The check takes about 40 s of one core; on a machine running slow it took more than the
# suite's 120 s per test, and its own subprocess limit (300 s) is the one that should apply.
@pytest.mark.timeout(300)
def test_mypy_finds_no_error_in_the_application() -> None:
    found = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", os.devnull, *CHECKED],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert found.returncode == 0, found.stdout + found.stderr
    assert "Success: no issues found" in found.stdout
