"""What `/company` keeps between its questions: declared once for the card's steps in
conversations.flows.company.company and the colleagues' in
conversations.flows.company.company_colleagues."""

from __future__ import annotations

from conversations.flow_state import FlowState


class AtCompany(FlowState):
    """What the company's flow keeps between its questions."""

    ws: int | None = None  # the company of the Slack workspace one may ask to join
    member: int  # the colleague whose roles and limit are being changed
