"""The real terminal: `agora chat` lists a product with a local photo; `agora demo seed` + search."""

from __future__ import annotations

import re
import subprocess

from tests.catalog.helpers import PELLETS
from tests.support.terminal import AGORA, agora_env, chat, emailed_code


def register(tmp_path) -> None:
    first = chat(tmp_path, "sam", ["Sam Koks", "skip", "sam@example.com", "a", "b", "done",
                                   "Latvia", "Riga", "a", "done"])
    chat(tmp_path, "sam", ["a", emailed_code(first)])


def typed(answers: list) -> list[str]:
    """The listing answers as terminal lines (button labels typed in full)."""
    lines: list[str] = []
    for answer in answers:
        if isinstance(answer, list):
            lines += [*answer, "Done ✔"]
        else:
            lines.append("Skip" if answer is None else answer)
    return lines


def test_a_terminal_seller_lists_with_a_local_photo_and_finds_it_by_a_misspelt_search(tmp_path):
    register(tmp_path)
    photo = tmp_path / "bags.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    lines = ["/sell", "Wood pellets", *typed(PELLETS), "➕ Add details / ✏ Edit a field", "Title",
             "ENplus A1 wood pellets", "📎 Add photos or documents", f"/file {photo}", "Done ✔",
             "🚀 Publish", "/search enplsu peletts riga"]
    out = chat(tmp_path, "sam", lines)
    assert "Added bags.png" in out
    assert "Preview — this is how buyers will see it" in out
    assert "Published" in out
    assert "1 result(s) for “enplsu peletts riga”" in out
    assert list((tmp_path / "agora-data").rglob("*.png"))


def test_the_demo_seed_command_loads_a_searchable_catalogue(tmp_path):
    result = subprocess.run([*AGORA, "demo", "seed"], capture_output=True, text=True,
                            cwd=tmp_path, env=agora_env(), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Seeded 240 listings" in result.stdout
    register(tmp_path)
    out = chat(tmp_path, "sam", ["/search hvo"])
    assert re.search(r"\d+ result\(s\) for “hvo”", out), out
