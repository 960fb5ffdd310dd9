"""No sentence reaches a person without passing through the catalogue: a reply, a button, a
follow-up action or a refusal built from literal English (a plain string or an f-string) is
caught here, in the conversations, the chat channels, core and payments. No database."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("conversations", "bots/telegram", "bots/slack", "bots/terminal.py", "core", "payments")
# What shows its first argument to a person (an `Action`: its label, the second argument).
SHOWN = {"Reply", "Button", "FieldError", "DomainError", "Conflict", "NotFound", "Forbidden",
         "Action"}


def _literal_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return sum(ch.isalpha() for ch in node.value) >= 3
    if isinstance(node, ast.JoinedStr):
        return any(_literal_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    return False


def bare_sentences(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in SHOWN:
            shown = node.args[1:2] if name == "Action" else node.args[:1]
            found += [f"{path.relative_to(root)}:{node.lineno} {name}({ast.unparse(arg)[:60]})"
                      for arg in shown if _literal_words(arg)]
    return found


def test_every_reply_button_action_and_refusal_goes_through_the_catalogue():
    files = [p for root in CHECKED for p in
             ((ROOT / root).rglob("*.py") if (ROOT / root).is_dir() else [ROOT / root])]
    assert len(files) > 300
    assert [line for path in files for line in bare_sentences(path)] == []


def test_the_check_sees_a_bare_sentence(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('Reply(f"Deal {n} paid")\nButton(_("Pay"), "pay")\n'
                      'Action(Intent.VIEW, "View the deal", "1")\nReply(text)\n')
    found = bare_sentences(sample, tmp_path)
    assert [line.split(" ", 1)[1] for line in found] == [
        "Reply(f'Deal {n} paid')", "Action('View the deal')"]
