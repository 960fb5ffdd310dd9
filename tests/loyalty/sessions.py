"""A session that took place, for the loyalty tests (the session tests' own set-up)."""

from __future__ import annotations

from config.container import Container
from core.consulting.sessions import service as sessions
from tests.consulting.session_support import act, live, people


async def ended_session(app: Container) -> tuple[int, int, int]:
    """(seeker, consultant, session): joined and ended by the seeker in the free minutes."""
    seeker, consultant = await people(app)
    session_id = await live(app, seeker, consultant)
    await act(app, sessions.end, session_id, seeker)
    await act(app, sessions.end, session_id, seeker)  # ended twice: still one session
    return seeker, consultant, session_id
