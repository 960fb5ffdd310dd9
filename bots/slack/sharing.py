"""Sharing a card into a channel the person picks: a modal with Slack's conversation picker,
then the card posted there read-only, with "Open in Agora" (each reader's own rights apply
when they open it) and the public page where there is one. What may be shared is core's
decision (core.sharing), made before the modal opens."""

from __future__ import annotations

import json
from typing import Any

from bots.slack.blocks import LINK_PREFIX, Block, clip, escape, plain, sections
from bots.slack.modal_fields import conversation_picker
from bots.slack.surfaces import OPEN_ACTION
from conversations.messages import ShareReply
from core.i18n import _

CALLBACK_ID = "agora_share"
NOTE_LIMIT = 300


def share_view(reply: ShareReply) -> Block:
    """The modal: what is shared, the channel to share it in, an optional note."""
    card = {"title": reply.title, "lines": list(reply.lines), "open": reply.open_payload,
            "page": reply.page}
    return {
        "type": "modal", "callback_id": CALLBACK_ID,
        "title": plain(_("Share"), 24), "submit": plain(_("Share"), 24),
        "close": plain(_("Cancel"), 24), "private_metadata": json.dumps(card)[:3000],
        "blocks": [
            *sections(f"*{escape(reply.title)}*\n" + escape("\n".join(reply.lines))),
            {"type": "input", "block_id": "channel", "label": plain(_("Channel"), 2000),
             "element": conversation_picker()},
            {"type": "input", "block_id": "note", "optional": True, "label": plain(_("Note"), 2000),
             "element": {"type": "plain_text_input", "action_id": "value",
                         "max_length": NOTE_LIMIT}},
        ],
    }


def submitted(view: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """(the card, the chosen channel, the note) of a submitted share modal."""
    card = json.loads(view.get("private_metadata") or "{}")
    values = (view.get("state") or {}).get("values") or {}
    channel = str(((values.get("channel") or {}).get("value") or {}).get(
        "selected_conversation") or "")
    note = str(((values.get("note") or {}).get("value") or {}).get("value") or "")
    return card, channel, note[:NOTE_LIMIT]


def posted_card(card: dict[str, Any], user_id: str, note: str, site: str) -> tuple[str, list[Block]]:
    """The read-only card as posted in the channel: who shared it, their note, and the ways in."""
    title, lines = str(card.get("title") or ""), [str(x) for x in card.get("lines") or []]
    text = f"*{escape(title)}*\n" + escape("\n".join(lines))
    blocks: list[Block] = [*sections(clip(text, 3000))]
    said = _("Shared by {person}", person=f"<@{user_id}>")
    if note:
        said += f": {escape(note)}"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": clip(said, 3000)}]})
    buttons = [{"type": "button", "action_id": OPEN_ACTION, "value": str(card.get("open") or ""),
                "text": plain(_("Open in Agora"), 75)}]
    if card.get("page"):
        buttons.append({"type": "button", "action_id": f"{LINK_PREFIX}page",
                        "url": site.rstrip("/") + str(card["page"]),
                        "text": plain(_("View the page"), 75)})
    blocks.append({"type": "actions", "elements": buttons})
    return f"{title}\n" + "\n".join(lines), blocks
