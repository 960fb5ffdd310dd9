"""What a deal step keeps between its questions: declared once for the steps asked in
conversations.flows.deals.deal_steps and the forms of conversations.flows.deals.deal_step_forms."""

from __future__ import annotations

from conversations.flow_state import FlowState


class DealStep(FlowState):
    """What a deal step keeps between its questions."""

    deal_id: int
    step: str  # the process's name of the step, or terms, carbon, pay
    charges: bool = True  # billing details asked of a seller (who charges VAT)
    specs: list[str] = []  # the quality specs a report measures
    on_terms: list[str] = []  # the deal's payment on terms: kept as a choice when changing
    sha256: str = ""  # the version of the terms shown to accept
