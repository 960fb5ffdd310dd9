"""`agora payments …`: money commands for operators."""

from __future__ import annotations

import asyncio
from typing import Any

import typer

from bots.cli_support import same_data_as_serve, settings_or_exit
from bots.outbound import outbound
from config.settings import Settings

payments_cli = typer.Typer(help="Money: reconciliation, recovery, test cards.",
                           no_args_is_help=True)


def _settings() -> Settings:
    """As for `agora chat`: a running server's database and address when none is set here, so
    receipts and pay links made by these commands point where the server listens."""
    return same_data_as_serve(settings_or_exit())[0]


@payments_cli.command("reconcile")
def reconcile() -> None:
    """Compare the ledger with the provider's balance transactions and print every mismatch."""
    from config.container import build

    settings = _settings()

    async def run() -> tuple[int, list[str]]:
        container = build(settings, **outbound(settings))
        try:
            assert container.payments is not None  # build sets it
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

    settings = _settings()

    async def run() -> int:
        container = build(settings, **outbound(settings))
        try:
            assert container.payments is not None  # build sets it
            return await container.payments.recover()
        finally:
            await container.close()

    typer.echo(f"{asyncio.run(run())} pending operations retried.")


@payments_cli.command("test-card")
def test_card(page: str = typer.Argument(help="the payment page's link (…/pay/TOKEN) or token"),
              card_number: str = typer.Argument("4242 4242 4242 4242", help="a test card")) -> None:
    """Sandbox only: pay on a payment page, or save the card a session booked far ahead asks
    for, with a test card (4242… succeeds; 4000 0000 0000 0341 saves, then is declined)."""
    from config.container import build
    from core.errors import DomainError

    settings = _settings()
    if settings.payments_provider != "sandbox":
        typer.echo("Test cards work only with the sandbox provider.", err=True)
        raise typer.Exit(2)
    token = page.rstrip("/").rsplit("/", 1)[-1]

    async def run() -> str:
        container = build(settings, **outbound(settings))
        try:
            return await _use_test_card(container.payments, token, card_number)
        finally:
            await container.close()

    try:
        typer.echo(asyncio.run(run()))
    except DomainError as exc:
        typer.echo(f"❌ {exc}", err=True)
        raise typer.Exit(1) from None


async def _use_test_card(payments: Any, token: str, card_number: str) -> str:
    from core.money.model import described

    saving = await payments.saving_by_token(token)
    if saving is not None:
        saved = await payments.save_with_test_card(saving.id, card_number)
        return (f"✅ Card •••• {saved.last4} saved for {described(saved.reference)}. Nothing is "
                "charged now; the session's maximum is authorised on it 24 h before.")
    view = await payments.by_token(token)
    view = await payments.pay_with_test_card(view.id, card_number)
    return f"✅ Paid {view.amount} for {described(view.reference)}: the payment is {view.state}."
