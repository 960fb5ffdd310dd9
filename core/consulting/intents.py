"""What the buttons of the consultant market point a person to (`ConsultingIntent`).

Sessions: the arg is the session id ("id:minutes" to extend; "reply:id" to answer a review).
Consultants: the arg is a booking or consultant id; an answer is "verb:booking[:proposal]"
(accept, decline, propose, withdraw, cancel, reschedule, keep, no-show…); a consultant's
"now:id" starts talk now, "book:id" shows the free slots.

The conversation layer maps each to the flow that carries it out (`Flow.intents`);
core.actions says what an intent is."""

from __future__ import annotations

from core.actions import Intent


class ConsultingIntent:
    """The intents of the consultant market."""

    JOIN_SESSION = Intent("join_session", about="session")
    END_SESSION = Intent("end_session", about="session")
    EXTEND_SESSION = Intent("extend_session", about="session")
    REVIEW_SESSION = Intent("review_session", about="session")
    SESSION_RECAP = Intent("session_recap")  # "notes:id" (the consultant) or "get:id" (the seeker)
    VIEW_BOOKING = Intent("view_booking", about="booking")
    ANSWER_BOOKING = Intent("answer_booking", about="booking")
    VIEW_CONSULTANT = Intent("view_consultant")
    PROMOTE = Intent("promote")  # a consultant's promotion packages
    PACKAGES = Intent("packages")  # a consultant's session packages (arg: their id), or one's own
    # a consultant's own calendar connected, and one's bookings' address
    CALENDAR = Intent("calendar")
    # Inspections (core.consulting.inspections): a deal's party books one (arg: the deal's
    # id); an inspection's card (arg: its id); its steps ("accept:7", "decline:7",
    # "record:7", "results:7", "file:7": the sampling record sent again).
    BOOK_INSPECTION = Intent("book_inspection")
    VIEW_INSPECTION = Intent("view_inspection", about="inspection")
    INSPECTION_STEP = Intent("inspection_step", about="inspection")
