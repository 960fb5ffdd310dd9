"""`agora payments …`: money commands for operators."""

from __future__ import annotations

import asyncio

import typer

from bots.cli_support import settings_or_exit
from bots.email import email_senders

payments_cli = typer.Typer(help="Money: reconciliation and recovery.", no_args_is_help=True)


@payments_cli.command("reconcile")
def reconcile() -> None:
    """Compare the ledger with the provider's balance transactions and print every mismatch."""
    from config.container import build

    settings = settings_or_exit()

    async def run() -> tuple[int, list[str]]:
        container = build(settings, senders=email_senders(settings))
        try:
            return await container.payments.reconcile()
        finally:
            await container.close()

    if settings.payments_provider == "sandbox":
        typer.echo("Sandbox payments live on the ledger only: there is nothing to reconcile.")
        return
    checked, problems = asyncio.run(run())
    for line in problems:
        typer.echo(f"MISMATCH {line}")
    typer.echo(f"{checked} charges checked, {len(problems)} mismatches.")
    if problems:
        raise typer.Exit(1)


@payments_cli.command("recover")
def recover() -> None:
    """Retry provider operations left pending by a crash (the scheduler also does this)."""
    from config.container import build

    settings = settings_or_exit()

    async def run() -> int:
        container = build(settings, senders=email_senders(settings))
        try:
            return await container.payments.recover()
        finally:
            await container.close()

    typer.echo(f"{asyncio.run(run())} pending operations retried.")
