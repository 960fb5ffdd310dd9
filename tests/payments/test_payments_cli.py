"""`agora payments …` on the command line."""

from __future__ import annotations

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
