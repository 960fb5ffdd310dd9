"""The App Home tab: the user's profile and main menu, read without touching the conversation."""

from __future__ import annotations

import hashlib
import itertools
from collections import OrderedDict

from slack_sdk.web.async_client import AsyncWebClient

from bots.slack.blocks import Block, button_rows, clip, sections
from config.container import Container
from conversations.messages import Command, Envelope, ImageReply, Reply
from core.i18n import _

_KEEP = 512  # charts remembered per app


class ChartFiles:
    """Images for the Home tab as Slack files. The tab is published again at every visit, and an
    image there must be a Slack file (a public URL would need Agora reachable from Slack's
    servers): each chart is uploaded once (privately, by the app) per content and its file id
    reused while the figures stay the same."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._ids: OrderedDict[str, str] = OrderedDict()

    async def file_id(self, image: ImageReply) -> str:
        assert image.content is not None
        digest = hashlib.sha256(image.content).hexdigest()
        if digest in self._ids:
            self._ids.move_to_end(digest)
            return self._ids[digest]
        done = await self.client.files_upload_v2(content=image.content,
                                                 filename=image.file_name or "chart.png",
                                                 title=image.caption or _("chart"))
        self._ids[digest] = str(done["files"][0]["id"] if done.get("files")
                                else done["file"]["id"])
        while len(self._ids) > _KEEP:
            self._ids.popitem(last=False)
        return self._ids[digest]

    async def blocks(self, image: ImageReply) -> list[Block]:
        if not image.content:
            return sections(image.caption) if image.caption else []
        return [{"type": "image", "slack_file": {"id": await self.file_id(image)},
                 "alt_text": clip(image.caption or _("chart"), 2000)}]


async def home_view(container: Container, team_id: str, user_id: str,
                    charts: ChartFiles | None = None) -> Block:
    """The Home tab for one Slack user, from the engine's read-only home overview (`charts`
    uploads its images; without it a chart is shown as its caption)."""
    env = Envelope("slack", f"{team_id}:{user_id}", user_id, Command("menu"), can_show_forms=True)
    replies = await container.engine.home(env)
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": "Agora"}}]
    numbers = itertools.count(1)
    for reply in replies:
        if isinstance(reply, ImageReply):
            blocks += await charts.blocks(reply) if charts else sections(reply.caption or "")
        elif isinstance(reply, Reply):
            blocks += sections(reply.text)
            blocks += button_rows([[(b.label, b.data) for b in row] for row in reply.buttons], numbers)
            blocks.append({"type": "divider"})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": _("Type `/agora` anywhere, or write to me in Messages.")}]})
    return {"type": "home", "blocks": blocks}
