"""Follow-ups as data: what a person may do next, named by intent, never by a flow or command.

Core and payments say "offer this person: view listing 42" as an `Action`; the conversation
layer maps each intent to the flow that carries it out (one registry), and each channel renders
it as a button, or, in an email, as the command to type in chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.i18n import _


class Intent(str):
    """One thing core can point a person to, named once by the context that owns it.

    Each context declares its intents in its own `intents.py` as attributes of a namespace
    (`core.deals.intents.DealIntent.VIEW_DEAL`), so a feature adds its intent beside its code
    and no file lists them all. `about` is the kind of object the intent's argument names: a
    notice whose buttons name an object is a card of it, and a newer card of the same object
    takes the older one's buttons away (the outbox, core.notifications); intents that name no
    object that changes (a reply to a thread, a receipt) have none, and their buttons stay."""

    def __new__(cls, name: str, *, about: str | None = None) -> Intent:
        if name in _DECLARED:
            raise ValueError(f"the intent {name!r} is declared twice")
        intent = super().__new__(cls, name)
        _DECLARED[name] = intent
        if about:
            _OBJECTS[name] = about
        return intent

    @property
    def value(self) -> str:
        """The name kept in outbox payloads and buttons."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Intent({self.value!r})"

    @staticmethod
    def named(name: str) -> Intent:
        """The declared intent of that name (ValueError for one no context declares)."""
        try:
            return _DECLARED[name]
        except KeyError:
            raise ValueError(f"no context declares the intent {name!r}") from None

    @staticmethod
    def is_declared(name: str) -> bool:
        return name in _DECLARED

    @staticmethod
    def declared() -> frozenset[Intent]:
        """Every intent the contexts imported so far declare."""
        return frozenset(_DECLARED.values())


_DECLARED: dict[str, Intent] = {}
_OBJECTS: dict[str, str] = {}  # an intent's name → the kind of object its argument names


@dataclass(frozen=True)
class Action:
    """One follow-up: its intent, the object it concerns (an id or token) and a label."""

    intent: Intent
    label: str
    arg: str = ""

    def as_payload(self) -> dict[str, str]:
        """The JSON form kept in an outbox row."""
        return {"label": self.label, "intent": self.intent.value, "arg": self.arg}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Action | None:
        """Read one back; None for anything that is not a known action."""
        try:
            return cls(Intent.named(str(data["intent"])), str(data["label"]),
                       str(data.get("arg") or ""))
        except (KeyError, ValueError, TypeError):
            return None


ActionRows = list[list[Action]]

def about(intent: Intent, arg: str) -> str | None:
    """The object a button names ("deal:12"), from its intent and the first number of its
    argument ("12:pay", "accept:12"); None when it names none."""
    kind = _OBJECTS.get(intent)
    number = next((part for part in arg.split(":") if part.isdigit()), None)
    return f"{kind}:{number}" if kind and number else None


def abouts(rows: ActionRows | None) -> set[str]:
    """Every object the buttons of a notice name."""
    return {key for row in rows or [] for a in row if (key := about(a.intent, a.arg))}


def payload_rows(rows: ActionRows | None) -> list[list[dict[str, str]]]:
    """Rows of actions as stored in an outbox payload, labelled in the language of the notice
    they follow (its recipient's: the payload is written for them, and sent later)."""
    return [[{**action.as_payload(), "label": _(action.label)} for action in row]
            for row in rows or []]
