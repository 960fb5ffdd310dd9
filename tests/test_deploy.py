"""The deployment example stays true to the code: its settings exist, its image holds every
package, and `agora serve --workers N` refuses what several workers cannot share."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from bots.worker_app import several_workers_notes, several_workers_problem
from config.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
PG = "postgresql+asyncpg://agora@db/agora"


def test_every_setting_in_the_example_environment_is_one_agora_reads():
    fields = {f"AGORA_{name.upper()}" for name in Settings.model_fields}
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    given = {line.split("=", 1)[0] for line in (DEPLOY / "agora.env.example").read_text().splitlines()
             if line and not line.startswith("#")}
    given |= set(compose["services"]["agora"]["environment"])
    assert given - fields == {"AGORA_WORKERS"}  # the image's process count, read by its command
    assert "AGORA_WORKERS" in (DEPLOY / "Dockerfile").read_text()


def test_the_image_copies_every_package_and_the_migrations():
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"]["find"]["include"]
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for package in {p.split(".")[0].rstrip("*") for p in packages} | {"migrations"}:
        assert f"COPY {package} {package}" in dockerfile, package


def test_every_file_the_packages_read_is_installed_with_them():
    """An installed copy (the image's `pip install .`) holds only the .py files and what
    package-data names; the tests run from the source tree and would not notice a template,
    font or catalogue left out (the sitemap's template once was)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]
    shipped: set[Path] = set()
    for package, patterns in data.items():
        folder = ROOT / package.replace(".", "/")
        shipped |= {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
    roots = {p.split(".")[0].rstrip("*") for p in tomllib.loads(
        (ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]}
    needed = {path for root in roots for path in (ROOT / root).rglob("*")
              if path.is_file() and path.suffix not in (".py", ".pyc")
              and "__pycache__" not in path.parts}
    assert needed, "no data files found: the walk is wrong"
    assert sorted(str(p.relative_to(ROOT)) for p in needed - shipped) == []


@pytest.mark.parametrize(("settings", "problem"), [
    ({}, "PostgreSQL"),
    ({"database_url": PG}, "AGORA_SECRET_KEY"),
    ({"database_url": PG, "secret_key": "s", "telegram_token": "1:a"}, "WEBHOOK_URL"),
])
def test_several_workers_are_refused_what_they_cannot_share(settings, problem):
    found = several_workers_problem(Settings(environment="test", **settings), 2)  # type: ignore[call-arg]
    assert found is not None and problem in found
    assert several_workers_problem(Settings(environment="test", **settings), 1) is None  # type: ignore[call-arg]


def test_several_workers_on_postgresql_with_a_webhook_start_and_redis_is_recommended():
    settings = Settings(environment="test", database_url=PG, secret_key="s",  # type: ignore[call-arg]
                        telegram_token="1:a", telegram_webhook_url="https://a.example/telegram/webhook",
                        telegram_webhook_secret="w")
    assert several_workers_problem(settings, 3) is None
    assert "AGORA_REDIS_URL" in several_workers_notes(settings, 3)[0]
    settings.redis_url = "redis://r:6379/0"
    assert several_workers_notes(settings, 3) == []
