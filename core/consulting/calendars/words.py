"""What a consultant reads about their calendar: why it failed and what to do, and why
connecting it was refused (by the port's problem)."""

from __future__ import annotations

from core.consulting.calendars.port import Problem
from core.i18n import N_

# What the consultant hears when their calendar fails, by what went wrong: what to do.
TROUBLE: dict[Problem, str] = {
    "auth": N_("⚠ Agora could not sign in to your calendar {name} ({host}): the password was "
               "refused. Make a new app password in your calendar's settings and connect it "
               "again."),
    "not_found": N_("⚠ Your calendar {name} ({host}) is no longer there. Connect it again."),
    "unreachable": N_("⚠ Your calendar {name} ({host}) does not answer. Agora keeps trying every "
                      "few minutes; nothing to do unless it lasts."),
    "invalid": N_("⚠ Your calendar {name} ({host}) did not answer with a calendar. Check its "
                  "address and connect it again."),
}
MEANWHILE = N_("Until then your Agora hours alone decide when you are free, and bookings are "
               "not written into it.")
# What a person reads when connecting fails, by what went wrong.
REFUSED: dict[Problem, str] = {
    "auth": N_("The calendar refused that user name and password. Use an app password made "
               "for Agora in your calendar's settings."),
    "not_found": N_("No calendar was found at that address."),
    "unreachable": N_("That calendar server did not answer. Check the address and try again."),
    "invalid": N_("That address did not answer with a calendar."),
}
