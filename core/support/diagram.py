"""The ticket process as a Markdown page (docs/ticket-process.md is this, written out)."""

from __future__ import annotations

from core.support.process import OPERATOR_LABELS, TICKET_PROCESS


def markdown() -> str:
    """The page: the diagram, who may take each step from where, and what each status means."""
    rows = [f"| {name} | {', '.join(sources)} | {', '.join(actors)} | {target} |\n"
            for name, sources, actors, target in TICKET_PROCESS.authorisation_table()]
    states = [f"| {state} | {OPERATOR_LABELS.get(state, '')} |\n"
              for state in TICKET_PROCESS.states]
    return ("# Support ticket process\n"
            "Generated from `core/support/process.py` (a test fails when this file and the "
            "declaration differ). The first-answer deadline is `AGORA_SUPPORT_SLA_HOURS` "
            "(default 4) after opening; when it passes while the ticket is still `open`, every "
            "admin is told once. `(same)` keeps the status. Operators are whoever "
            "`core.support.service.can_handle_support` accepts (today: administrators).\n"
            f"\n```mermaid\n{TICKET_PROCESS.diagram()}```\n"
            "\n| transition | from | who | to |\n|---|---|---|---|\n" + "".join(rows)
            + "\n| status | meaning |\n|---|---|\n" + "".join(states))
