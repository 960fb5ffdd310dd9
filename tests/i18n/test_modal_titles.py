"""A form's title and submit label are a Slack modal's, which hold 24 characters: every form's,
in every language. The titles are found in the code (each `Form(...)`), so a new form is
checked the day it is written; what it is about goes in its subtitle, which has room. No
database."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from core.i18n import LANGUAGES, Visitor, _
from core.money.reading import reading

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 24  # bots.slack.modals.TITLE_LIMIT
ALWAYS = ("Submit", "Cancel", "Close")  # a modal's default submit and its close button


def _marked(node: ast.AST) -> list[str]:
    """The catalogue messages an expression names: N_("…") and _("…") literals in it."""
    return [call.args[0].value for call in ast.walk(node)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id in ("N_", "_") and call.args
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)]


def _tables(tree: ast.Module) -> dict[str, ast.AST]:
    """A module's top-level assignments by name (a title picked from a table of them)."""
    return {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}


@cache
def form_labels() -> tuple[tuple[str, str], ...]:
    """(where, message) of every form's title and submit label in the code."""
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "conversations").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = _tables(tree)
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id == "Form"):
                continue
            given = {kw.arg: kw.value for kw in call.keywords}
            parts = [given.get("title", call.args[1] if len(call.args) > 1 else None),
                     given.get("submit_label")]
            for part in filter(None, parts):
                named = [n.id for n in ast.walk(part) if isinstance(n, ast.Name) and n.id in tables]
                messages = _marked(part) + [m for n in named for m in _marked(tables[n])]
                assert messages, f"{path.name}:{call.lineno}: a form title from the catalogue"
                found += [(f"{path.name}:{call.lineno}", m) for m in messages]
    return tuple(found)


def test_every_form_title_is_found_and_says_one_thing():
    labels = form_labels()
    assert len(labels) > 40
    with_values = [(where, m) for where, m in labels if "{" in m]
    assert with_values == [], "a title holds no values: put the subject in the subtitle"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_form_title_and_button_fits_a_slack_modal(language):
    with reading(Visitor(language)):
        long = sorted({(where, _(m)) for where, m in form_labels() if len(_(m)) > LIMIT}
                      | {("modal", _(m)) for m in ALWAYS if len(_(m)) > LIMIT})
    assert long == []
