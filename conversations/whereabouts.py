"""Where a person is in the conversation, as plain data a support ticket can carry: the flow
and step open (or put aside), the question that step asks, and the object the flow is about
(read from the ids the flow keeps). The engine fills it in; the person never types it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from conversations.context import Whereabouts
from conversations.form_runner import FormState
from conversations.navigation import suspended
from core.conversation_store import ChatState

if TYPE_CHECKING:
    from conversations.context import Ctx
    from conversations.registry import Registry

# The ids flows keep in their data, most specific first (a deal's flow may hold its listing).
OBJECT_KEYS = (("deal_id", "deal"), ("booking_id", "booking"), ("session_id", "session"),
               ("dispute_id", "dispute"), ("offer_id", "offer"), ("thread_id", "thread"),
               ("listing_id", "listing"), ("consultant_id", "consultant"))


def place(reg: Registry, ctx: Ctx, flow: str | None, state: str | None,
          data: dict[str, Any], paused: bool = False) -> dict[str, Any]:
    """A flow's position as data (the shape of `core.support.context.TicketContext`); empty
    outside any flow."""
    entry = reg.get(flow)
    if entry is None:
        return {}
    found: dict[str, Any] = {"flow": entry.name, "where": entry.title, "step": state or "",
                             "question": _question(reg, ctx, flow, state, data)}
    if paused:
        found["paused"] = True
    for key, kind in OBJECT_KEYS:
        if isinstance(data.get(key), int):
            found.update(object_kind=kind, object_id=data[key])
            break
    return found


def _question(reg: Registry, ctx: Ctx, flow: str | None, state: str | None,
              data: dict[str, Any]) -> str:
    """The label of the form field being asked, when the step is a form."""
    steps = reg.flow(flow)
    asked = steps.states.get(state or "") if steps else None
    if not isinstance(asked, FormState):
        return ""
    try:  # a form may be built from the flow's data; a position it can't read names no field
        form = asked.form_for(replace(ctx, data=data))
        index = int(data.get("_forms", {}).get(state, {}).get("i") or 0)
        return form.fields[min(index, len(form.fields) - 1)].label
    except Exception:
        return ""


def whereabouts(reg: Registry, ctx: Ctx, conv: ChatState) -> Whereabouts:
    """Where the person is as an entry opens: the open flow, else the one put aside."""
    here = place(reg, ctx, conv.flow, conv.state, ctx.data)
    parked = suspended(conv)
    if not here and parked:
        here = place(reg, ctx, parked["flow"], parked["state"], parked["data"], paused=True)
    return Whereabouts(here, dict((conv.data or {}).get("last_error") or {}))


def remember_error(reg: Registry, ctx: Ctx, conv: ChatState,
                   before: tuple[str | None, str | None], error: str) -> None:
    """Keep where an error reply was given, for its Support button: the step still open, else
    the one the message was sent from (whose data the conversation row still holds)."""
    if conv.flow:
        where = place(reg, ctx, conv.flow, conv.state, ctx.data)
    else:
        where = place(reg, ctx, *before, (conv.data or {}).get("flow") or {})
    data = dict(conv.data or {})
    data["last_error"] = {**where, "error": error[:300]}
    conv.data = data
