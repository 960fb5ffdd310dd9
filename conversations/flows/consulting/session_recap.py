"""A session's recap: the consultant writes notes; the seeker gets the transcript and the notes
as a PDF (free, or for the configured price through the money layer)."""

from __future__ import annotations

from typing import Any

from conversations.fields import TextField
from conversations.flow import Ctx, Flow, FlowState, FormState, Next
from conversations.forms import Form
from conversations.messages import Reply
from core.consulting.intents import ConsultingIntent
from core.consulting.sessions import recap
from core.i18n import N_, _
from core.ids import parse_id


class Recapping(FlowState):
    """What a session's recap keeps: the session."""

    session_id: int


async def _start(ctx: Ctx) -> Next | None:
    """`notes:ID` (the consultant) or `get:ID` (the seeker)."""
    assert ctx.account is not None
    verb, __, number = Recapping.of(ctx).args.strip().replace(" ", ":", 1).partition(":")
    session_id = parse_id(number)
    if verb not in ("notes", "get") or session_id is None:
        return Next.end(Reply(_("Open a recap from the session."), kind="error"))
    Recapping.of(ctx).session_id = session_id
    if verb == "notes":
        return None
    cost = await recap.request(ctx.uow, session_id, ctx.account.id)
    if cost.amount == 0:
        return Next.end(Reply(_("📄 The recap (transcript and notes) is on its way here as a PDF.")),
                        menu=False)
    return Next.end(Reply(_("📄 The recap costs {cost}: pay when the payment notice comes and it "
                            "is sent at once.", cost=cost)), menu=False)


def _notes_form(ctx: Ctx) -> Form:
    return Form("recap_notes", N_("Recap notes"), [TextField(
        "notes", N_("Your recap for the seeker (what you covered, next steps)"), min_length=10,
        max_length=4000, multiline=True)], submit_label=N_("Save"))


async def _noted(ctx: Ctx, values: dict[str, Any]) -> Next:
    assert ctx.account is not None
    await recap.set_notes(ctx.uow, Recapping.of(ctx).session_id, ctx.account.id, values["notes"])
    return Next.end(Reply(_("📝 Saved: the seeker's recap includes your notes.")), menu=False)


recap_flow = Flow(
    name="recap", state_model=Recapping, title=N_("a session recap"), first="notes", on_start=_start,
    intents={ConsultingIntent.SESSION_RECAP: "{arg}"},
    commands=("recap",), summary=N_("A session's recap: /recap get SESSION or /recap notes SESSION"),
    help=N_("Consultants write recap notes; seekers get the transcript and the notes as a PDF."),
    states={"notes": FormState(form=_notes_form, done=_noted)},
)
