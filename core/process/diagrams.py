"""The processes as Markdown pages (docs/deal-process.md, booking-process.md and
ticket-process.md are these, written out; a test fails when a page and its declaration differ)."""

from __future__ import annotations

from core.process.bookings import BOOKING_PROCESS, STATE_LABELS
from core.process.deals import CONTRACT_PROCESS, DEAL_PROCESS, OFFER_PROCESS
from core.process.model import Process
from core.process.tickets import OPERATOR_LABELS, TICKET_PROCESS


def diagram_and_table(process: Process) -> str:
    """The diagram, then who may take each step from where, who hears of it and (where the
    process declares effects) what else it sets going, then what each effect does."""
    table = process.authorisation_table()
    effects = bool(process.effects)
    rows = [f"| {name} | {', '.join(sources)} | {', '.join(actors)} | {target} | "
            f"{step.who_hears()} |" + (f" {', '.join(step.effects)} |" if effects else "") + "\n"
            for (name, sources, actors, target), step in zip(table, process.transitions,
                                                             strict=True)]
    head = "| transition | from | who | to | who hears |" + (" effects |" if effects else "")
    rule = "|---|---|---|---|---|" + ("---|" if effects else "")
    said = ("\n| effect | what it does |\n|---|---|\n"
            + "".join(f"| {name} | {what} |\n" for name, what in process.effects.items())
            if effects else "")
    return (f"\n```mermaid\n{process.diagram()}```\n"
            f"\n{head}\n{rule}\n" + "".join(rows) + said)


def _meanings(process: Process, labels: dict[str, str], column: str) -> str:
    rows = [f"| {state} | {labels.get(state, '')} |\n" for state in process.states]
    return f"\n| {column} | meaning |\n|---|---|\n" + "".join(rows)


def deal_page() -> str:
    head = ("# Deal, offer and contract processes\n"
            "Generated from `core/process/deals.py` (a test fails when this file and the "
            "declaration differ). *Who hears* is each transition's declared notices, sent by "
            "`core/deals/notices/book.py`; the buyer and the seller hear of a deal's move with "
            "their next steps, and every admin (`admins`) of a deal entering dispute, with the "
            "dispute to decide. *Effects* are what else a transition sets going, each carried "
            "out by the context named in its meaning (`core/process/effects.py`): when money "
            "moves, a deposit is settled or points are earned is read from this declaration "
            "only.\n")
    return head + "".join(f"\n## {p.name}\n" + diagram_and_table(p)
                          for p in (OFFER_PROCESS, DEAL_PROCESS, CONTRACT_PROCESS)) + INSPECTION


# An inspection stands beside the deal, not in its process: what it adds to the deal's steps.
INSPECTION = """
## Beside the deal: an independent inspection

While a deal is paid and its quality not yet confirmed (`to_ship`, `shipped`, `delivered`),
either party may book an independent inspector from the deal card (🔬 Book an inspection): a
live consultant whose profile offers *sampling and lab analysis* at a fixed fee per inspection
(`core/consulting/inspections/`). It is not a state of the deal; it feeds the deal's own
`report-quality` step.

{rows}

With the figures in, the buyer's `report-quality` (🔬 Report quality with these figures) offers
them first: reported as they are, the quality report is marked *by independent inspector X*
and the deal goes on as after any report (`confirm-receipt` within the limits, else
`adjustment_proposed` for the seller to accept or reject); the buyer may enter her own instead.
One inspection is open per deal at a time; the sampling record stays in the deal's documents.
"""
_INSPECTION_ROWS = (
    ("inspection", "next", "who", "what follows"),
    ("awaiting_payment", "booked", "the party who booked (authorises the fee)",
     "the inspector is asked, with the deal's frozen goods and quality terms (no parties, no "
     "price)"),
    ("booked", "accepted, declined", "the inspector",
     "both parties are told; declined: the fee's authorisation is voided and another inspector "
     "may be booked"),
    ("accepted", "delivered", "the inspector (sampling record, then the lab's figures)",
     "the fee is captured less the consulting commission; both parties get the figures, the "
     "sampling record and the adjustment they give under the frozen terms"),
    ("awaiting_payment, booked, accepted", "lapsed", "system, 5 days after booking",
     "the fee's authorisation is voided; all three are told"))
INSPECTION = INSPECTION.format(rows="\n".join(
    [f"| {' | '.join(row)} |" for row in _INSPECTION_ROWS[:1]] + ["|---|---|---|---|"]
    + [f"| {' | '.join(row)} |" for row in _INSPECTION_ROWS[1:]]))


def booking_page() -> str:
    """The diagram, who may take each step from where, and what each state means."""
    return ("# Booking process\n"
            "Generated from `core/process/bookings.py` (a test fails when this file and the "
            "declaration differ). Timers counted from the start or end run from the booked "
            "session's own time; `(same)` keeps the state. A “talk now” request waits the "
            "policy's join window (2 minutes by default) instead of a day. Reminders go 24 h "
            "and 15 min before the start. `authorise-payment` runs only for a session "
            "confirmed more than 5 days ahead: the maximum is authorised off-session on the "
            "card the seeker saved at booking, or the seeker is asked when none was saved or it "
            "was declined; `release-unpaid` is taken only while still unpaid. "
            "From `starting` the live session decides: its start, "
            "end and no-show timer take `start-session`, `complete-session` and the no-shows "
            "as the system (`core/consulting/sessions/link.py`). *Who hears* is each "
            "transition's declared notices, sent by `core/consulting/booking_notices.py` "
            "(`other`: the party who did not take the step).\n"
            + diagram_and_table(BOOKING_PROCESS) + _meanings(BOOKING_PROCESS, STATE_LABELS, "state"))


def ticket_page() -> str:
    """The diagram, who may take each step from where, and what each status means."""
    return ("# Support ticket process\n"
            "Generated from `core/process/tickets.py` (a test fails when this file and the "
            "declaration differ). The first-answer deadline is `AGORA_SUPPORT_SLA_HOURS` "
            "(default 4) after opening; when it passes while the ticket is still `open`, every "
            "admin is told once. `(same)` keeps the status. Operators are whoever "
            "`core.support.service.can_handle_support` accepts (today: administrators).\n"
            + diagram_and_table(TICKET_PROCESS)
            + _meanings(TICKET_PROCESS, OPERATOR_LABELS, "status"))
