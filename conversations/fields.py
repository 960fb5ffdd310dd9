"""Typed fields: each turns a raw answer into a clean, JSON-storable value or raises `FieldError`
with a message that says exactly what to fix. Forms (conversations.forms) are lists of them.

Here: the base `Field` and the fields of text, choices, email addresses, team chats and files;
numbers and dates are in `conversations.number_and_date_fields`, places in
`conversations.place_fields`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from email_validator import EmailNotValidError, validate_email

from conversations.messages import (
    Choice,
    FieldSpec,
    FileUpload,
    Inbound,
    Location,
    Text,
)
from core.i18n import _

Raw = str | list[str] | None


class FieldError(Exception):
    """The answer doesn't fit; `str()` says why, `suggestions` are (value, label) to tap."""

    def __init__(self, message: str, suggestions: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def tidy(value: str) -> str:
    """NFC-normalise, drop control and direction-override characters, trim."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()


def text_of(msg: Inbound, label: str) -> str:
    if isinstance(msg, Text):
        return msg.text
    if isinstance(msg, FileUpload):
        raise FieldError(_("I need {label} typed as text, not a file or photo.",
                           label=_(label).lower()))
    if isinstance(msg, Location):
        raise FieldError(_("I need {label} typed as text, not a location.", label=_(label).lower()))
    raise FieldError(_("Please type {label}.", label=_(label).lower()))


@dataclass(frozen=True)
class Also:
    """An answer that also answers other fields (“500 t” is the quantity and the unit), or
    that comes with a word for the person (“I corrected the spelling”)."""

    value: Any
    others: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class Field:
    name: str
    label: str
    required: bool = True
    hint: str = ""
    # Asked only when true for the answers so far (e.g. the Incoterms place once an Incoterm
    # is chosen); otherwise skipped, its value None.
    when: Callable[[dict[str, Any]], bool] | None = None
    # The hint when the whole form is shown at once (a Slack modal), where there is no Done
    # to tap, no location to share and an optional field is simply left empty: None, the
    # same as `hint`; "" none.
    form_hint: str | None = None
    kind: ClassVar[str] = "text"

    def applies(self, values: dict[str, Any]) -> bool:
        return self.when is None or bool(self.when(values))

    def parse(self, msg: Inbound) -> Any:
        """Clean value from one chat answer."""
        return self.parse_raw(text_of(msg, self.label))

    def parse_in(self, msg: Inbound, values: dict[str, Any]) -> Any:
        """Clean value given the answers so far (fields whose meaning depends on them)."""
        return self.parse(msg)

    def parse_raw(self, raw: Raw) -> Any:
        """Clean value from a raw string (a typed answer or a modal input)."""
        raise NotImplementedError

    def options(self) -> list[tuple[str, str]]:
        return []

    def display(self, value: Any) -> str:
        return "—" if value in (None, "", []) else str(value)

    def spec(self, initial: Any = None) -> FieldSpec:
        # A question that does not always apply can't be required in a whole form (a modal).
        return FieldSpec(name=self.name, label=_(self.label), kind=self.kind,
                         required=self.required and self.when is None,
                         hint=self.form_hint_text(), options=tuple(self.options()),
                         initial=_as_raw(initial))

    def hint_text(self) -> str:
        """The hint in the reader's words ("" for none)."""
        return _(self.hint) if self.hint else ""

    def form_hint_text(self) -> str:
        """The hint of the field in a whole form, in the reader's words ("" for none)."""
        if self.form_hint is None:
            return self.hint_text()
        return _(self.form_hint) if self.form_hint else ""

    def _require(self, raw: Raw) -> str:
        text = tidy(raw if isinstance(raw, str) else "")
        if not text:
            raise FieldError(_("{label} can't be empty.", label=_(self.label)))
        return text


def _as_raw(value: Any) -> str | list[str] | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return value.get("city") or None
    return str(value)


@dataclass
class TextField(Field):
    min_length: int = 1
    max_length: int = 200
    multiline: bool = False
    needs_letters: bool = False

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw)
        if len(text) < self.min_length:
            raise FieldError(_("{label} needs at least {n} characters.", label=_(self.label),
                               n=self.min_length))
        if len(text) > self.max_length:
            raise FieldError(_("{label} can be at most {n} characters (you sent {sent}).",
                               label=_(self.label), n=self.max_length, sent=len(text)))
        if not self.multiline and "\n" in text:
            raise FieldError(_("{label} must be on one line.", label=_(self.label)))
        if self.needs_letters and not any(ch.isalpha() for ch in text):
            raise FieldError(_("{label} needs letters (any alphabet), not only symbols or emoji.",
                               label=_(self.label)))
        return text

    def spec(self, initial: Any = None) -> FieldSpec:
        base = super().spec(initial)
        return FieldSpec(**{**base.__dict__, "min_length": self.min_length,
                            "max_length": self.max_length, "multiline": self.multiline})


