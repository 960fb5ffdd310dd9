"""The `agora` command: a scripted terminal chat registers a user; serve starts with no tokens."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx

from bots.cli_support import same_data_as_serve
from bots.terminal import TerminalChat
from config.settings import load_settings
from conversations.messages import FileReply
from tests.support.offline_terminal import offline_terminal
from tests.support.servers import free_port
from tests.support.terminal import AGORA, ROOT, agora_env, chat, emailed_code


def test_a_scripted_terminal_session_registers_a_user(tmp_path):
    first = chat(tmp_path, "ann", ["Ann Ozola", "skip", "ann@example.com", "a", "b", "done",
                                   "Latvia", "Riga", "a", "done"])
    assert "[a] Buyer (bioenergy)   [b] Seller (bioenergy)" in first
    second = chat(tmp_path, "ann", ["a", emailed_code(first)])
    assert "You were in the middle of email verification" in second
    assert "Email verified" in second
    assert "You're all set" in second
    db = sqlite3.connect(tmp_path / "agora.db")
    assert db.execute("select display_name, country, city from accounts").fetchall() == [
        ("Ann Ozola", "LV", "Riga")]


def test_help_lists_every_command():
    result = subprocess.run([*AGORA, "--help"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": ROOT})
    for command in ("serve", "chat", "db"):
        assert command in result.stdout


def test_a_wrong_setting_stops_the_start_with_one_line(tmp_path):
    env = {**agora_env(), "AGORA_DATABASE_URL": "mysql://nope"}
    result = subprocess.run([*AGORA, "db", "upgrade"], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: AGORA_DATABASE_URL: must start with sqlite+aiosqlite:// or "
        "postgresql+asyncpg://"]


def test_serve_starts_on_sqlite_with_no_tokens_and_answers_health(tmp_path):
    port = free_port()
    proc = subprocess.Popen([*AGORA, "serve", "--port", str(port)], cwd=tmp_path,
                            env=agora_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        body = None
        for _ in range(100):
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert body is not None and body["status"] == "ok" and body["channels"] == []
        assert body["database"] == "ok" and body["redis"] == "not configured"
        assert body["leader"] is True  # one process on SQLite: it runs the timed jobs
        assert body["outbox"]["pending"] >= 0
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert "agora chat --as" in output
    assert (tmp_path / "agora.db").exists()
    box = output[output.index("┌"):]
    assert "agora chat --as yourname" in box and str(tmp_path / "agora.db") in box
    before = output[:output.index("┌")]  # the logs come first
    assert "Application startup complete" in before
    assert "apscheduler" not in output  # each job's runs at INFO would bury the box


def test_chat_says_which_database_it_opened_and_warns_when_it_is_new(tmp_path):
    first = chat(tmp_path, "ann", ["/help"])
    assert f"No Agora database at {tmp_path / 'agora.db'} yet" in first
    second = chat(tmp_path, "ann", ["/help"])
    assert f"Database: {tmp_path / 'agora.db'}" in second and "No Agora database" not in second


def test_chat_started_in_another_folder_joins_the_database_agora_serve_is_using(tmp_path):
    served, elsewhere = tmp_path / "served", tmp_path / "elsewhere"
    served.mkdir(), elsewhere.mkdir()
    port = free_port()
    proc = subprocess.Popen([*AGORA, "serve", "--port", str(port)], cwd=served, env=agora_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        joined = chat(elsewhere, "ann", ["Ann Ozola", "skip", "ann@example.com", "a", "done",
                                         "Latvia", "Riga", "done"])
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert f"Database: {served / 'agora.db'} — the one `agora serve` is using." in joined
    assert not (elsewhere / "agora.db").exists()
    db = sqlite3.connect(served / "agora.db")
    assert db.execute("select display_name from accounts").fetchall() == [("Ann Ozola",)]
    alone = chat(elsewhere, "ann", ["/help"])  # the server has stopped: a new database, said so
    assert f"No Agora database at {elsewhere / 'agora.db'} yet" in alone


def test_a_terminal_shows_only_its_own_users_emails(tmp_path):
    chat(tmp_path, "ann", ["Ann Ozola", "skip", "ann@example.com", "a", "done", "Latvia", "Riga",
                           "done"])
    db = sqlite3.connect(tmp_path / "agora.db")
    db.execute("INSERT INTO outbox (account_id, channel, address, payload, urgent, status, attempts, "
               "available_at, created_at) VALUES (1, 'email', 'ann@example.com', "
               "'{\"subject\": \"x\", \"text\": \"code for ann 111111\"}', 1, 'pending', 0, "
               "'2000-01-01 00:00:00', '2000-01-01 00:00:00')")
    db.commit()
    second = chat(tmp_path, "bob", ["Bob Berg", "skip", "bob@example.com", "a", "done", "Sweden",
                                    "Gothenburg", "done"])
    assert "email to bob@example.com" in second
    assert "code for ann" not in second


def test_a_database_chosen_for_chat_is_kept_even_while_a_server_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.delenv("AGORA_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    (tmp_path / "agora").mkdir()
    (tmp_path / "agora" / "serving.json").write_text(json.dumps(
        {"pid": os.getpid(), "database_url": "sqlite+aiosqlite:////srv/agora.db",
         "data_dir": "/srv/agora-data"}))
    chosen = load_settings(database_url="sqlite+aiosqlite:///./mine.db")
    assert same_data_as_serve(chosen) == (chosen, False)
    joined, served = same_data_as_serve(load_settings())
    assert served and (joined.database_url, joined.data_dir) == (
        "sqlite+aiosqlite:////srv/agora.db", "/srv/agora-data")


async def test_a_terminal_keeps_a_file_named_by_its_sender_inside_its_own_folder(tmp_path):
    out = io.StringIO()
    bob = offline_terminal("bob", tmp_path / "data", out)  # rendering alone: no application
    bob.render([FileReply("../../CMR scan.pdf", b"%PDF one", "application/pdf", "From Sam"),
                FileReply("CMR scan.pdf", b"%PDF two", "application/pdf")])
    paths = [line.removeprefix("   saved to ") for line in out.getvalue().splitlines()
             if line.startswith("   saved to ")]
    folder = (tmp_path / "data" / "exports" / "bob").resolve()
    assert [Path(p).parent for p in paths] == [folder, folder]
    assert _contents(paths) == [b"%PDF one", b"%PDF two"]  # none lost
    assert "📎 ../../CMR scan.pdf (8 bytes) From Sam" in out.getvalue()


def _contents(paths: list[str]) -> list[bytes]:
    return [Path(path).read_bytes() for path in paths]


async def test_a_button_keeps_its_letter_when_an_error_adds_a_support_button(app):
    out = io.StringIO()
    ann = TerminalChat(app, "ann", io.StringIO(), out)
    for line in ("/start", "Ann Ozola", "skip", "ann@example.com", "a"):
        await ann.handle_line(line)
    before = out.getvalue().splitlines()[-2:]
    await ann.handle_line("zzz")  # not an option: an error with a Support button, then the step
    after = out.getvalue().splitlines()
    assert "[e] Done ✔" in before[0] and "[f] ◀ Back" in before[1]
    assert after[-2:] == before and "🆘 Support" in out.getvalue()
    await ann.handle_line("e")  # still Done, not Back
    assert "Registration · 5/7" in out.getvalue().split("zzz")[-1]
