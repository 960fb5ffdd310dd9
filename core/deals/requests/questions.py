"""Questions on a request for supply: an invited seller asks the buyer, who answers once —
for every seller asked (the Q&A of the request, without the asker's name) or for the asker
alone. Contact details are hidden, as in every conversation before a deal."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from core import disclosure
from core.deals.events import RequestQuestionAnswered, RequestQuestionAsked
from core.deals.request_rules import RequestState
from core.deals.requests import service as supply_requests
from core.deals.requests.tables import RequestQuestion
from core.deals.requests.view import QuestionView, question_view
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork

LONGEST = 1000


def _checked(text: str) -> str:
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not 2 <= len(text) <= LONGEST:
        raise DomainError(_("Write 2 to {most} characters.", most=LONGEST))
    return disclosure.mask(text)[0]


async def ask(uow: UnitOfWork, request_id: int, seller_id: int, text: str) -> QuestionView:
    """An invited seller's question, while the request takes quotes."""
    request = await supply_requests.get(uow, request_id, seller_id)
    if request.buyer_id == seller_id:
        raise NotAllowed(_("That is your own request."))
    if request.status != RequestState.OPEN or uow.clock.now() >= request.deadline:
        raise Conflict(_("Quotes on that request closed at its deadline."))
    question = RequestQuestion(request_id=request.id, asker_id=seller_id, text=_checked(text),
                               public=True, asked_at=uow.clock.now())
    await uow.insert(question)
    uow.emit(RequestQuestionAsked(question.id))
    return question_view(question)


async def answer(uow: UnitOfWork, question_id: int, buyer_id: int, text: str,
                 public: bool) -> QuestionView:
    """The buyer answers, once: for every seller asked (`public`) or for the asker alone."""
    question = await uow.get(RequestQuestion, question_id)
    request = await supply_requests.get(uow, question.request_id, buyer_id) \
        if question is not None else None
    if question is None or request is None or request.buyer_id != buyer_id:
        raise NotFound(_("That question doesn't exist."))
    answered, now = _checked(text), uow.clock.now()
    moved = await uow.session.execute(update(RequestQuestion).where(
        RequestQuestion.id == question_id, RequestQuestion.answer.is_(None))
        .values(answer=answered, public=public, answered_at=now))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("That question is answered already."))
    for name, value in (("answer", answered), ("public", public), ("answered_at", now)):
        set_committed_value(question, name, value)
    uow.emit(RequestQuestionAnswered(question_id))
    return question_view(question)


async def answered(uow: UnitOfWork, request_id: int, reader_id: int) -> list[QuestionView]:
    """The request's answered questions a reader may see: the public ones and their own (the
    buyer: all)."""
    request = await supply_requests.get(uow, request_id, reader_id)
    return [question_view(q) for q in (await uow.session.execute(select(RequestQuestion).where(
        RequestQuestion.request_id == request_id, RequestQuestion.answer.is_not(None))
        .order_by(RequestQuestion.id))).scalars()
        if q.public or reader_id in (q.asker_id, request.buyer_id)]
