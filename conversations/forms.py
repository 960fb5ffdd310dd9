"""Forms: typed fields asked one by one (Telegram, terminal) or as one modal (Slack), with rules
across fields checked as soon as their last field is answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from conversations.fields import Also, Field, FieldError, Raw
from core.i18n import _


@dataclass(frozen=True)
class Rule:
    """A check across fields, run as soon as the last of them is answered; a broken rule
    re-asks `fix` (by default the last of them) with the message `check` returned."""

    fields: tuple[str, ...]
    check: Callable[[dict[str, Any]], str | None]
    fix: str = ""

    @property
    def field_to_fix(self) -> str:
        return self.fix or self.fields[-1]


@dataclass
class Form:
    id: str
    title: str
    fields: list[Field]
    submit_label: str = "Submit"
    rules: list[Rule] = dataclass_field(default_factory=list)
    # What the form is about ("Wood pellets"), shown under its title: a Slack modal's title
    # holds 24 characters, so a title names the form alone and its subject goes here.
    subtitle: str = ""

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def index(self, name: str) -> int:
        return next(i for i, f in enumerate(self.fields) if f.name == name)

    def broken_rule(self, values: dict[str, Any], upto: int) -> tuple[str, str] | None:
        """(field to fix, message) of the first rule whose fields are all settled — each at or
        before field `upto`, or not in this form (its value then comes from `values`) — and that
        fails."""
        names = [f.name for f in self.fields]
        for rule in self.rules:
            mine = [names.index(n) for n in rule.fields if n in names]
            if mine and max(mine) <= upto:
                message = rule.check(values)
                if message:
                    return rule.field_to_fix, message
        return None

    def validate_all(self, raw: dict[str, Raw]) -> tuple[dict[str, Any], dict[str, str]]:
        """Check every field of a whole-form submission; returns (values, errors)."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for f in self.fields:
            given = raw.get(f.name)
            # Whether a conditional question applies is unknown while an earlier answer is wrong.
            if not f.applies(values) or (f.when is not None and errors and given in (None, "", [])):
                values.setdefault(f.name, None)  # kept when another answer gave it
                continue
            if given in (None, "", []):
                if f.required:
                    errors[f.name] = _("{label} is required.", label=_(f.label))
                else:
                    values[f.name] = None
                continue
            try:
                parsed = f.parse_raw(given)
            except FieldError as exc:
                errors[f.name] = str(exc)
                continue
            values[f.name] = parsed.value if isinstance(parsed, Also) else parsed
            if isinstance(parsed, Also):
                values.update({k: v for k, v in parsed.others.items() if raw.get(k) in (None, "")})
        broken = None if errors else self.broken_rule(values, len(self.fields) - 1)
        if broken:
            errors[broken[0]] = broken[1]
        return values, errors
