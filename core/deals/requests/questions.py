"""Questions on a request for supply: an invited seller asks the buyer, who answers once —
for every seller asked (the Q&A of the request, without the asker's name) or for the asker
alone. Contact details are hidden, as in every conversation before a deal."""

from __future__ import annotations

from core import disclosure
from core.deals.events import RequestQuestionAnswered, RequestQuestionAsked
from core.deals.request_rules import RequestState
from core.deals.requests.register import RequestRegister, register_of, seen
from core.deals.requests.view import QuestionView
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.i18n import _
from core.storage.uow import UnitOfWork

LONGEST = 1000


def _checked(text: str) -> str:
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not 2 <= len(text) <= LONGEST:
        raise DomainError(_("Write 2 to {most} characters.", most=LONGEST))
    return disclosure.mask(text)[0]


async def ask(uow: UnitOfWork | RequestRegister, request_id: int, seller_id: int,
              text: str) -> QuestionView:
    """An invited seller's question, while the request takes quotes."""
    register = register_of(uow)
    request = await seen(register, request_id, seller_id)
    if request.buyer_id == seller_id:
        raise NotAllowed(_("That is your own request."))
    if request.lot:  # its card says what is sold; questions are a request's buyer's to answer
        raise Conflict(_("A lot takes bids, not questions: its card says what is sold."))
    if request.status != RequestState.OPEN or request.deadline is None \
            or register.now() >= request.deadline:
        raise Conflict(_("Quotes on that request closed at its deadline."))
    question = await register.ask(request_id, seller_id, _checked(text))
    register.emit(RequestQuestionAsked(question.id))
    return question


async def answer(uow: UnitOfWork | RequestRegister, question_id: int, buyer_id: int, text: str,
                 public: bool) -> QuestionView:
    """The buyer answers, once: for every seller asked (`public`) or for the asker alone."""
    register = register_of(uow)
    asked = await register.question(question_id)
    request = await seen(register, asked.question.request_id, buyer_id) \
        if asked is not None else None
    if asked is None or request is None or request.buyer_id != buyer_id:
        raise NotFound(_("That question doesn't exist."))
    answered_now = await register.answer(question_id, _checked(text), public)
    if answered_now is None:
        raise Conflict(_("That question is answered already."))
    register.emit(RequestQuestionAnswered(question_id))
    return answered_now


async def answered(uow: UnitOfWork | RequestRegister, request_id: int,
                   reader_id: int) -> list[QuestionView]:
    """The request's answered questions a reader may see: the public ones and their own (the
    buyer: all)."""
    register = register_of(uow)
    request = await seen(register, request_id, reader_id)
    return [asked.question for asked in await register.answered(request_id)
            if asked.question.public or reader_id in (asked.asker_id, request.buyer_id)]
