"""The main menu and /help, derived from the entries' own declarations."""

from __future__ import annotations

from conversations.context import Ctx
from conversations.flow import MenuEntry
from conversations.messages import Button, Reply, go
from conversations.registry import Registry
from core.i18n import N_, _

_HELP_ENTRY = (MenuEntry(N_("❓ Help"), ("member",), 931, row="link"), "@help")
ROLE_ORDER = ("seller", "buyer", "consultant", "seeker", "admin", "member")

GENERAL_HELP_TAIL = N_("Buttons: ◀ Back goes to the previous question; ✖ Cancel stops the "
                       "current step.")


def main_menu(registry: Registry, ctx: Ctx, suspended_title: str | None) -> Reply:
    """The menu for the user's roles, with “continue” when a flow was left half-way."""
    # “Continue” comes last, so the other entries keep their places (and letters) whether or
    # not something is waiting.
    cont = ([(Button(_("↩ Continue: {title}", title=suspended_title), "@resume"),)]
            if suspended_title else [])
    if ctx.account is None:
        rows = _rows(_entries(registry, ctx, {"guest"}))
        return Reply(_("Welcome to Agora, the bioenergy and consulting marketplace in chat."),
                     (*rows, *cont), kind="menu")
    rows = _rows(_entries(registry, ctx, {*ctx.roles, "member"}))
    name = ctx.account.display_name
    return Reply(_("Main menu — {name}, what would you like to do?", name=name), (*rows, *cont),
                 kind="menu")


def _entries(registry: Registry, ctx: Ctx, roles: set[str]) -> list[tuple[MenuEntry, str]]:
    """Entries for these roles in menu order: role sections first, then everyone's."""
    declared = [(m, go(e.name)) for e in registry.entries.values() for m in e.menu]
    candidates = [*declared, _HELP_ENTRY]
    shown = [(m, data) for m, data in candidates
             if set(m.roles) & roles and (m.when is None or m.when(ctx))]
    return sorted(shown, key=lambda pair: (_rank(pair[0], roles), pair[0].order))


def _rank(entry: MenuEntry, roles: set[str]) -> int:
    return min(ROLE_ORDER.index(r) if r in ROLE_ORDER else 0 for r in entry.roles if r in roles)


def _rows(entries: list[tuple[MenuEntry, str]]) -> list[tuple[Button, ...]]:
    rows: list[list[Button]] = []
    last_row = ""
    for entry, data in entries:
        button = Button(_(entry.label), data)
        if entry.row and entry.row == last_row:
            rows[-1].append(button)
        else:
            rows.append([button])
        last_row = entry.row
    return [tuple(row) for row in rows]


def help_text(registry: Registry, prefix: str = "/") -> str:
    """General help: every command people can type here (`prefix`: how commands start)."""
    lines = [_("Agora is a marketplace in chat. What you can type:")]
    lines += [f"{prefix}{command} — {_(summary)}" for command, summary in registry.command_list()]
    return "\n".join([*lines, _(GENERAL_HELP_TAIL)])
