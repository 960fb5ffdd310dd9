"""How the terminal chat prints: replies as lines, buttons lettered [a], [b]… across a batch
(letters, not numbers, so a typed "3" is never a button), links as their address, and every
file the chat receives saved under the data folder's exports with its path printed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from config.container import Container
from conversations.messages import (
    Button,
    FileReply,
    FormErrors,
    ImageReply,
    ListPage,
    Outbound,
    Reply,
    ShareReply,
)
from core.i18n import _, n_


class Printing:
    """The printing of `TerminalChat` (which holds the state)."""

    container: Container
    name: str
    _out: TextIO
    _numbered: list[Button]
    _noticed: list[Button]

    def _print(self, text: str = "") -> None:
        self._out.write(text + "\n")
        self._out.flush()

    def render(self, replies: list[Outbound], more: bool = False) -> None:
        """Print replies; buttons are lettered across this batch (`more`: a notification
        arriving after the answer keeps the answer's letters and adds its own).

        The step's own buttons are lettered first and an error's buttons (Support, core's
        follow-ups) after them, though the error prints first: a button keeps its letter
        within a step whether or not an error came before it."""
        if not more:
            self._numbered = []
        else:
            found = [b for r in replies for row in getattr(r, "buttons", ()) for b in row]
            self._noticed = [*self._noticed, *found][-30:]
        first: dict[int, int] = {}
        for index in sorted(range(len(replies)), key=lambda i: _is_error(replies[i])):
            first[index] = len(self._numbered)
            self._numbered += _buttons_of(replies[index])
        for index, reply in enumerate(replies):
            for line in self._lines(reply, iter(range(first[index], len(self._numbered)))):
                self._print(line)

    def _lines(self, reply: Outbound, letters: Iterator[int]) -> list[str]:
        if isinstance(reply, Reply):
            return [reply.text, *_buttons(reply.buttons, letters)]
        if isinstance(reply, ListPage):
            lines = [_("{title} (page {page}/{pages})", title=reply.title, page=reply.page,
                       pages=reply.pages)]
            for item in reply.items:
                lines.append(f" • {item.title}" + (f" — {item.subtitle}" if item.subtitle else ""))
                if item.button:
                    lines += _buttons(((item.button,),), letters)
            return lines + _buttons(reply.buttons, letters)
        if isinstance(reply, FormErrors):
            return [f"⚠ {message}" for message in reply.errors.values()]
        if isinstance(reply, ShareReply):
            return [reply.text, _("(Copy it to share it.)")]
        if isinstance(reply, FileReply):
            where = self._saved(reply.file_name, reply.content)
            # English says "bytes" for any size (the plural is the same in both forms).
            return [n_("📎 {name} ({n} bytes) {caption}", "📎 {name} ({n} bytes) {caption}",
                       len(reply.content), name=reply.file_name, caption=reply.caption).rstrip(),
                    "   " + _("saved to {path}", path=where)]
        if isinstance(reply, ImageReply):
            where = reply.path or reply.url_or_file_id or self._saved(
                reply.file_name or "image.png", reply.content)
            return [f"🖼 {reply.file_name or _('image')}: {where} {reply.caption}".rstrip()]
        return []

    def _saved(self, file_name: str, content: bytes) -> str:
        """A file sent to this chat (a document, a chart) kept in this user's exports folder,
        since a terminal can't show it; its path. A different file of the same name gets a
        numbered name rather than overwriting one whose path was shown before."""
        if not content:
            return ""
        folder = Path(self.container.settings.data_dir) / "exports" / (_file_name(self.name)
                                                                         or "user")
        folder.mkdir(parents=True, exist_ok=True)
        first = target = folder / (_file_name(file_name) or "file")
        number = 1
        while target.exists() and target.read_bytes() != content:
            number += 1
            target = first.with_name(f"{first.stem}-{number}{first.suffix}")
        target.write_bytes(content)
        return str(target.resolve())

def _is_error(reply: Outbound) -> bool:
    return isinstance(reply, Reply) and reply.kind == "error"


def _buttons_of(reply: Outbound) -> list[Button]:
    """A reply's buttons in the order they print (a list's item buttons before its own); a
    link prints as its address, with no letter."""
    items = [item.button for item in reply.items if item.button] \
        if isinstance(reply, ListPage) else []
    return [b for b in (*items, *(b for row in getattr(reply, "buttons", ()) for b in row))
            if not b.url]


def _buttons(rows: tuple[tuple[Button, ...], ...], letters: Iterator[int]) -> list[str]:
    """Rows of buttons, each with the next of the letters kept for its reply; a link as its
    label and address."""
    lines = ["   " + "   ".join(f"[{_letter(next(letters))}] {button.label}"
                                for button in row if not button.url) for row in rows]
    links = [f"   🔗 {button.label}: {button.url}" for row in rows for button in row if button.url]
    return [line for line in lines if line.strip()] + links


def _letter(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else "·"


def _file_name(name: str) -> str:
    """A name as typed by whoever sent the file, made safe to save: no folders, no hidden or
    odd characters."""
    kept = "".join(ch if ch.isalnum() or ch in "-_. " else "_" for ch in Path(name).name)
    return kept.strip(" .")[:120]
