"""How an inspection reads, in its reader's language: the card (the inspector's with the
deal's goods and quality terms), a state in words, the lab's figures with their units."""

from __future__ import annotations

from core.consulting.inspections.rules import InspectionState
from core.consulting.inspections.view import InspectionFacts
from core.deals.cards import figure_text
from core.i18n import N_, _, dates

STATE_WORDS = {
    InspectionState.AWAITING_PAYMENT: N_("booked; the fee waits for its authorisation"),
    InspectionState.BOOKED: N_("waiting for the inspector's answer"),
    InspectionState.ACCEPTED: N_("accepted: sampling and lab analysis under way"),
    InspectionState.DELIVERED: N_("results delivered"),
    InspectionState.DECLINED: N_("declined by the inspector; the fee is given back"),
    InspectionState.LAPSED: N_("no results by the deadline; the fee is given back"),
}


def figures_text(facts: InspectionFacts) -> str:
    """“Feuchte 12,4 %, Asche 1,1 %, Heizwert 16,9 MJ/kg” in the reader's words and numbers
    (as the deal's quality report writes them)."""
    return ", ".join(figure_text(name, value) for name, value in facts.results.items())


def inspection_text(facts: InspectionFacts) -> str:
    """The inspection's card: the deal, the inspector and fee, where it stands, the deadline,
    the figures once in; for the inspector, the terms' goods and quality clauses."""
    lines = [_("🔬 Inspection #{id} for deal #{deal}", id=facts.id, deal=facts.deal_id),
             _("Inspector: {name} · fee {fee}", name=facts.inspector, fee=facts.fee),
             _("Status: {status}", status=_(STATE_WORDS[facts.state]))]
    if facts.state in (InspectionState.BOOKED, InspectionState.ACCEPTED):
        lines.append(_("Results due by {day}", day=dates.day(facts.due_at)))
    if facts.results:
        lines.append(_("Lab results: {figures}", figures=figures_text(facts)))
    if facts.terms:
        lines.append(_("The deal's frozen terms:"))
        lines += [f"• {label}: {text}" for label, text in facts.terms]
    return "\n".join(lines)
