"""A button that opens a flow names one that exists: its data is written by `go()` alone, and
every flow name given to it is one the engine knows. A renamed flow with a button still
naming the old one answered “That button has expired” before; now this test names the button."""

from __future__ import annotations

import ast
from pathlib import Path

from conversations.flows.all_flows import ALL_FLOWS
from conversations.messages import go
from conversations.registry import Registry

ROOT = Path(__file__).resolve().parents[1]
FACES = ("conversations", "bots", "core")


def sources() -> list[Path]:
    return [path for face in FACES for path in (ROOT / face).rglob("*.py")]


def test_go_joins_the_flow_and_its_arguments():
    assert go("deal_step", 12, "terms") == "@go:deal_step:12:terms"
    assert go("search") == "@go:search"


def test_every_flow_a_button_opens_is_registered():
    known = Registry(ALL_FLOWS)
    named = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "go" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                named.append((path.relative_to(ROOT), node.lineno, node.args[0].value))
    assert len(named) > 40  # the buttons were found
    unknown = [(str(path), line, flow) for path, line, flow in named if flow not in known]
    assert not unknown, unknown


def test_no_button_data_opening_a_flow_is_written_by_hand():
    by_hand = [str(path.relative_to(ROOT)) for path in sources()
               if '"@go:' in path.read_text(encoding="utf-8")
               and path.name != "messages.py"]
    assert not by_hand, by_hand
