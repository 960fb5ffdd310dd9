"""bench/fanout.py runs small: alerts through the outbox to a Bot API enforcing Telegram's limits
arrive once each, none lost, and the line has its shape."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "fanout.py"
LINE = re.compile(r"^fanout sent=(\d+) lost=(\d+) duplicated=(\d+) rate=([\d.]+) http429=(\d+)$")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_fanout", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_a_small_fan_out_arrives_once_each_within_the_limits(capsys):
    # 90 alerts to 30 chats: three to each, so the per-chat limit binds as well as the bot's.
    result = await _bench().main(["--n", "90", "--chats", "30", "--batch", "40"])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    match = LINE.match(line)
    assert match, line
    sent, lost, duplicated, rate, _ = match.groups()
    assert (int(sent), int(lost), int(duplicated)) == (90, 0, 0)
    assert result["sent"] == 90 and result["lost"] == result["duplicated"] == 0
    assert 0 < float(rate) <= 31  # within the bot's 30 a second
