"""What a ticket knows about where its question came from, filled in by the conversation layer
when the person asks (never typed by them): the flow and step they were in, the object it was
about, the error they had just seen. Channel-neutral, so a console can show it too."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Objects a ticket may be about; an operator's tools look them up by these names.
OBJECT_KINDS = ("deal", "booking", "session", "listing", "offer", "dispute", "thread",
                "consultant")
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
            paused = " (paused)" if self.paused else ""
            step = f", step {self.step}" if self.step else ""
            asked = f" — {self.question}" if self.question else ""
            parts.append(f"in {self.where or self.flow}{paused}{step}{asked}")
        if self.object_kind:
            parts.append(f"about {self.object_kind} #{self.object_id}")
        if self.error:
            parts.append(f"error: “{self.error}”")
        return "; ".join(parts)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())[:_TEXT_LIMIT]
