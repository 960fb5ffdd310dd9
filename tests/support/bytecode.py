"""Compiled code kept between the run's processes, even where PYTHONDONTWRITEBYTECODE is set.

Without cached bytecode every xdist worker compiles the project and rewrites and compiles every
test module again (about 6 of the 12 s of CPU its collection takes), and each of the ~90
`agora` processes the suite starts compiles the project again (a few tenths of a second each).
So the process that starts the workers compiles the project once, before they start, into the
usual `__pycache__` folders (ignored by git), and every test process writes what it compiles,
as Python does by default; the `agora` processes read it from there."""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPILED = ("bots", "config", "conversations", "core", "payments", "migrations", "bench")


def keep_bytecode(*, compile_project: bool) -> None:
    """Let this process write the bytecode it compiles; `compile_project` (once a run, in the
    process that starts the workers) compiles the project's own code first."""
    sys.dont_write_bytecode = False
    if compile_project:
        for folder in COMPILED:
            compileall.compile_dir(ROOT / folder, quiet=1)
