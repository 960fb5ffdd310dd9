"""Settings: one validated object; a wrong value stops the start with one readable line."""

from __future__ import annotations

import pytest

from config.settings import SettingsError, load_settings


def test_defaults_need_no_tokens_and_use_a_local_sqlite_file(monkeypatch):
    for name in ("AGORA_DATABASE_URL", "AGORA_TELEGRAM_TOKEN", "AGORA_SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(environment="development")
    assert settings.database_url == "sqlite+aiosqlite:///./agora.db"
    assert not settings.telegram_enabled and not settings.slack_enabled
    assert settings.telegram_api_url == "https://api.telegram.org/bot"


def test_a_wrong_database_url_names_the_variable(monkeypatch):
    monkeypatch.setenv("AGORA_DATABASE_URL", "mysql://x")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value).startswith("AGORA_DATABASE_URL: must start with sqlite+aiosqlite://")
    assert "\n" not in str(error.value)


def test_a_wrong_port_names_the_variable(monkeypatch):
    monkeypatch.setenv("AGORA_SMTP_PORT", "seventy")
    with pytest.raises(SettingsError, match=r"^AGORA_SMTP_PORT: "):
        load_settings()


def test_the_meeting_server_is_a_public_jitsi_by_default_and_any_https_address(monkeypatch):
    from config.container import booking_policy

    monkeypatch.delenv("AGORA_MEETING_BASE", raising=False)
    assert load_settings().meeting_base == "https://meet.jit.si"
    monkeypatch.setenv("AGORA_MEETING_BASE", "https://meet.example.org/rooms")
    assert booking_policy(load_settings()).meeting_base == "https://meet.example.org/rooms"
    for wrong in ("http://meet.example.org", "https://meet.example.org/", "meet.example.org"):
        monkeypatch.setenv("AGORA_MEETING_BASE", wrong)
        with pytest.raises(SettingsError, match=r"^AGORA_MEETING_BASE: must be an https:// URL"):
            load_settings()


def test_placeholder_secrets_are_refused_outside_development(monkeypatch):
    monkeypatch.setenv("AGORA_ENVIRONMENT", "production")
    monkeypatch.setenv("AGORA_SLACK_SIGNING_SECRET", "changeme")
    with pytest.raises(SettingsError, match=r"^AGORA_SLACK_SIGNING_SECRET: placeholder secret"):
        load_settings()


def test_placeholder_secrets_are_fine_in_development(monkeypatch):
    monkeypatch.setenv("AGORA_ENVIRONMENT", "development")
    monkeypatch.setenv("AGORA_SLACK_SIGNING_SECRET", "changeme")
    assert load_settings().slack_signing_secret == "changeme"


def test_admins_come_from_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("AGORA_ADMINS", "telegram:1, slack:T1:U1")
    assert load_settings().admins == ["telegram:1", "slack:T1:U1"]


def test_a_production_start_without_the_issuing_entity_is_refused(monkeypatch):
    monkeypatch.setenv("AGORA_ENVIRONMENT", "production")
    monkeypatch.setenv("AGORA_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("AGORA_PUBLIC_URL", "https://agora.example.com")
    with pytest.raises(SettingsError, match=r"^AGORA_ISSUER_NAME: required in production"):
        load_settings()
    for name, value in (("NAME", "Agora Marketplace SIA"), ("ADDRESS", "Brīvības iela 1, Riga"),
                        ("VAT_NUMBER", "LV40003521600")):
        monkeypatch.setenv(f"AGORA_ISSUER_{name}", value)
    assert load_settings().issuer_vat_number == "LV40003521600"
