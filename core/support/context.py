"""What a ticket knows about where its question came from, filled in by the conversation layer
when the person asks (never typed by them): the flow and step they were in, the object it was
about, the error they had just seen. Channel-neutral, so a console can show it too."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from core.i18n import N_, _

# Objects a ticket may be about; an operator's tools look them up by these names.
OBJECT_KINDS = ("deal", "booking", "session", "listing", "offer", "dispute", "thread",
                "consultant")
# How a summary names the object ({id} is its number).
OBJECT_LABELS = {"deal": N_("about deal #{id}"), "booking": N_("about booking #{id}"),
                 "session": N_("about session #{id}"), "listing": N_("about listing #{id}"),
                 "offer": N_("about offer #{id}"), "dispute": N_("about dispute #{id}"),
                 "thread": N_("about thread #{id}"), "consultant": N_("about consultant #{id}")}
_TEXT_LIMIT = 300  # each text part is cut to this; they come from our own flows


@dataclass(frozen=True)
class TicketContext:
    flow: str = ""  # the flow's name, e.g. "listing"
    where: str = ""  # how people call it, e.g. "a new listing"
    step: str = ""  # the step (state) name, e.g. "details"
    question: str = ""  # the question that step was asking, e.g. "Quantity"
    object_kind: str = ""  # one of OBJECT_KINDS, or ""
    object_id: int | None = None
    error: str = ""  # the error reply the person had just been given
    paused: bool = False  # the flow was put aside (to be continued) rather than open

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> TicketContext:
        """Read a stored or submitted context, dropping what does not fit."""
        data = data if isinstance(data, dict) else {}
        kind = str(data.get("object_kind") or "")
        number = data.get("object_id")
        valid = kind in OBJECT_KINDS and isinstance(number, int) and 0 < number < 2**31
        return cls(**{name: _text(data.get(name))
                      for name in ("flow", "where", "step", "question", "error")},
                   object_kind=kind if valid else "", object_id=number if valid else None,
                   paused=bool(data.get("paused")))

    def as_json(self) -> dict[str, Any]:
        return {name: value for name, value in asdict(self).items() if value not in ("", None, False)}

    def summary(self) -> str:
        """One line for an operator: “in a new listing (paused), step details — Quantity;
        about listing #42; error: “…””; empty when nothing is known."""
        parts = []
        if self.flow:
            where = self.where or self.flow
            if self.paused:
                where = _("{where} (paused)", where=where)
            if self.step and self.question:
                parts.append(_("in {where}, step {step} — {question}", where=where, step=self.step,
                               question=self.question))
            elif self.step:
                parts.append(_("in {where}, step {step}", where=where, step=self.step))
            elif self.question:
                parts.append(_("in {where} — {question}", where=where, question=self.question))
            else:
                parts.append(_("in {where}", where=where))
        if self.object_kind:
            about = OBJECT_LABELS.get(self.object_kind)
            parts.append(_(about, id=self.object_id) if about else
                         _("about {kind} #{id}", kind=self.object_kind, id=self.object_id))
        if self.error:
            parts.append(_("error: “{error}”", error=self.error))
        return "; ".join(parts)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())[:_TEXT_LIMIT]
