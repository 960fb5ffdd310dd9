"""/console (or /admin): an operator asks for a one-time sign-in link to the web console,
which Agora sends to this chat. Core refuses anyone without a console role."""

from __future__ import annotations

from conversations.flow import Ctx, MenuEntry, Next, OneStepCommand
from conversations.messages import Reply
from core.i18n import N_, n_
from core.operators import signin


async def _send_link(ctx: Ctx) -> Next:
    """Send the link to this chat (through the outbox, like every notification)."""
    await signin.send_link(ctx.uow, ctx.account_id, ctx.env.channel)
    minutes = ctx.uow.policy.console_link_minutes
    return Next.end(Reply(n_("🔐 I've sent you a sign-in link for the operator console. It works "
                             "once, for {n} minutes.",
                             "🔐 I've sent you a sign-in link for the operator console. It works "
                             "once, for {n} minutes.", minutes)), menu=False)


console = OneStepCommand(
    name="console", title=N_("the operator console"), commands=("console", "admin"),
    summary=N_("Operators: a sign-in link for the web console"), run=_send_link,
    menu=(MenuEntry(N_("🖥 Operator console"), ("admin",), 84),),
    help=N_("Operators: sends a one-time link that signs you in to the web console."))
