"""Support from anywhere: a “🆘 Support” button under every error reply, where a flow carries
out support, and where the error happened kept in the conversation for it."""

from __future__ import annotations

from dataclasses import replace

from conversations.context import Ctx
from conversations.messages import Outbound, Reply, action_button
from conversations.registry import Registry
from conversations.whereabouts import remember_error
from core.actions import Action
from core.conversation_store import ChatState
from core.i18n import N_
from core.support.intents import SupportIntent

# On every error reply: ask a person, with where the error happened ("error") or where the
# person is ("" — after a crash the transaction was undone, so that is where it happened).
SUPPORT_HERE = Action(SupportIntent.SUPPORT, N_("🆘 Support"), "error")
SUPPORT_NOW = Action(SupportIntent.SUPPORT, N_("🆘 Support"))


class ErrorSupport:
    """The engine's Support buttons (`Engine` holds the registry)."""

    registry: Registry

    def _support_on_errors(self, ctx: Ctx, conv: ChatState, before: tuple[str | None, str | None],
                           replies: list[Outbound]) -> list[Outbound]:
        """Error replies get a Support button; where the error happened is kept for it (the
        step still open, else the one the message was sent from)."""
        errors = [r for r in replies if isinstance(r, Reply) and r.kind == "error"]
        entry = self.registry.get(conv.flow or before[0])
        if not errors or (entry is not None and not entry.support_on_errors):
            return replies
        remember_error(self.registry, ctx, conv, before, errors[-1].text)
        return self._offer_support(replies, SUPPORT_HERE)

    def _offer_support(self, replies: list[Outbound], action: Action) -> list[Outbound]:
        """A “🆘 Support” row under each error reply, where a flow carries out support."""
        if self.registry.target(action.intent.value, action.arg) is None:
            return replies
        row = (action_button(action),)
        return [replace(r, buttons=(*r.buttons, row))
                if isinstance(r, Reply) and r.kind == "error" else r for r in replies]