@dataclass
class ChoiceField(Field):
    choices: list[tuple[str, str]] = field(default_factory=list)
    kind: ClassVar[str] = "choice"

    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs, labelled in the reader's language."""
        return [(value, _(label)) for value, label in self.choices]

    def parse(self, msg: Inbound) -> str:
        if isinstance(msg, Choice):
            return self.parse_raw(msg.data)
        return self.parse_raw(text_of(msg, self.label))

    def parse_raw(self, raw: Raw) -> str:
        return self.match(self._require(raw))

    def match(self, text: str) -> str:
        """The option whose value or label, in English or the reader's language, is `text`
        (any case)."""
        for value, label in self.choices:
            if text.casefold() in (value.casefold(), label.casefold(), _(label).casefold()):
                return value
        return self._unknown(text)

    def _unknown(self, text: str) -> str:
        names = ", ".join(label for __, label in self.options()[:8])
        raise FieldError(_("“{text}” is not one of the options. Choose one of: {names}.",
                           text=text[:40], names=names))

    def display(self, value: Any) -> str:
        return dict(self.options()).get(value, super().display(value))


@dataclass
class MultiChoiceField(ChoiceField):
    min_selected: int = 1
    max_selected: int = 20
    kind: ClassVar[str] = "multichoice"
    typed: ClassVar[bool] = False  # asked in chat as a typed list, not an option per button

    def parse_raw(self, raw: Raw) -> list[str]:  # type: ignore[override]
        items = raw if isinstance(raw, list) else re.split(r"[,;]", raw or "")
        picked: list[str] = []
        for item in (tidy(i) for i in items):
            if item:
                value = self.match(item)
                if value not in picked:
                    picked.append(value)
        return self.check_count(picked)

    def check_count(self, picked: list[str]) -> list[str]:
        if len(picked) < self.min_selected:
            raise FieldError(_("Choose at least {n} for {label}.", n=self.min_selected,
                               label=_(self.label).lower()))
        if len(picked) > self.max_selected:
            raise FieldError(_("Choose at most {n} for {label}.", n=self.max_selected,
                               label=_(self.label).lower()))
        return picked

    def display(self, value: Any) -> str:
        labels = dict(self.options())
        return ", ".join(labels.get(v, v) for v in value or []) or "—"


@dataclass
class EmailField(Field):
    kind: ClassVar[str] = "email"

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw)
        if len(text) > 254:
            raise FieldError(_("That email address is too long."))
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise FieldError(_("That doesn't look like an email address: {reason}",
                               reason=exc)) from None

@dataclass
class ChatField(Field):
    """A team chat, picked from the channel's own list (Slack's conversation picker): its id
    on that channel. Only in a form shown whole — nobody types a chat's id."""

    kind: ClassVar[str] = "chat"

    def parse_raw(self, raw: Raw) -> str:
        text = self._require(raw)
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,60}", text):
            raise FieldError(_("Please pick a channel from the list."))
        return text


@dataclass
class FileField(Field):
    mime_types: tuple[str, ...] = ("application/pdf", "image/jpeg", "image/png")
    max_bytes: int = 10 * 1024 * 1024
    kind: ClassVar[str] = "file"

    def parse(self, msg: Inbound) -> dict[str, Any]:
        if not isinstance(msg, FileUpload):
            raise FieldError(_("Please send {label} as a file or photo.", label=_(self.label).lower()))
        if msg.mime_type not in self.mime_types:
            allowed = ", ".join(t.split("/")[1].upper() for t in self.mime_types)
            raise FieldError(_("That file type ({type}) isn't accepted. Send {allowed}.",
                               type=msg.mime_type, allowed=allowed))
        if msg.size > self.max_bytes:
            raise FieldError(_("That file is {size} KB; the limit is {limit} MB.",
                               size=msg.size // 1024, limit=self.max_bytes // (1024 * 1024)))
        return {"file_id": msg.file_id, "name": msg.file_name, "mime": msg.mime_type,
                "size": msg.size}

    def parse_raw(self, raw: Raw) -> dict[str, Any]:
        raise FieldError(_("Please send {label} as a file.", label=_(self.label).lower()))

    def display(self, value: Any) -> str:
        return value["name"] if value else "—"