"""The App Home tab: the user's profile and main menu, read without touching the conversation."""

from __future__ import annotations

import itertools

from bots.slack.blocks import Block, button_rows, sections
from config.container import Container
from conversations.messages import Command, Envelope, Reply


async def home_view(container: Container, team_id: str, user_id: str) -> Block:
    """The Home tab for one Slack user, from the engine's read-only home overview."""
    env = Envelope("slack", f"{team_id}:{user_id}", user_id, Command("menu"), can_show_forms=True)
    replies = await container.engine.home(env)
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": "Agora"}}]
    numbers = itertools.count(1)
    for reply in replies:
        if isinstance(reply, Reply):
            blocks += sections(reply.text)
            blocks += button_rows([[(b.label, b.data) for b in row] for row in reply.buttons], numbers)
            blocks.append({"type": "divider"})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": "Type `/agora` anywhere, or write to me in Messages."}]})
    return {"type": "home", "blocks": blocks}
