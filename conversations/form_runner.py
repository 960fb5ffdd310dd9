"""A state that collects a form: one field at a time, or the whole form at once where the
channel can (a Slack modal). The engine asks it and hands it answers like any other state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from conversations.context import Ctx, Next
from conversations.fields import Also, Field, FieldError, MultiChoiceField
from conversations.forms import Form
from conversations.labels import shortened
from conversations.messages import (
    Button,
    Choice,
    FormErrors,
    FormReply,
    FormSubmission,
    Inbound,
    Outbound,
    Reply,
)
from core.i18n import _

SKIP, DONE, KEEP, OPEN_FORM = "^skip", "^done", "^keep", "^form"

FormDone = Callable[[Ctx, dict[str, Any]], Awaitable[Next]]


@dataclass
class FormState:
    """A state that collects a whole form (field by field, or at once), then calls `done`."""

    form: Form | Callable[[Ctx], Form]
    done: FormDone
    help: str = ""
    intro: str = ""
    cancel_to: str = ""  # a sub-step (an edit): Cancel returns to this state instead of ending

    def form_for(self, ctx: Ctx) -> Form:
        return self.form(ctx) if callable(self.form) else self.form

    async def ask(self, ctx: Ctx, key: str) -> list[Outbound]:
        """The current field (or the whole form)."""
        return await prompt(ctx, key, self)

    async def answer(self, ctx: Ctx, key: str, msg: Inbound) -> Next:
        """Take one answer; the form's `done` runs after the last field."""
        return await answer(ctx, key, self, msg)

    def back(self, ctx: Ctx, key: str) -> bool:
        """Go back one field; False when there is none to go back to."""
        return not ctx.forms_at_once and step_back(ctx, key, self.form_for(ctx))

    def in_progress(self, ctx: Ctx, key: str) -> bool:
        """Past the first field, asked one by one (so “back” has somewhere to go)."""
        progress = ctx.data.get("_forms", {}).get(key, {})
        return bool(progress.get("i")) and not ctx.forms_at_once


def answers_given(ctx: Ctx) -> int:
    """How many answers the open forms of this flow hold (what Cancel would discard)."""
    forms = ctx.data.get("_forms", {}).values()
    return sum(1 for progress in forms for name, value in progress.get("values", {}).items()
               if value not in (None, "", []) and name not in progress.get("seeded", []))


def _progress(ctx: Ctx, key: str) -> dict[str, Any]:
    forms = ctx.data.setdefault("_forms", {})
    return forms.setdefault(key, {"i": 0, "values": {}})


def seed(ctx: Ctx, key: str, values: dict[str, Any]) -> None:
    """Start the form `key` from known answers, each offered to keep (“(now: …)”)."""
    ctx.data.setdefault("_forms", {})[key] = {"i": 0, "values": dict(values),
                                              "seeded": sorted(values)}


def prefill(ctx: Ctx, key: str, values: dict[str, Any]) -> None:
    """Start the form `key` with answers already in place (settings as they stand): asked
    like any answer, not offered as “(now: …)” nor counted as given."""
    ctx.data.setdefault("_forms", {})[key] = {"i": 0, "values": dict(values)}


def reset(ctx: Ctx, key: str) -> None:
    ctx.data.get("_forms", {}).pop(key, None)


def step_back(ctx: Ctx, key: str, form: Form | None = None) -> bool:
    """Go back one field (over those that don't apply); False when already at the first one."""
    progress = _progress(ctx, key)
    earlier = [i for i in range(progress["i"])
               if form is None or form.fields[i].applies(progress["values"])]
    if not earlier:
        return False
    progress["i"] = earlier[-1]
    return True


def _advance(form: Form, progress: dict[str, Any]) -> None:
    """Move to the next field that applies to the answers so far; the others are emptied,
    unless another answer gave them (“500 t” gave the unit)."""
    values, given = progress["values"], progress.get("given", [])
    while progress["i"] < len(form.fields) and not form.fields[progress["i"]].applies(values):
        name = form.fields[progress["i"]].name
        if name not in given:
            values[name] = None
        if name in progress.get("asked", []):  # asked before a changed answer; not on this path
            progress["asked"].remove(name)
        progress["i"] += 1


async def prompt(ctx: Ctx, key: str, state: FormState) -> list[Outbound]:
    form = state.form_for(ctx)
    progress = _progress(ctx, key)
    if ctx.forms_at_once:
        specs = tuple(f.spec(progress["values"].get(f.name)) for f in form.fields)
        return [FormReply(form.id, _(form.title), specs, _(form.submit_label),
                          subtitle=_(form.subtitle) if form.subtitle else "")]
    # The intro once per form, not again when its first question is asked again.
    fresh = progress["i"] == 0 and not progress["values"] and not progress.get("introduced")
    intro = [Reply(_(state.intro))] if state.intro and fresh else []
    progress["introduced"] = True
    _advance(form, progress)
    progress["i"] = min(progress["i"], len(form.fields) - 1)
    return [*intro, _ask(form, progress)]


def _step(form: Form, progress: dict[str, Any]) -> tuple[int, int]:
    """(this question's number, how many there will be) for the answers so far: the number
    counts the questions asked before it (one that no longer applies because its own answer
    switched it off, like the unit, still counts), the total adds those still to come that
    apply now; so the number only climbs by one and the total is never below it."""
    index = progress["i"]
    asked = progress.setdefault("asked", [])
    if form.fields[index].name not in asked:
        asked.append(form.fields[index].name)
    number = 1 + sum(1 for f in form.fields[:index] if f.name in asked)
    coming = sum(1 for f in form.fields[index + 1:] if f.applies(progress["values"]))
    return number, number + coming


