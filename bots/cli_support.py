"""What every `agora` subcommand shares: settings read once, a wrong value reported in one line."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from config.settings import Settings, SettingsError, load_settings


def settings_or_exit() -> Settings:
    """The validated settings, or exit 2 naming the variable that is wrong."""
    try:
        return load_settings()
    except SettingsError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (resolved from this folder), None for other databases."""
    if not url.startswith("sqlite") or ":memory:" in url:
        return None
    return Path(url.split("///", 1)[1]).resolve()


def describe_database(url: str) -> str:
    """The database for people: the SQLite file's full path, or the URL without a password."""
    path = sqlite_file(url)
    return str(path) if path is not None else re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def database_notice(url: str) -> str:
    """Which database `agora chat` opens, with a warning when it is a new, empty one (started
    from another folder than `agora serve`, people would otherwise meet a stranger's Agora)."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return (f"⚠ No Agora database at {path} yet — starting a new, empty one here.\n"
                "  If `agora serve` runs in another folder, stop (Ctrl-D) and run `agora chat` "
                "there, or set AGORA_DATABASE_URL to the same database.")
    return f"Database: {describe_database(url)}"


def boxed(lines: list[str]) -> str:
    """Lines in a box, so they stand out after the server's log lines."""
    width = max(len(line) for line in lines)
    edge = "─" * (width + 2)
    return "\n".join([f"┌{edge}┐", *(f"│ {line.ljust(width)} │" for line in lines), f"└{edge}┘"])
