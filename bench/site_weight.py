"""Page weight and layout shift of the public site and the Telegram Mini App, as a visitor's
browser measures them.

Runs the product as a person would (`agora demo seed`, then `agora serve` on a scratch SQLite
database and a free port, its bot pointed at a stand-in Bot API on 127.0.0.1), opens every kind
of public page in Debian's Chromium, waits until the network is idle (no request of the page's
in flight for half a second, so a map's lazily loaded Leaflet counts), and reads the browser's
own Resource Timing: bytes that crossed the wire for the HTML, CSS and JavaScript (images and
fonts excluded, as the budget says), their decoded size, and the Cumulative Layout Shift. Then
every screen of the Mini App, opened as Telegram opens it for the demo's first seller (signed
initData; Telegram's own script is Telegram's and is not counted), where the screen's HTML
arrives by fetch and counts too.

Prints one line: `site_weight pages=N max_kb=… max_page=… vs_budget=… decoded_max_kb=… cls_max=…
app_pages=N app_max_kb=… app_max_page=… app_vs_budget=… app_cls_max=…` where vs_budget is the
heaviest page over the 100 KB budget (≤ 1.00 meets it).

    python bench/site_weight.py [--width 1280]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.fake_telegram import FakeTelegram
from tests.support.mini_app import TELEGRAM_SCRIPT, signed_init_data, stand_in
from tests.support.servers import free_port, serve

BUDGET_KB = 100.0
SETTLE_MS = 90_000  # a page's load and network idle, at most
AT_ONCE = 4  # pages measured at the same time, each in its own browser context
KINDS = ("/", "/listings", "/listings?q=pellets&near=Riga", "{listing}", "/requests",
         "/consultants", "/market", "/market/pellets", "/boards", "/events", "/help")
APP_KINDS = ("/app/listings", "/app/listings?q=pellets+near+riga", "/app{listing}", "/app/sell",
             "/app/mine", "/app/deals", "/app/consultants")
TELEGRAM_USER = 9001  # the demo's first seller, opening the app from Telegram
WEIGHT = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const code = performance.getEntriesByType('resource')
        .filter(r => new URL(r.name).origin === location.origin)
        .filter(r => r.initiatorType === 'fetch'
                     || /\\.(css|js)(\\?|$)/.test(new URL(r.name).pathname));
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


async def _start(folder: Path, port: int, telegram: FakeTelegram) -> asyncio.subprocess.Process:
    """`agora demo seed` and `agora serve`, its bot on the stand-in Bot API; the demo's first
    seller has opened the bot in Telegram (an identity of theirs there)."""
    database = folder / "agora.db"
    env = {**os.environ, "AGORA_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
           "AGORA_DATA_DIR": str(folder / "data"), "AGORA_MAP_TILES_URL": "",
           "AGORA_TELEGRAM_TOKEN": telegram.token,
           "AGORA_TELEGRAM_API_URL": f"{telegram.url}/bot"}
    await asyncio.to_thread(subprocess.run, [_agora(), "demo", "seed", "--count", "120"],
                            env=env, check=True, stdout=subprocess.DEVNULL)
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO identities (account_id, channel, user_key, address, created_at) "
                   "SELECT account_id, 'telegram', ?, ?, created_at FROM identities "
                   "WHERE channel = 'demo' AND user_key = 'seller-0'",
                   (str(TELEGRAM_USER), str(TELEGRAM_USER)))
    server = await asyncio.create_subprocess_exec(
        _agora(), "serve", "--port", str(port), env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            await asyncio.to_thread(urllib.request.urlopen, f"http://127.0.0.1:{port}/healthz",
                                    timeout=1)
            return server
        except OSError:
            await asyncio.sleep(0.1)
    server.kill()
    raise SystemExit("agora serve did not start")


Found = dict[str, tuple[float, float, float]]  # page → (wire KB, decoded KB, layout shift)


async def measure(base: str, width: int, token: str) -> tuple[Found, Found]:
    """Each kind of site page, then each screen of the Mini App."""
    from playwright.async_api import async_playwright

    chromium = os.environ.get("AGORA_TEST_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("Chromium is not installed (apt-get install -y chromium)")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, headless=True,
                                           args=["--no-sandbox", "--disable-gpu"])
        try:
            listing = await _a_listing(browser, base)
            telegram = stand_in(signed_init_data(token, TELEGRAM_USER,
                                                 datetime.now(UTC)))
            site = await _weigh_all(browser, base, width,
                                    [kind.format(listing=listing) for kind in KINDS])
            app = await _weigh_all(browser, base, width,
                                   [kind.format(listing=listing) for kind in APP_KINDS], telegram)
        finally:
            await browser.close()
    return site, app


async def _weigh_all(browser, base: str, width: int, paths: list[str],
                     telegram: str | None = None) -> Found:
    """Each page in a fresh context of its own, a few at a time: what is measured (bytes on
    the wire, layout shift) is the page's own, and most of a visit is waiting for the network
    to be idle."""
    at_once = asyncio.Semaphore(AT_ONCE)

    async def one(path: str) -> tuple[float, float, float]:
        async with at_once:
            return await _weigh(browser, base + path, width, telegram)

    return dict(zip(paths, await asyncio.gather(*(one(path) for path in paths)), strict=True))


async def _weigh(browser, address: str, width: int,
                 telegram: str | None = None) -> tuple[float, float, float]:
    """A first visit (nothing cached), inside Telegram when its script is given."""
    context = await browser.new_context(viewport={"width": width, "height": 900})
    page = await context.new_page()
    if telegram is not None:
        await page.route(TELEGRAM_SCRIPT, lambda route: route.fulfill(
            body=telegram, content_type="application/javascript"))
    network = _Network(page)
    # Waits as long as a busy two-core machine needs (the whole suite runs beside it): a page
    # that takes this long would fail on its bytes and shift, not on the wait.
    await page.goto(address, timeout=SETTLE_MS)
    await network.idle(address)
    if telegram is not None:  # the screen, not the shell's "Opening Agora…"
        await page.wait_for_selector("main [data-title], main h1", timeout=10_000)
    weight = await page.evaluate(WEIGHT)
    shift = await page.evaluate(SHIFT)
    await context.close()
    return weight["wire"] / 1024, weight["decoded"] / 1024, shift


class _Network:
    """The page's requests in flight, counted from its own request events: idle is none for
    IDLE_S. Playwright's "networkidle" load state is not used: in Chromium it at times never
    fires with every request long finished (microsoft/playwright#19835), which failed this
    benchmark once in a whole-suite run with no request pending."""

    IDLE_S = 0.5

    def __init__(self, page) -> None:
        self.pending: set[object] = set()  # playwright's Request objects
        self.last = time.monotonic()
        page.on("request", lambda r: self._saw(r, True))
        page.on("requestfinished", lambda r: self._saw(r, False))
        page.on("requestfailed", lambda r: self._saw(r, False))

    def _saw(self, request: object, started: bool) -> None:
        (self.pending.add if started else self.pending.discard)(request)
        self.last = time.monotonic()

    async def idle(self, address: str) -> None:
        until = time.monotonic() + SETTLE_MS / 1000
        while self.pending or time.monotonic() - self.last < self.IDLE_S:
            if time.monotonic() > until:
                raise RuntimeError(f"{address} never settled: "
                                   f"{sorted(r.url for r in self.pending)}")  # type: ignore[attr-defined]
            await asyncio.sleep(0.05)


async def _a_listing(browser, base: str) -> str:
    """The address of one listing, found as a visitor would (in a context of its own)."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(base + "/listings")
    href = await page.get_attribute(".card.item h2 a", "href")
    await context.close()
    assert href and re.fullmatch(r"/listings/\d+", href), href
    return href


async def run(width: int) -> tuple[Found, Found]:
    telegram = FakeTelegram()
    port = free_port()
    async with serve(telegram.app()) as telegram.url:
        with tempfile.TemporaryDirectory(prefix="agora-weight-") as scratch:
            server = await _start(Path(scratch), port, telegram)
            try:
                await _warm(f"http://127.0.0.1:{port}")
                return await measure(f"http://127.0.0.1:{port}", width, telegram.token)
            finally:
                telegram.close()
                server.terminate()
                await asyncio.wait_for(server.wait(), 10)


async def _warm(base: str) -> None:
    """Each kind of page asked for once before anything is measured: what is measured is a
    visitor's page of a server that has been serving (bytes and layout shift), not a process's
    first moments (templates compiled, indexes built, its start-up jobs running), in which a
    first page once did not settle within 90 s on a busy two-core machine."""
    for path in KINDS:
        if "{listing}" in path:
            continue
        await asyncio.to_thread(_read, base + path)


def _read(address: str) -> bytes:
    with urllib.request.urlopen(address, timeout=SETTLE_MS / 1000) as response:
        return bytes(response.read())


def _summary(found: Found) -> tuple[str, float]:
    heaviest = max(found, key=lambda p: found[p][0])
    return heaviest, found[heaviest][0]


def main(argv: list[str] | None = None) -> tuple[Found, Found]:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--width", type=int, default=1280)
    options = args.parse_args(argv)
    site, app = asyncio.run(run(options.width))
    page, wire = _summary(site)
    app_page, app_wire = _summary(app)
    print(f"site_weight pages={len(site)} max_kb={wire:.1f} max_page={page} "
          f"vs_budget={wire / BUDGET_KB:.2f} "
          f"decoded_max_kb={max(d for __, d, __ in site.values()):.1f} "
          f"cls_max={max(s for __, __, s in site.values()):.3f} "
          f"app_pages={len(app)} app_max_kb={app_wire:.1f} app_max_page={app_page} "
          f"app_vs_budget={app_wire / BUDGET_KB:.2f} "
          f"app_cls_max={max(s for __, __, s in app.values()):.3f}")
    return site, app


if __name__ == "__main__":
    main()
