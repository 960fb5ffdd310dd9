"""Running the real `agora` command in a subprocess, the way a person uses the terminal chat."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

AGORA = [sys.executable, "-c", "from bots.cli import main; main()"]
ROOT = str(Path(__file__).resolve().parents[2])
STATE = tempfile.mkdtemp(prefix="agora-test-state-")


def agora_env() -> dict[str, str]:
    """The environment without the caller's AGORA_ settings, in development mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
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
