"""The deal and offer processes as a Markdown page (docs/deal-process.md is this, written out)."""

from __future__ import annotations

from core.deals.process import CONTRACT_PROCESS, DEAL_PROCESS, OFFER_PROCESS
from core.process import Process


def _section(process: Process) -> str:
    rows = [f"| {name} | {', '.join(sources)} | {', '.join(actors)} | {target} |\n"
            for name, sources, actors, target in process.authorisation_table()]
    return (f"\n## {process.name}\n\n```mermaid\n{process.diagram()}```\n"
            "\n| transition | from | who | to |\n|---|---|---|---|\n" + "".join(rows))


def markdown() -> str:
    head = ("# Deal, offer and contract processes\n"
            "Generated from `core/deals/process.py` (a test fails when this file and the "
            "declaration differ).\n")
    return head + "".join(_section(p) for p in (OFFER_PROCESS, DEAL_PROCESS, CONTRACT_PROCESS))
