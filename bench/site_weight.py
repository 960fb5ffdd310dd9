"""Page weight and layout shift of the public site, as a visitor's browser measures them.

Runs the product as a person would (`agora demo seed`, then `agora serve` on a scratch SQLite
database and a free port), opens every kind of public page in Debian's Chromium, waits until
the network is idle (so a map's lazily loaded Leaflet counts), and reads the browser's own
Resource Timing: bytes that crossed the wire for the HTML, CSS and JavaScript (images and fonts
excluded, as the budget says), their decoded size, and the Cumulative Layout Shift.

Prints one line: `site_weight pages=N max_kb=… max_page=… vs_budget=… decoded_max_kb=… cls_max=…`
where vs_budget is the heaviest page over the 100 KB budget (≤ 1.00 meets it).

    python bench/site_weight.py [--width 1280]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.servers import free_port

BUDGET_KB = 100.0
KINDS = ("/", "/listings", "/listings?q=pellets&near=Riga", "{listing}", "/requests",
         "/consultants", "/market", "/market/pellets", "/boards", "/events", "/help")
WEIGHT = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const code = performance.getEntriesByType('resource')
        .filter(r => /\\.(css|js)(\\?|$)/.test(new URL(r.name).pathname));
    const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
    return {wire: nav.transferSize + sum(code, 'transferSize'),
            decoded: nav.decodedBodySize + sum(code, 'decodedBodySize')};
}"""
SHIFT = """() => new Promise(done => {
    let total = 0;
    new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) total += e.value; }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => done(total), 250);
})"""


def _agora() -> str:
    return shutil.which("agora") or str(Path(sys.executable).with_name("agora"))


def _start(folder: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AGORA_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'agora.db'}",
           "AGORA_DATA_DIR": str(folder / "data"), "AGORA_MAP_TILES_URL": ""}
    subprocess.run([_agora(), "demo", "seed", "--count", "120"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    server = subprocess.Popen([_agora(), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("agora serve did not start")


async def measure(base: str, width: int) -> dict[str, tuple[float, float, float]]:
    """(wire KB, decoded KB, layout shift) of each kind of page."""
    from playwright.async_api import async_playwright

    chromium = os.environ.get("AGORA_TEST_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("Chromium is not installed (apt-get install -y chromium)")
    found: dict[str, tuple[float, float, float]] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, headless=True,
                                           args=["--no-sandbox", "--disable-gpu"])
        try:
            listing = await _a_listing(browser, base)
            for kind in KINDS:
                path = kind.format(listing=listing)
                context = await browser.new_context(viewport={"width": width, "height": 900})
                page = await context.new_page()  # a first visit each time: nothing cached
                await page.goto(base + path)
                await page.wait_for_load_state("networkidle")
                weight = await page.evaluate(WEIGHT)
                found[path] = (weight["wire"] / 1024, weight["decoded"] / 1024,
                               await page.evaluate(SHIFT))
                await context.close()
        finally:
            await browser.close()
    return found


async def _a_listing(browser, base: str) -> str:
    """The address of one listing, found as a visitor would (in a context of its own)."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(base + "/listings")
    href = await page.get_attribute(".card.item h2 a", "href")
    await context.close()
    assert href and re.fullmatch(r"/listings/\d+", href), href
    return href


def main(argv: list[str] | None = None) -> dict[str, tuple[float, float, float]]:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--width", type=int, default=1280)
    options = args.parse_args(argv)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="agora-weight-") as scratch:
        server = _start(Path(scratch), port)
        try:
            found = asyncio.run(measure(f"http://127.0.0.1:{port}", options.width))
        finally:
            server.terminate()
            server.wait(timeout=10)
    heaviest = max(found, key=lambda p: found[p][0])
    wire, __, __ = found[heaviest]
    print(f"site_weight pages={len(found)} max_kb={wire:.1f} max_page={heaviest} "
          f"vs_budget={wire / BUDGET_KB:.2f} "
          f"decoded_max_kb={max(d for __, d, __ in found.values()):.1f} "
          f"cls_max={max(s for __, __, s in found.values()):.3f}")
    return found


if __name__ == "__main__":
    main()
