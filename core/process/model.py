"""Processes declared once: states, transitions, who may take each, and the timers each state
starts, who hears what after each, and what else each sets going (money moved, a deposit
settled, points earned). Guards, the authorisation table, the scheduler's deadlines, the “what
do I do next” of a dashboard, the notices, the effects and the diagram in docs/ are all read from
one declaration, so they cannot disagree. (After Sharetribe's transaction processes and their
`:actions` and `:notifications`.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from core.errors import Conflict, NotAllowed
from core.i18n import _, n_

SYSTEM = "system"  # timers and the money layer
ADMIN = "admin"
STAY = "(stay)"  # the target of a transition that keeps its state (it only starts an effect)
ANCHORS = ("entered", "start", "end")  # what a timer's `after` counts from
ADMINS = "admins"  # a notice's addressee: every administrator


@dataclass(frozen=True)
class Notice:
    """Who hears what after a transition: `to` a party role of the process (or ADMINS), `text`
    the name of a text builder, `buttons` the name of a buttons builder ("" for none) — both
    registered for the process by its context (core.process.notices.NoticeBook)."""

    to: str
    text: str
    buttons: str = ""


@dataclass(frozen=True)
class Timer:
    """Started when its state is entered, dropped when the state is left: after `after`, the
    system takes `fires`; reminders go `remind` before that. A timer whose transition keeps the
    state (an escalation) starts again, due `every` after it fired (`after` when not given)."""

    state: str
    after: timedelta
    fires: str
    remind: tuple[timedelta, ...] = ()
    every: timedelta | None = None
    at: str = ""  # when the deadline is set per subject (“the booked end”), for the diagram
    # "entered": `after` counts from entering the state; "start"/"end": from the subject's own
    # start or end time (a booked session), so `after` may be negative (“24 h before”).
    anchor: str = "entered"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    actors: tuple[str, ...]  # party roles ("buyer", "seller"…), ADMIN or SYSTEM
    label: str = ""  # how a person sees it as a next step (“Confirm delivery”)
    notices: tuple[Notice, ...] = ()  # who hears what once it is taken, in this order
    silent: str = ""  # why nobody hears of it: a transition declares notices or says why not
    # A step that keeps the state (STAY) may be told by its own event instead (its name: the
    # terms a party accepted are told by TermsAccepted, with the version to read).
    told_by: str = ""
    # What else taking it sets going, by name (the process's `effects` says what each does);
    # each is carried out by the context that owns it (core.process.effects).
    effects: tuple[str, ...] = ()

    def who_hears(self) -> str:
        """“buyer, seller: to_ship”, “admins: dispute_escalated” or “nobody (why)”: who hears
        which text, for the docs."""
        if self.silent:
            return f"nobody ({self.silent})"
        if self.told_by:
            return f"told by {self.told_by}"
        texts: dict[str, list[str]] = {}
        for n in self.notices:
            texts.setdefault(n.text, []).append(n.to)
        return "; ".join(f"{', '.join(to)}: {text}" for text, to in texts.items())


@dataclass(frozen=True)
class Process:
    name: str
    initial: str
    transitions: tuple[Transition, ...]
    final: tuple[str, ...]
    timers: tuple[Timer, ...] = ()
    # Every effect its transitions may name → what it does, in words (for the docs).
    effects: Mapping[str, str] = field(default_factory=dict)
    _by_name: dict[str, Transition] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for t in self.transitions:
            if t.name in self._by_name:
                raise ValueError(f"{self.name}: transition {t.name!r} declared twice")
            self._by_name[t.name] = t
            if sum(map(bool, (t.notices, t.silent, t.told_by))) > 1:
                raise ValueError(f"{self.name}: {t.name} declares notices and is silent, or "
                                 "is told by its own event as well")
            if t.told_by and t.target != STAY:
                raise ValueError(f"{self.name}: {t.name} moves: its move is told by notices")
            if not t.notices and not t.silent and not t.told_by:
                raise ValueError(f"{self.name}: {t.name} declares no notices; declare who "
                                 "hears of it, or say why nobody does (silent=…)")
            for effect in t.effects:
                if effect not in self.effects:
                    raise ValueError(f"{self.name}: {t.name} names an undeclared effect {effect!r}")
        states = self.states
        for timer in self.timers:
            if timer.anchor not in ANCHORS:
                raise ValueError(f"{self.name}: timer {timer} counts from {timer.anchor!r}")
            if timer.state not in states or timer.fires not in self._by_name:
                raise ValueError(f"{self.name}: timer {timer} names an unknown state or transition")
            if timer.state not in self._by_name[timer.fires].sources:
                raise ValueError(f"{self.name}: timer in {timer.state} fires {timer.fires}, "
                                 "which cannot be taken from there")

    @property
    def states(self) -> tuple[str, ...]:
        seen = [self.initial]
        for t in self.transitions:
            for state in (*t.sources, t.target):
                if state not in seen and state != STAY:  # a transition may name a state twice
                    seen.append(state)
        return tuple(seen)

    def transition(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(f"{self.name} has no transition {name!r}") from None

    def check(self, name: str, state: str, role: str | None) -> Transition:
        """The transition if `role` may take it from `state`; NotAllowed or Conflict if not."""
        step = self.transition(name)
        if role not in step.actors:
            raise NotAllowed(_("Only the other party can do that.") if role else
                             _("That is not yours to do."))
        if state not in step.sources:
            raise Conflict(_("That step is no longer possible: the {name} has moved on.", name=self.name))
        return step

    def allows(self, name: str, state: str, role: str | None) -> bool:
        """Whether `role` may take `name` from `state` (a guard that words its own refusal)."""
        step = self.transition(name)
        return role in step.actors and state in step.sources

    def target_from(self, name: str, state: str) -> str:
        """Where `name` taken from `state` leads (a STAY transition keeps the state)."""
        target = self.transition(name).target
        return state if target == STAY else target

    def next_actions(self, state: str, role: str) -> list[Transition]:
        """What `role` may do now (a dashboard's “next action”)."""
        return [t for t in self.transitions
                if state in t.sources and role in t.actors and t.label]

    def reached_by(self, effect: str) -> tuple[str, ...]:
        """The states entered by the transitions that set `effect` going, in declaration order
        (a reconciliation job finds the subjects in them whose effect is still undone)."""
        if effect not in self.effects:
            raise ValueError(f"{self.name} declares no effect {effect!r}")
        return tuple(dict.fromkeys(t.target for t in self.transitions
                                   if effect in t.effects and t.target != STAY))

    def timers_in(self, state: str) -> list[Timer]:
        return [t for t in self.timers if t.state == state]

    def authorisation_table(self) -> list[tuple[str, tuple[str, ...], tuple[str, ...], str]]:
        """(transition, from, who, to) for every transition."""
        return [(t.name, t.sources, t.actors, t.target if t.target != STAY else "(same)")
                for t in self.transitions]

    def roles(self) -> tuple[str, ...]:
        """The party roles that take its transitions (not ADMIN or SYSTEM)."""
        return tuple(dict.fromkeys(a for t in self.transitions for a in t.actors
                                   if a not in (ADMIN, SYSTEM)))

    def diagram(self) -> str:
        """A Mermaid state diagram: each arrow names the transition, who takes it, and timers."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        timed = {(t.state, t.fires): t for t in self.timers}
        for t in self.transitions:
            for source in t.sources:
                timer = timed.get((source, t.name))
                when = _when(timer) if timer else ""
                if timer and timer.every:
                    when += f", then every {_span(timer.every)}"
                target = source if t.target == STAY else t.target
                lines.append(f"    {source} --> {target}: {t.name} ({', '.join(t.actors)}{when})")
        lines += [f"    {state} --> [*]" for state in self.final]
        return "\n".join(lines) + "\n"


def _when(timer: Timer) -> str:
    if timer.at:
        return f" at {timer.at}"
    if timer.anchor == "entered":
        return f" after {_span(timer.after)}"
    if not timer.after:
        return f" at the {timer.anchor}"
    side = "before" if timer.after < timedelta(0) else "after"
    return f" {_span(abs(timer.after))} {side} the {timer.anchor}"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds % 3600:
        return f"{seconds // 60} min"
    hours = seconds // 3600
    return f"{hours // 24} d" if hours % 24 == 0 else f"{hours} h"


def span(delta: timedelta) -> str:
    """A duration in English words: “3 days”, “48 hours” (kept in English: the deal terms'
    deadlines are stored and fingerprinted with it; `duration` says it to a person)."""
    n, unit = _days_or_hours(delta)
    return f"{n} {unit}" + ("s" if n != 1 else "")


def duration(delta: timedelta) -> str:
    """A duration in the reader's words: “3 days”, “48 hours” (the same English as `span`)."""
    n, unit = _days_or_hours(delta)
    return n_("{n} day", "{n} days", n) if unit == "day" else n_("{n} hour", "{n} hours", n)


def _days_or_hours(delta: timedelta) -> tuple[int, str]:
    """Whole days when the duration is a number of days, else hours."""
    hours = int(delta.total_seconds() // 3600)
    return (hours // 24, "day") if hours % 24 == 0 else (hours, "hour")
