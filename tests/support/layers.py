"""Which layer a test is in, read from what it uses (tests/conftest.py marks every test with it):

- `e2e`: it drives the product from outside: a channel's real driver (CHANNEL_FIXTURES), a
  browser, a real `agora` process, a benchmark script, or it is marked `journey` or `minutes`;
- `integration`: otherwise it opens a database (the `db_url` fixture and all built on it, such as
  `app`, or a database or container of its own) or talks to a server on this machine (a fake
  SMTP server, a Redis address);
- `unit`: neither: no database, no server, no process. `pytest -m unit` runs these alone.

What a test uses is found in its fixtures and, for what it reaches without a fixture, in the
names its code refers to, and the code of the test helpers it calls (their modules under
`tests`), followed to the end.

The same reading places each test in the run (`place`): the longest kinds start first, and the
tests that share a costly fixture are grouped on one xdist worker."""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

E2E_MARKERS = ("journey", "browser", "minutes")
DATABASE_FIXTURES = frozenset({"db_url", "backend", "pg_server", "shared_db"})
# Modules whose objects open a database, start an `agora` process or a server, when called.
DATABASE_MODULES = frozenset({"tests.support.databases", "tests.support.containers",
                              "config.container", "core.storage.database"})
PROCESS_MODULES = frozenset({"subprocess", "tests.support.terminal"})
SERVER_MODULES = frozenset({"tests.support.servers", "tests.support.smtp"})
BENCH = Path(__file__).resolve().parents[2] / "bench"  # benchmark scripts, run whole by tests
# Session-scoped fixtures that start a server: their tests run on one worker, which starts it once.
SHARED_FIXTURES = frozenset({"localstripe_url"})


@dataclass(frozen=True)
class Placing:
    layer: str  # unit, integration or e2e
    rank: int  # 0 starts first: takes minutes; 1 starts processes; 2 other e2e; 3, 4 the rest
    group: str | None  # tests that must share a worker (xdist's loadgroup), when they must


def place(item: Any, channel_fixtures: frozenset[str]) -> Placing:
    """A test's layer, and where it goes in the run: the longest kinds first, so that none of
    them starts last and finishes the run alone; tests sharing a costly fixture on one worker."""
    names = set(getattr(item, "fixturenames", ()))
    reached = set(_reached_modules(item))
    if item.get_closest_marker("minutes"):
        layer, rank = "e2e", 0
    elif reached & (PROCESS_MODULES | {"bench"}):
        layer, rank = "e2e", 1
    elif channel_fixtures & names or any(item.get_closest_marker(m) for m in E2E_MARKERS):
        layer, rank = "e2e", 2
    elif DATABASE_FIXTURES & names or reached & (DATABASE_MODULES | SERVER_MODULES):
        layer, rank = "integration", 3
    else:
        layer, rank = "unit", 4
    return Placing(layer, rank, _shared(item))


def loadgroup_broken() -> bool:
    """True on pytest 9.2 and later with pytest-xdist 3.8 or earlier, whose loadgroup quietly
    stops grouping (it marks a group in the test's id, which pytest 9.2 no longer lets it
    change: pytest-xdist#1386): each worker would build the shared fixtures again."""
    from importlib.metadata import version

    def numbers(package: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version(package).split(".")[:2] if part.isdigit())

    return numbers("pytest") >= (9, 2) and numbers("pytest-xdist") <= (3, 8)


def _shared(item: Any) -> str | None:
    """The group of a test using a fixture built once for several tests: a module-scoped one
    (its module's tests), or one of SHARED_FIXTURES; without a group each xdist worker that
    runs one of those tests would build it again. Tests marked `postgres_servers` share one
    group so that they never run at the same time."""
    if item.get_closest_marker("postgres_servers"):
        # Each takes most of PostgreSQL's 100 connections (several `agora serve` pools): two at
        # once on two xdist workers leave some worker "too many clients", so they share one.
        return "postgres_servers"
    info = getattr(item, "_fixtureinfo", None)
    for name, defs in (info.name2fixturedefs.items() if info else ()):
        if name in SHARED_FIXTURES:
            return name
        if any(d.scope == "module" for d in defs):
            return str(item.module.__name__)
    return None


def _reached_modules(item: Any) -> Iterator[str]:
    """The modules of the objects a test's code refers to ("bench" for a benchmark script's
    path): its function's, its fixtures', and those of the test helpers they call."""
    functions: list[Callable[..., Any]] = [item.function] if hasattr(item, "function") else []
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else ()):
        functions += [d.func for d in defs if _is_test_code(d.func)]
    seen: set[int] = set()
    while functions:
        function = inspect.unwrap(functions.pop())
        code = getattr(function, "__code__", None)
        if code is None or id(code) in seen:
            continue
        seen.add(id(code))
        scope = getattr(function, "__globals__", {})
        for name in _names(code):
            value = scope.get(name)
            if isinstance(value, types.ModuleType):
                yield value.__name__
            elif isinstance(value, Path) and BENCH in value.parents:
                yield "bench"
            elif (module := getattr(value, "__module__", None)):
                yield module
                if _is_test_code(value) and callable(value):
                    functions.append(value)


def _names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)


def _is_test_code(function: Any) -> bool:
    return str(getattr(function, "__module__", "")).startswith("tests.")
