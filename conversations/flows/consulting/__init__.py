"""Flows of the consultant marketplace: the consultant's profile and figures, the directory and a
consultant's page, bookings and their answers, packages, the calendar, the live session, its
review and recap (core.consulting)."""
