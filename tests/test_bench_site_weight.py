"""bench/site_weight.py measures the running product in Chromium and prints one line; every
kind of public page and every screen of the Telegram Mini App stays within 100 KB of HTML, CSS
and JavaScript and does not shift."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "site_weight.py"
LINE = re.compile(r"^site_weight pages=(\d+) max_kb=(\S+) max_page=\S+ vs_budget=(\S+) "
                  r"decoded_max_kb=\S+ cls_max=(\S+) app_pages=(\d+) app_max_kb=\S+ "
                  r"app_max_page=\S+ app_vs_budget=(\S+) app_cls_max=(\S+)$")

pytestmark = pytest.mark.browser


@pytest.mark.timeout(300)  # a page waits for the network to settle up to 90 s on a busy machine
def test_every_kind_of_page_is_within_the_budget_and_does_not_shift(capsys):
    spec = importlib.util.spec_from_file_location("bench_site_weight", BENCH)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    site, app = module.main(["--width", "1280"])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    parsed = LINE.match(line)
    assert parsed, line
    assert int(parsed.group(1)) == len(module.KINDS) == len(site)
    assert float(parsed.group(3)) <= 1.0 and float(parsed.group(4)) < 0.1
    assert int(parsed.group(5)) == len(module.APP_KINDS) == len(app)
    assert float(parsed.group(6)) <= 1.0 and float(parsed.group(7)) < 0.1
    # every page was really measured (and each screen of the app waited for: bench._weigh)
    assert all(wire > 3 for wire, __, __ in [*site.values(), *app.values()])
