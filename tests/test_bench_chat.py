"""bench/chat.py runs small: a few Telegram users register and browse through a real `agora serve`
on SQLite; every step is answered, in order, the code arrives by email, and the line has its
shape (the bare bot and PostgreSQL left out: their figures are nan)."""

from __future__ import annotations

import importlib.util
import math
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "chat.py"
NUMBER = r"(nan|[\d.]+)"
LINE = re.compile(rf"^chat per_s={NUMBER} bare_per_s={NUMBER} ratio={NUMBER} p99_ms={NUMBER} "
                  rf"bare_p99_ms={NUMBER} workers2_per_s={NUMBER} code_p95_ms={NUMBER} "
                  r"languages=(\d+)$")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_chat", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_a_few_users_register_and_browse_with_every_reply_in_order(capsys):
    # Nine users, one per language: each registers and browses in their own (its buttons and
    # the replies it waits for are its language's).
    result = await _bench().main(["--users", "9", "--only", "sqlite-1", "--listings", "12",
                                  "--repeat", "1", "--languages", "all"])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    match = LINE.match(line)
    assert match, line
    per_s, bare_per_s, ratio, p99, bare_p99, workers2, code_p95, languages = (
        float(v) for v in match.groups())
    assert per_s > 0 and p99 > 0 and code_p95 > 0 and languages == 9
    assert all(math.isnan(v) for v in (bare_per_s, ratio, bare_p99, workers2))
    assert result["failed"] == 0
    assert result["order_kept"]
    assert set(result["results"]) == {"sqlite-1"}
