"""The README's two commands work on a fresh machine: each creates its own virtualenv, CI runs the
test command word for word, and every package the code imports is one pyproject.toml declares
(a package this machine happens to have must not hide a missing declaration)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("bots", "conversations", "core", "payments", "config", "migrations")
OURS = {*PRODUCT, "tests", "bench", "__future__"}


def readme_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "the README opens with a bash block holding the two commands"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_the_readme_opens_with_two_commands_each_in_a_fresh_virtualenv():
    start, test = readme_commands()
    for command in (start, test):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install")
    assert start.endswith("agora serve") and test.endswith("pytest")
    assert '".[dev]"' in test


def test_ci_runs_the_readme_test_command_word_for_word():
    test_command = readme_commands()[1]
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(extras: tuple[str, ...] = ()) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + [r for e in extras for r in project["optional-dependencies"][e]]


def installed_by(requirements: list[str]) -> set[str]:
    """The distributions these requirements install, with everything they pull in."""
    todo = list(requirements)
    seen: set[str] = set()
    while todo:
        requirement = todo.pop()
        match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(\[[^\]]*\])?[^;]*(;(.*))?", requirement)
        name, wanted, marker = _norm(match.group(1)), match.group(2) or "", match.group(4) or ""
        if "extra" in marker or name in seen:
            continue  # an optional part of a dependency is pulled in only when asked for by name
        seen.add(name)
        try:
            subs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # needed only elsewhere (another platform or Python): nothing here imports it
        for sub in subs:
            sub_marker = sub.partition(";")[2]
            if "extra" not in sub_marker or any(f'"{e.strip()}"' in sub_marker
                                                for e in wanted.strip("[]").split(",")):
                todo.append(sub.partition(";")[0] if "extra" in sub_marker else sub)
    return seen


@cache
def _third_party_imports(path: Path) -> tuple[tuple[str, int], ...]:
    """The third-party top-level modules a file imports, each with its line (parsed once a run:
    several tests ask about every file)."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(top, node.lineno) for top in sorted({name.split(".")[0] for name in names})
                  if top not in sys.stdlib_module_names and top not in OURS]
    return tuple(found)


def imported_packages(folders: tuple[str, ...]) -> dict[str, str]:
    """Each third-party top-level module imported under the folders, with one place it is."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for top, line in _third_party_imports(path):
                found.setdefault(top, f"{path.relative_to(ROOT)}:{line}")
    return found


_providers = cache(metadata.packages_distributions)  # scans every installed distribution


def undeclared(folders: tuple[str, ...], declared: list[str]) -> list[str]:
    providers = _providers()
    allowed = installed_by(declared)
    return [f"{where} imports {module}" for module, where in imported_packages(folders).items()
            if not {_norm(d) for d in providers.get(module, [])} & allowed]


def test_every_package_the_product_imports_is_declared():
    assert undeclared(PRODUCT, requirements()) == []


def test_every_package_the_tests_and_benchmarks_import_is_in_the_dev_extra():
    assert undeclared(("tests", "bench"), requirements(("dev",))) == []


@pytest.mark.parametrize(("module", "distribution"), [("itsdangerous", "itsdangerous"),
                                                     ("aiosmtpd", "aiosmtpd")])
def test_a_package_imported_but_left_out_of_the_declarations_is_caught(module, distribution):
    kept = [r for r in requirements(("dev",)) if not _norm(r).startswith(distribution)]
    assert f"imports {module}" in "\n".join(undeclared((*PRODUCT, "tests"), kept))
