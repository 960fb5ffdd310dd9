"""Share a listing or one's deal: the card, read-only, for a channel of the person's choosing
(core.sharing decides what may be shared and says it)."""

from __future__ import annotations

from conversations.flow import Ctx, Entry, Next, OneStepCommand
from conversations.messages import Reply, ShareReply, go
from core.deals.intents import DealIntent
from core.errors import NotFound
from core.i18n import N_, _
from core.sharing import shared_card

SHARE = N_("📣 Share")


async def _share(ctx: Ctx) -> Next:
    try:
        card = await shared_card(ctx.uow, str(ctx.data.get("args") or ""), ctx.account_id)
    except NotFound as exc:
        return Next.end(Reply(str(exc), kind="error"), menu=False)
    return Next.end(ShareReply(card.title, card.lines, card.open_payload, card.page), menu=False)


def share_button(key: str) -> tuple[str, str]:
    """The (label, data) of the Share button of the card of `key` ("listing:42")."""
    return _(SHARE), go("share", key)


share = OneStepCommand(
    name="share", title=N_("sharing"), run=_share, commands=("share",),
    summary=N_("Share a listing, or a deal of yours, into a team channel"),
    intents={DealIntent.SHARE_DEAL: "deal:{arg}"},  # the deal card's 📣 Share (core.deals.deal_card)
    help=N_("Share a listing, or a deal of yours, into a channel your team reads."))

# Shared by the market's and the deals' cards (their Share button), so kept beside them.
SHARE_FLOWS: list[Entry] = [share]
