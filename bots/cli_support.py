"""What every `agora` subcommand shares: settings read once, a wrong value reported in one line."""

from __future__ import annotations

import typer

from config.settings import Settings, SettingsError, load_settings


def settings_or_exit() -> Settings:
    """The validated settings, or exit 2 naming the variable that is wrong."""
    try:
        return load_settings()
    except SettingsError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
