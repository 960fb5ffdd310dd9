"""Questions on a request for supply in chat: a seller taps ❓ Ask the buyer on the request's
card and types the question; the buyer taps an answer button (for every seller asked, or this
seller only) and types the answer."""

from __future__ import annotations

from conversations.flow import Ask, Ctx, Flow, FlowState, Next
from conversations.messages import Inbound, Outbound, Reply, Text
from core.deals.intents import DealIntent
from core.deals.requests import questions as request_questions
from core.i18n import N_, _
from core.ids import parse_id


class Questioning(FlowState):
    """What a question on a request keeps: who speaks, and about what."""

    mode: str  # "a": a seller asks; "p" / "s": the buyer answers every seller / the asker
    number: int  # the request (a seller asking), else the question answered


async def _start(ctx: Ctx) -> Next | None:
    """`a<request>`: a seller asks; `p:<question>` / `s:<question>`: the buyer answers (for
    every seller asked / for the asker)."""
    arg = Questioning.of(ctx).args
    mode, number = (arg[:1], parse_id(arg[1:])) if arg[:1] == "a" else \
        (arg[:1], parse_id(arg[2:]) if arg[1:2] == ":" else None)
    if mode not in ("a", "p", "s") or number is None:
        return Next.end(Reply(_("Open a request for supply from its card."), kind="error"))
    state = Questioning.of(ctx)
    state.mode, state.number = mode, number
    return None


async def _prompt(ctx: Ctx) -> list[Outbound]:
    text = {"a": N_("Type your question for the buyer. Phone numbers, emails and links are "
                    "hidden until a deal is agreed."),
            "p": N_("Type your answer: every seller asked to quote will read it, without the "
                    "name of who asked."),
            "s": N_("Type your answer for the seller who asked.")}[Questioning.of(ctx).mode]
    return [Reply(_(text))]


async def _on_text(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    if not isinstance(msg, Text) or not msg.text.strip():
        return Next.stay(Reply(_("Type it as a message."), kind="error"))
    number = Questioning.of(ctx).number
    if Questioning.of(ctx).mode == "a":
        await request_questions.ask(ctx.uow, number, ctx.account.id, msg.text)
        return Next.end(Reply(_("❓ Sent to the buyer; the answer comes here.")), menu=False)
    public = Questioning.of(ctx).mode == "p"
    await request_questions.answer(ctx.uow, number, ctx.account.id, msg.text, public)
    return Next.end(Reply(_("💬 Answered: every seller asked to quote reads it.") if public
                          else _("💬 Answered: the seller who asked reads it.")), menu=False)


request_question_flow = Flow(
    name="request_question", title=N_("a question on a request for supply"), first="text",
    state_model=Questioning,
    on_start=_start, intents={DealIntent.ASK_REQUEST: "a{arg}", DealIntent.ANSWER_REQUEST: "{arg}"},
    help=N_("Sellers ask the buyer of a request for supply; the buyer answers once, for every "
            "seller asked or for the one who asked."),
    states={"text": Ask(prompt=_prompt, on=_on_text)},
)
