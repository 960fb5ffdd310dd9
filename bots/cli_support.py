"""What every `agora` subcommand shares: settings read once, a wrong value reported in one line."""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

import typer

from config.settings import Settings, SettingsError, load_settings
from core.loading import collector_paused


def loading_the_application() -> contextlib.AbstractContextManager[None]:
    """Around a command's imports of the application, which live as long as the process: the
    collector held off while they load, then left out of its passes (a tenth of every start of
    `agora chat` or `agora serve`)."""
    return collector_paused(freeze=True)


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


def start_up_lines(settings: Settings, host: str, port: int) -> list[str]:
    """What `agora serve` says once started: where it listens, its data, the site, the console."""
    site = settings.public_url.rstrip("/")
    return [f"Agora is running on http://{host}:{port}  (health: /healthz)",
            f"Database: {describe_database(settings.database_url)}",
            f"Web site: {site}/  (demo listings: agora demo seed)",
            f"Operator console: {site}/admin — serve with AGORA_ADMINS=terminal:root,",
            "    then `agora chat --as root` and type /console for a sign-in link"]


def boxed(lines: list[str]) -> str:
    """Lines in a box, so they stand out after the server's log lines."""
    width = max(len(line) for line in lines)
    edge = "─" * (width + 2)
    return "\n".join([f"┌{edge}┐", *(f"│ {line.ljust(width)} │" for line in lines), f"└{edge}┘"])


# --- where a running `agora serve` keeps its data -----------------------------------------------
# `agora chat` started in another folder would otherwise open (and create) another SQLite file
# beside it and ask a registered person to register again.


def _serving_file() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "agora" / "serving.json"


def _absolute(settings: Settings) -> dict[str, str]:
    path = sqlite_file(settings.database_url)
    url = f"sqlite+aiosqlite:///{path}" if path is not None else settings.database_url
    return {"database_url": url, "data_dir": str(Path(settings.data_dir).resolve())}


def record_serving(settings: Settings) -> None:
    """Note this server's database, files and address, for `agora chat` started elsewhere."""
    try:
        _serving_file().parent.mkdir(parents=True, exist_ok=True)
        _serving_file().write_text(json.dumps(
            {"pid": os.getpid(), "public_url": settings.public_url, **_absolute(settings)}))
    except OSError:
        pass  # nowhere to note it: `agora chat` then says which database it opened


def forget_serving() -> None:
    with contextlib.suppress(OSError, ValueError):
        if json.loads(_serving_file().read_text()).get("pid") == os.getpid():
            _serving_file().unlink()


def _running_server() -> dict[str, object] | None:
    """What a running `agora serve` noted about itself, or None."""
    try:
        served = json.loads(_serving_file().read_text())
        os.kill(int(served["pid"]), 0)  # still running?
    except PermissionError:
        pass  # running, as another user
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return served if isinstance(served, dict) else None


def same_data_as_serve(settings: Settings) -> tuple[Settings, bool]:
    """The settings `agora chat` should use: a running server's database and files when no
    database was chosen here (True when they were taken from the server), and, on the server's
    database, its address for links unless AGORA_PUBLIC_URL is set here."""
    served = _running_server()
    if served is None:
        return settings, False
    own = _absolute(settings)["database_url"]
    chosen = "database_url" in settings.model_fields_set
    if chosen and served.get("database_url") != own:
        return settings, False
    update = {k: served[k] for k in ("database_url", "data_dir") if isinstance(served.get(k), str)}
    joined = not chosen and update.get("database_url") != own
    if not joined:
        update = {}
    if "public_url" not in settings.model_fields_set and isinstance(served.get("public_url"), str):
        update["public_url"] = served["public_url"]
    return (settings.model_copy(update=update) if update else settings), joined
