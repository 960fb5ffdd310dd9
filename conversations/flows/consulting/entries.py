"""Consultant marketplace flows: the consultant's profile and figures, the directory and a
consultant's page, bookings and their answers, the live session and its review, an inspection
booked into a deal and the inspector's steps."""

from conversations.flow import Entry
from conversations.flows.consulting.booking import booking_answer, booking_flow
from conversations.flows.consulting.bookings import bookings_flow
from conversations.flows.consulting.consult_session import review_flow, session_flow
from conversations.flows.consulting.consultant_metrics import consultant_metrics
from conversations.flows.consulting.consultant_page import consultant_flow
from conversations.flows.consulting.consultant_profile import consultant_profile
from conversations.flows.consulting.consultants import consultants_flow
from conversations.flows.consulting.inspection import (
    inspection_book_flow,
    inspection_flow,
    inspection_step_flow,
)
from conversations.flows.consulting.my_calendar import my_calendar
from conversations.flows.consulting.packages import packages_flow
from conversations.flows.consulting.session_recap import recap_flow

CONSULTING_FLOWS: list[Entry] = [
    consultant_profile, consultant_metrics, consultants_flow, consultant_flow, booking_flow,
    booking_answer, bookings_flow, session_flow, review_flow, recap_flow, my_calendar,
    packages_flow, inspection_book_flow, inspection_flow, inspection_step_flow,
]
