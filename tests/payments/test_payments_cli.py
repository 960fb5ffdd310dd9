"""`agora payments …` on the command line."""

from __future__ import annotations

import asyncio

from typer.testing import CliRunner

from bots.cli import cli


def test_reconcile_in_sandbox_mode_explains_there_is_nothing_to_compare(tmp_path, monkeypatch):
    monkeypatch.setenv("AGORA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/a.db")
    monkeypatch.setenv("AGORA_PAYMENTS_PROVIDER", "sandbox")
    result = CliRunner().invoke(cli, ["payments", "reconcile"])
    assert result.exit_code == 0 and "nothing to reconcile" in result.output


def test_stripe_without_keys_is_refused_at_start_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("AGORA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/a.db")
    monkeypatch.setenv("AGORA_PAYMENTS_PROVIDER", "stripe")
    result = CliRunner().invoke(cli, ["payments", "reconcile"])
    assert result.exit_code == 2 and "AGORA_STRIPE_SECRET_KEY" in result.output


async def test_a_test_card_on_the_command_line_saves_a_card_or_pays_by_the_pages_link(
        app, db_url, tmp_path, monkeypatch):
    from core.money.model import Money
    from tests.payments.helpers import BUYER, people

    buyer, consultant = await people(app)
    saving = await app.payments.save_method("booking:9", buyer, BUYER)
    escrow = await app.payments.open("session", "consulting", "booking:8", buyer, consultant,
                                     Money(5_000, "EUR"), BUYER)
    monkeypatch.setenv("AGORA_DATABASE_URL", db_url)
    monkeypatch.setenv("AGORA_PAYMENTS_PROVIDER", "sandbox")
    monkeypatch.setenv("AGORA_DATA_DIR", str(tmp_path / "cli"))

    def run(*args: str):
        return CliRunner().invoke(cli, ["payments", "test-card", *args])

    declined = await asyncio.to_thread(run, saving.save_url, "4000 0000 0000 0002")
    saved = await asyncio.to_thread(run, saving.save_url, "4000 0000 0000 0341")
    paid = await asyncio.to_thread(run, escrow.pay_url)
    assert declined.exit_code == 1 and "not saved" in declined.output
    assert saved.exit_code == 0 and "Card •••• 0341 saved for session booking #9" in saved.output
    assert paid.exit_code == 0 and "Paid €50.00" in paid.output
    assert (await app.payments.saved_method("booking:9")).state == "saved"
    assert (await app.payments.get(escrow.id)).state == "authorised"
