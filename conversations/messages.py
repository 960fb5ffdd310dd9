"""Neutral messages: what a channel hands to the engine and what the engine hands back.

Channels (bots/) translate their own updates into an `Envelope` and render the returned
`Reply` objects in their own idiom. Nothing here knows Telegram or Slack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from core.actions import Action
from core.i18n import _

if TYPE_CHECKING:
    from core.notifications.delivery import Attachment

CALLBACK_DATA_LIMIT = 64  # Telegram's limit for callback_data, in bytes


# --- inbound ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Command:
    name: str  # without the slash, lower case
    args: str = ""


@dataclass(frozen=True)
class Choice:
    """A button press; `data` is the button's opaque payload."""

    data: str


@dataclass(frozen=True)
class FileUpload:
    file_id: str
    file_name: str
    mime_type: str
    size: int
    kind: Literal["photo", "document", "voice"] = "document"


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class FormSubmission:
    """All fields of a form at once (a Slack modal); values are raw strings or lists."""

    form_id: str
    values: dict[str, str | list[str] | None]
    token: str = ""


Inbound = Text | Command | Choice | FileUpload | Location | FormSubmission


@dataclass(frozen=True)
class Envelope:
    """One inbound message with who sent it, where, and the channel's id for it."""

    channel: str  # "telegram" | "slack" | "terminal" | "web"
    user_key: str  # stable per channel: Telegram user id, "TEAM:USER" on Slack, a name
    chat_id: str  # where the conversation happens
    message: Inbound
    event_id: str | None = None  # the channel's update/event id, for idempotency
    display_name: str = ""
    can_show_forms: bool = False  # True where the channel renders a whole form at once
    command_prefix: str = "/"  # how commands are typed here: "/wallet", or "/agora wallet" on Slack
    opens_links: bool = True  # the person can open a web page from here (not a terminal)
    language: str = ""  # the language the person's app names (Telegram's language_code, Slack's locale)


# --- outbound --------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    url: str = ""  # a link button: opens this address (a payment page) instead of answering

    def __post_init__(self) -> None:
        if len(self.data.encode()) > CALLBACK_DATA_LIMIT - 8:  # room for the prompt token
            raise ValueError(f"button data too long: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """A message to show: text plus optional rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    kind: Literal["text", "error", "notice", "menu"] = "text"  # menu: the main menu


@dataclass(frozen=True)
class ListItem:
    title: str
    subtitle: str = ""
    button: Button | None = None


@dataclass(frozen=True)
class ListPage:
    title: str
    items: tuple[ListItem, ...]
    page: int
    pages: int
    buttons: tuple[tuple[Button, ...], ...] = ()
    # The question a channel asks under the list in the same message (Telegram folds the
    # step's "Refine or keep this search" into the results it is about).
    footer: str = ""


@dataclass(frozen=True)
class FieldSpec:
    """How a channel should render one form field (the rules stay in conversations.fields)."""

    name: str
    label: str
    kind: str  # text, integer, decimal, choice, multichoice, email, datetime, location, file, chat
    required: bool = True
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    min_length: int | None = None
    max_length: int | None = None
    initial: str | list[str] | None = None
    multiline: bool = False
    # Options too many to list, which a channel finds as the person types (Slack's external
    # select): "country". The field still reads what is typed.
    source: str = ""


@dataclass(frozen=True)
class FormReply:
    """A whole form; channels that can't show forms never receive this."""

    form_id: str
    title: str
    fields: tuple[FieldSpec, ...]
    submit_label: str = "Submit"
    token: str = ""
    subtitle: str = ""  # what the form is about, under its (short) title


@dataclass(frozen=True)
class FormErrors:
    """Field errors for a submitted form, keyed by field name."""

    form_id: str
    errors: dict[str, str]


@dataclass(frozen=True)
class FileReply:
    file_name: str
    content: bytes
    mime_type: str
    caption: str = ""


@dataclass(frozen=True)
class ImageReply:
    """A picture. `url_or_file_id` is a URL or this channel's own file id (sent by reference);
    otherwise the stored bytes go (a photo uploaded on another channel), `path` saying where
    they are kept on this machine."""

    url_or_file_id: str = ""
    caption: str = ""
    content: bytes = b""
    mime_type: str = ""
    file_name: str = ""
    path: str = ""


@dataclass(frozen=True)
class ShareReply:
    """A read-only card to share where others read it (a Slack channel the person picks; in
    Telegram, a message to forward): its words, the deep link that opens the object in Agora
    (each reader's own rights apply there), and its public page, if any."""

    title: str
    lines: tuple[str, ...]
    open_payload: str
    page: str = ""

    @property
    def text(self) -> str:
        return "\n".join((self.title, *self.lines))


Outbound = Reply | ListPage | FormReply | FormErrors | FileReply | ImageReply | ShareReply


def rows(*labels_and_data: tuple[str, str], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out `per_row` to a row."""
    buttons = [Button(label, data) for label, data in labels_and_data]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


GO = "@go"  # a button's data that opens a flow: "@go:flow" or "@go:flow:arg:…"


def go(flow: str, *args: object) -> str:
    """The data of a button that opens `flow`, handing it `args` (joined by ":", which the
    flow reads back as its "args"); the only place such data is written, so every flow a
    button names can be checked to exist (tests/test_buttons_name_flows.py)."""
    return ":".join((GO, flow, *(str(arg) for arg in args)))


def action_button(action: Action) -> Button:
    """A core follow-up as a button any channel renders; the engine maps `@do:` to a flow."""
    return Button(_(action.label), f"@do:{action.intent.value}:{action.arg}")


def notification_reply(payload: dict[str, Any]) -> Reply:
    """The neutral reply of an outbox payload ({"text", "buttons": rows of actions})."""
    rows = tuple(tuple(b for b in map(_payload_button, row) if b) for row in payload.get("buttons") or [])
    return Reply(str(payload.get("text") or ""), tuple(row for row in rows if row))


def _payload_button(item: Any) -> Button | None:
    action = Action.from_payload(item) if isinstance(item, dict) else None
    if action is not None:
        return action_button(action)
    if isinstance(item, dict) and "data" in item:  # rows queued before actions were typed
        return Button(str(item.get("label") or ""), str(item["data"]))
    return None


def file_reply(file: Attachment) -> FileReply:
    """A notification's attachment as a neutral reply, so channels render it like any file."""
    return FileReply(file.file_name, file.content, file.mime_type)


@dataclass
class Outcome:
    """What the engine produced for one envelope."""

    replies: list[Outbound] = field(default_factory=list)
    duplicate: bool = False
