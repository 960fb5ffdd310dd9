"""Accessibility checks in the browser: axe-core (Deque's rules engine, shipped inside the
axe-playwright-python package) run against the page as it is, for WCAG 2.2 A and AA."""

from __future__ import annotations

from typing import Any

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


async def violations(page: Any) -> list[str]:
    """Each WCAG A/AA rule the page breaks, as “rule: the first offending element”."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG},
                                             "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['nodes'][0]['html'][:160]}" for v in results.response["violations"]]
