"""What a process of Agora reaches outside itself with, given to the container it builds: email
(SMTP when configured), consultants' own calendars (CalDAV and ICS addresses) and companies'
webhooks (HTTP posts). The adapters
live here, at the edge; `config` wires whatever it is given and imports none of them."""

from __future__ import annotations

from typing import Any

from bots.email import email_senders
from config.settings import Settings


def outbound(settings: Settings) -> dict[str, Any]:
    """`config.container.build`'s keyword arguments for the adapters to the outside."""
    from bots.calendars import RemoteCalendars  # its HTTP and XML libraries, loaded when built
    from bots.webhook_poster import HttpPoster, SystemResolver

    return {"senders": email_senders(settings), "calendar_port": RemoteCalendars(),
            "webhook_poster": HttpPoster(), "webhook_resolver": SystemResolver()}
