"""A typed answer as one step of a flow: the prompt, a check from core that cleans the answer
(or raises a polite DomainError, which re-asks), where the value is kept and where to go next.
Optional steps offer Skip. A prompt or button label given as text is marked with N_() where the
flow is defined and shown here in the reader's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from conversations.flow import Ask, Ctx, Next
from conversations.messages import Choice, Inbound, Outbound, Reply, Text, rows
from core.i18n import _

Check = Callable[[Ctx, str], Any]
Then = Callable[[Ctx], Awaitable[Next]] | str


def typed(key: str, prompt: str | Callable[[Ctx], str], check: Check, then: Then,
          optional: bool = False, cancel_to: str = "") -> Ask:
    """Ask for `key` in words; keep what `check` returns; then go to a state, or run `then`."""

    async def ask(ctx: Ctx) -> list[Outbound]:
        text = prompt(ctx) if callable(prompt) else _(prompt)
        return [Reply(text, rows((_("Skip"), "skip")) if optional else ())]

    async def answer(ctx: Ctx, msg: Inbound) -> Next:
        if optional and isinstance(msg, Choice) and msg.data == "skip":
            ctx.data[key] = ""
        elif isinstance(msg, Text):
            ctx.data[key] = check(ctx, msg.text)
        else:
            return Next.stay(Reply(_("Please type it, or tap Skip.") if optional else _("Please type it."),
                                   kind="error"))
        return await then(ctx) if callable(then) else Next(state=then)

    return Ask(prompt=ask, on=answer, cancel_to=cancel_to)


def picked(key: str, prompt: str, options: Callable[[Ctx], list[tuple[str, str]]],
           then: Then, per_row: int = 2) -> Ask:
    """Ask for `key` as one of the buttons `options` gives (label, value)."""

    async def ask(ctx: Ctx) -> list[Outbound]:
        labelled = ((_(label), value) for label, value in options(ctx))
        return [Reply(_(prompt), rows(*labelled, per_row=per_row))]

    async def answer(ctx: Ctx, msg: Inbound) -> Next:
        values = {value for __, value in options(ctx)}
        data = msg.data if isinstance(msg, Choice) else ""
        if data not in values:
            return Next.stay(Reply(_("Tap one of the buttons."), kind="error"))
        ctx.data[key] = data
        return await then(ctx) if callable(then) else Next(state=then)

    return Ask(prompt=ask, on=answer)
