"""Points in chat on the database: the Slack home's loyalty line. /points itself — balance,
tier, history, the referral link, redeeming — and /profile's line run in memory:
test_points_in_memory_chat.py."""

from __future__ import annotations

from conversations.messages import Envelope, Text
from tests.loyalty.helpers import give
from tests.support.accounts import registered


async def test_the_slack_home_has_one_points_line_for_a_member_with_points(app):
    sue = await registered(app, "T1:U1SUE", channel="slack", roles=("seller",),
                           display_name="Sue")
    where = Envelope("slack", "T1:U1SUE", "D1", Text(""), command_prefix="/agora ")
    before = [getattr(r, "text", "") for r in await app.engine.home(where)]
    assert not [t for t in before if "Loyalty:" in t]  # no points yet: no line
    await give(app, sue.id, 2_100)
    home = [getattr(r, "text", "") for r in await app.engine.home(where)]
    lines = [t for t in home if "Loyalty:" in t]
    assert lines == ["⭐ Loyalty: Gold · 2100 points (/agora points)"]
