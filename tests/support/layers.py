"""Which layer a test is in, read from what it uses (tests/conftest.py marks every test with it):

- `e2e`: it drives the product from outside: a channel's real driver (CHANNEL_FIXTURES), a
  browser, a real `agora` process, a benchmark script, or it is marked `journey` or `minutes`;
- `integration`: otherwise it opens a database (the `db_url` fixture and all built on it, such as
  `app`, or a database or container of its own) or talks to a server on this machine (a fake
  SMTP server, a Redis address);
- `unit`: neither: no database, no server, no process. `pytest -m unit` runs these alone.

What a test uses is found in its fixtures and, for what it reaches without a fixture, in the
names its code refers to, and the code of the test helpers it calls (their modules under
`tests`), followed to the end."""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterator
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


def layer(item: Any, channel_fixtures: frozenset[str]) -> str:
    """A test's layer: `e2e`, `integration` or `unit`."""
    names = set(getattr(item, "fixturenames", ()))
    reached = set(_reached_modules(item))
    if (reached & (PROCESS_MODULES | {"bench"}) or channel_fixtures & names
            or any(item.get_closest_marker(m) for m in E2E_MARKERS)):
        return "e2e"
    if DATABASE_FIXTURES & names or reached & (DATABASE_MODULES | SERVER_MODULES):
        return "integration"
    return "unit"


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