def _ask(form: Form, progress: dict[str, Any]) -> Reply:
    index = progress["i"]
    field = form.fields[index]
    current = progress["values"].get(field.name)
    number, count = _step(form, progress)
    title = _("{form} · {subject}", form=_(form.title), subject=_(form.subtitle)) \
        if form.subtitle else _(form.title)
    lines = [_("{form} · {number}/{count}", form=title, number=number, count=count),
             _("{label}?", label=_(field.label))]
    if field.hint:
        lines.append(field.hint_text())
    buttons: list[tuple[Button, ...]] = []
    if isinstance(field, MultiChoiceField) and not field.typed:
        chosen = set(current or [])
        marks = [Button(("✓ " if v in chosen else "") + label, v) for v, label in field.options()]
        buttons += [tuple(marks[i : i + 2]) for i in range(0, len(marks), 2)]
        buttons.append((Button(_("Done ✔"), DONE),))
    elif field.options() and len(field.options()) <= 12:
        opts = [Button(label, value) for value, label in field.options()]
        buttons += [tuple(opts[i : i + 2]) for i in range(0, len(opts), 2)]
    elif current not in (None, "", []):
        lines.append(_("(now: {value})", value=field.display(current)))
    if current not in (None, "", []) and not (isinstance(field, MultiChoiceField)
                                               and not field.typed):
        shown = field.display(current)
        buttons.append((Button(_("Keep “{value}”", value=shortened(shown)), KEEP),))
    if not field.required:
        buttons.append((Button(_("Skip"), SKIP),))
    return Reply("\n".join(lines), tuple(buttons))


async def answer(ctx: Ctx, key: str, state: FormState, msg: Inbound) -> Next:
    form = state.form_for(ctx)
    if isinstance(msg, FormSubmission):
        return await _submit_all(ctx, key, state, form, msg)
    if isinstance(msg, Choice) and msg.data == OPEN_FORM:
        return Next.stay()
    progress = _progress(ctx, key)
    field = form.fields[progress["i"]]
    try:
        value, finished = _value_for(field, progress, msg)
    except FieldError as exc:
        return _retry(str(exc), exc.suggestions)
    notes = [Reply(value.note)] if isinstance(value, Also) and value.note else []
    if isinstance(value, Also):
        progress["values"].update(value.others)
        progress["given"] = sorted({*progress.get("given", []), *value.others})
        value = value.value
    progress["values"][field.name] = value
    if not finished:
        return Next.stay(*notes)
    reached = max(progress["i"], progress.get("resume", 0))
    # "context": values of fields outside this form (a one-field edit) that rules may need.
    broken = form.broken_rule({**progress.get("context", {}), **progress["values"]}, reached)
    if broken:  # straight to the question that can fix it, then back to where we were
        progress["resume"] = reached
        progress["i"] = form.index(broken[0])
        return Next.stay(*notes, Reply(broken[1], kind="error"))
    progress["i"] = progress.pop("resume", progress["i"]) + 1
    _advance(form, progress)
    if progress["i"] < len(form.fields):
        return Next.stay(*notes)
    # Keep the answers, pointing at the last field, so "back" into this form can change them.
    progress["i"] = len(form.fields) - 1
    done = await state.done(ctx, dict(progress["values"]))
    done.replies[:0] = notes
    return done


def _value_for(field: Field, progress: dict[str, Any], msg: Inbound) -> tuple[Any, bool]:
    """The field's new value and whether the field is finished."""
    if isinstance(msg, Choice) and msg.data == KEEP:
        current = progress["values"].get(field.name)
        if current in (None, "", []):
            raise FieldError(_("There is no earlier answer for {label} to keep.",
                               label=_(field.label).lower()))
        return current, True
    if isinstance(msg, Choice) and msg.data == SKIP:
        if field.required:
            raise FieldError(_("{label} is required; it can't be skipped.", label=_(field.label)))
        return None, True
    if isinstance(field, MultiChoiceField) and isinstance(msg, Choice):
        picked = list(progress["values"].get(field.name) or [])
        if msg.data == DONE:
            return field.check_count(picked), True
        value = field.match(msg.data)
        picked = [v for v in picked if v != value] if value in picked else [*picked, value]
        return picked, False
    return field.parse_in(msg, progress["values"]), True


def _retry(error: str, suggestions: list[tuple[str, str]]) -> Next:
    buttons = tuple((Button(label, value),) for value, label in suggestions[:5])
    return Next.stay(Reply(error, buttons, kind="error"))


async def _submit_all(ctx: Ctx, key: str, state: FormState, form: Form, msg: FormSubmission
                      ) -> Next:
    if msg.form_id != form.id:
        return Next.stay(Reply(_("That form is out of date; here is the current one."), kind="error"))
    values, errors = form.validate_all(msg.values)
    _progress(ctx, key)["values"] = {**values, **{k: msg.values.get(k) for k in errors}}
    if errors:
        return Next(state="", replies=[FormErrors(form.id, errors)], reprompt=False)
    return await state.done(ctx, values)
