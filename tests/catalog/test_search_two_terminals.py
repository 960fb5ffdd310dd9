"""Two people sharing one SQLite file, each in their own `agora chat`: a listing published in
one process is found by the next search in the other, still running (no change feed on SQLite,
no scheduler in a terminal chat)."""

from __future__ import annotations

import asyncio
import queue
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from tests.catalog.helpers import publish
from tests.support.accounts import registered
from tests.support.terminal import AGORA, agora_env, dev_container


async def _people(folder: Path) -> int:
    app = dev_container(folder)
    try:
        sam = await registered(app, "sam", roles=("seller",), display_name="Sam", country="LV",
                               city="Riga")
        await registered(app, "bob", display_name="Bob", country="EE", city="Tallinn")
        return sam.id
    finally:
        await app.close()


async def _publish(folder: Path, seller_id: int) -> None:
    app = dev_container(folder)
    try:
        await publish(app, SimpleNamespace(id=seller_id), title="Pellets from the other terminal")
    finally:
        await app.close()


class Terminal:
    """A running `agora chat`: lines typed in, what it printed read as it prints."""

    def __init__(self, folder: Path, name: str) -> None:
        env = {**agora_env(), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([*AGORA, "chat", "--as", name], cwd=folder, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def type(self, line: str, until: str, seconds: float = 30) -> str:
        """Type a line; what was printed up to the first line holding `until`."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        printed, ends = [], time.monotonic() + seconds
        while time.monotonic() < ends:
            try:
                printed.append(self.lines.get(timeout=0.5))
            except queue.Empty:
                continue
            if until in printed[-1]:
                return "".join(printed)
        raise AssertionError(f"never printed {until!r}:\n{''.join(printed)}")

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_a_running_chat_finds_a_listing_published_by_another_process(tmp_path):
    subprocess.run([*AGORA, "db", "upgrade"], cwd=tmp_path, env=agora_env(), check=True,
                   capture_output=True, timeout=60)
    sam = asyncio.run(_people(tmp_path))
    bob = Terminal(tmp_path, "bob")
    try:
        before = bob.type("/search pellets", until="Nothing matches yet")
        assert "Pellets from the other terminal" not in before
        asyncio.run(_publish(tmp_path, sam))  # this process, not bob's, writes the listing
        time.sleep(1.2)  # a look at the database at most once a second
        after = bob.type("/search pellets", until="Refine or keep this search")
        assert "Pellets from the other terminal" in after and "1 result" in after
    finally:
        bob.close()
