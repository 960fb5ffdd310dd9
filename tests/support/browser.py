"""A real Chromium (Debian's `chromium` package) driven by Playwright for Python.

Nothing may download a browser here, so Playwright is pointed at the system's Chromium with
`executable_path`. Browser tests carry the `browser` marker: without Chromium they are deselected
and the pytest header says NOT RUN; in CI (CI=true) a missing Chromium stops the run before any
test, as an unreachable PostgreSQL does.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    """`AGORA_TEST_CHROMIUM` if set, else the first Chromium on PATH."""
    explicit = os.environ.get("AGORA_TEST_CHROMIUM")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def required() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@asynccontextmanager
async def chromium_page(width: int = 1280, height: int = 900, java_script_enabled: bool = True,
                        locale: str | None = None) -> AsyncIterator[object]:
    """A fresh headless Chromium page (its own context: cookies start empty), with JavaScript
    off when asked (pages that must work without it), in `locale`'s language when given."""
    from playwright.async_api import async_playwright

    path = chromium_path()
    assert path, "Chromium is not installed (apt-get install -y chromium)"
    async with async_playwright() as pw:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        browser = await pw.chromium.launch(executable_path=path, headless=True,
                                           args=["--no-sandbox", "--disable-gpu"])
        try:
            context = await browser.new_context(viewport={"width": width, "height": height},
                                                java_script_enabled=java_script_enabled,
                                                **({"locale": locale} if locale else {}))
            yield await context.new_page()
        finally:
            await browser.close()
