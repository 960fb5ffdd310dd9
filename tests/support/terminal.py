"""Running the real `agora` command in a subprocess, the way a person uses the terminal chat."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

AGORA = [sys.executable, "-c", "from bots.cli import main; main()"]
ROOT = str(Path(__file__).resolve().parents[2])
STATE = tempfile.mkdtemp(prefix="agora-test-state-")


def dev_container(folder: Path):  # -> config.container.Container
    """A development container on a SQLite file in `folder`, as `agora chat` and `agora serve`
    started there would open it (the subprocess tests' shared database)."""
    from bots.outbound import outbound
    from config.container import build
    from config.settings import Settings

    settings = Settings(database_url=f"sqlite+aiosqlite:///{folder}/agora.db",  # type: ignore[call-arg]
                        environment="development", data_dir=str(folder / "agora-data"))
    return build(settings, **outbound(settings))


def agora_env() -> dict[str, str]:
    """The environment without the caller's AGORA_ settings, in development mode."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AGORA_") and k not in ("LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"  # the chat speaks the terminal's language: English unless a test says
    env["PYTHONPATH"] = ROOT
    env["AGORA_ENVIRONMENT"] = "development"
    env["XDG_STATE_HOME"] = STATE  # where `agora serve` notes its database: not the user's own
    return env


def chat(cwd: Path, name: str, lines: list[str]) -> str:
    """`agora chat --as NAME` with `lines` typed in; returns what it printed."""
    result = subprocess.run([*AGORA, "chat", "--as", name], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, cwd=cwd, env=agora_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def emailed_code(output: str) -> str:
    """The verification code the development email sender printed in the chat."""
    code = re.search(r"verification code is (\d{6})", output)
    assert code, output
    return code.group(1)


@contextlib.contextmanager
def serving(cwd: Path, port: int, env: dict[str, str] | None = None,
            args: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """`agora serve --port PORT` running in `cwd` until the block ends, answering /healthz;
    yields a list that holds everything it printed once it has stopped."""
    proc = subprocess.Popen([*AGORA, "serve", "--port", str(port), *args], cwd=cwd,
                            env=env or agora_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    printed: list[str] = []
    try:
        for _ in range(200):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.communicate()[0]
                time.sleep(0.1)
        yield printed
    finally:
        proc.terminate()
        printed.append(proc.communicate(timeout=20)[0])
