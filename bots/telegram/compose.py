"""A turn's neutral replies as few Telegram messages as say them: a short note goes with the
question after it (“✅ Billing details saved.” above “Read the terms…”), and a step answered on
the card pressed ends with a ☰ Main menu button rather than the whole menu as one more message
(the chat's command menu and /menu show it; “New messages only for what is new”)."""

from __future__ import annotations

from dataclasses import replace

from bots.telegram import render
from conversations.messages import Button, ListPage, Outbound, Reply
from core.i18n import _

# Telegram shows at most 100 buttons under a message; a list and its question stay well under.
MAX_FOLDED_ROWS = 16


def folded(replies: list[Outbound]) -> list[Outbound]:
    """Each note without buttons joined to the text reply right after it, and a list page to
    the question asked about it (“Refine or keep this search” under the results), where they
    fit in one message; errors stay apart (read beside what they are about)."""
    out: list[Outbound] = []
    for reply in replies:
        before = out[-1] if out else None
        if _note(before) and isinstance(reply, Reply) and reply.kind not in ("menu", "error") \
                and isinstance(
                before, Reply) and len(before.text) + len(reply.text) + 2 <= render.TEXT_LIMIT:
            out[-1] = replace(reply, text=f"{before.text}\n\n{reply.text}")
        elif isinstance(before, ListPage) and _question_under(before, reply):
            assert isinstance(reply, Reply)
            out[-1] = replace(before, footer=reply.text, buttons=(*before.buttons, *reply.buttons))
        else:
            out.append(reply)
    return out


def _question_under(page: ListPage, reply: Outbound) -> bool:
    """Whether a reply is a question about the list page before it that fits under it."""
    if not isinstance(reply, Reply) or reply.kind != "text" or not reply.buttons or page.footer:
        return False
    rows = len(render.list_rows(page)) + len(reply.buttons)
    return rows <= MAX_FOLDED_ROWS and \
        len(render.list_text(page)) + len(reply.text) + 2 <= render.TEXT_LIMIT


def ends_with_menu(replies: list[Outbound]) -> bool:
    """Whether a finished step appends the main menu (which a press answered in place folds
    into one ☰ button)."""
    return len(replies) >= 2 and isinstance(replies[-1], Reply) and replies[-1].kind == "menu"


def without_trailing_menu(replies: list[Outbound]) -> list[Outbound]:
    """The replies without the main menu a finished step appends, the last of them offering
    it in one tap when nothing else is offered (no dead ends)."""
    if not ends_with_menu(replies):
        return replies
    rest = replies[:-1]
    if any(getattr(r, "buttons", ()) for r in rest):
        return rest
    last = next((i for i in range(len(rest) - 1, -1, -1) if isinstance(rest[i], Reply)), None)
    if last is None:
        return replies
    menu = ((Button(_("☰ Main menu"), "@menu"),),)
    return [*rest[:last], replace(rest[last], buttons=menu), *rest[last + 1:]]  # type: ignore[arg-type]


def _note(reply: Outbound | None) -> bool:
    return isinstance(reply, Reply) and not reply.buttons and reply.kind in ("text", "notice") \
        and bool(reply.text.strip())
