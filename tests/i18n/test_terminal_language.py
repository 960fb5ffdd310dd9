"""The terminal chat speaks the language `agora chat --lang` or the terminal's locale names."""

from __future__ import annotations

import subprocess

import pytest

from bots.terminal import terminal_language
from tests.support.languages import english_in, said
from tests.support.terminal import AGORA, agora_env


@pytest.mark.parametrize(("option", "environ", "language"), [
    ("fi", {"LANG": "de_DE.UTF-8"}, "fi"),
    (None, {"LANG": "de_DE.UTF-8"}, "de_DE"),
    (None, {"LC_ALL": "pl_PL.UTF-8", "LANG": "de_DE.UTF-8"}, "pl_PL"),
    (None, {"LC_MESSAGES": "sv_SE@euro", "LANG": "de_DE.UTF-8"}, "sv_SE"),
    (None, {"LANG": "C.UTF-8"}, ""),
    (None, {"LANG": "POSIX"}, ""),
    (None, {}, ""),
])
def test_the_language_comes_from_the_option_else_from_the_terminals_locale(option, environ,
                                                                            language):
    assert terminal_language(option, environ) == language


def chat_in(tmp_path, args: list[str], lines: list[str], **environ: str) -> str:
    result = subprocess.run([*AGORA, "chat", "--as", "aino", *args], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, cwd=tmp_path,
                            env={**agora_env(), **environ}, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_agora_chat_with_lang_fi_registers_in_finnish(tmp_path):
    output = chat_in(tmp_path, ["--lang", "fi"], ["Aino Virtanen"])
    assert said("fi", "{label}?", label=said("fi", "Your name")) in output
    assert said("fi", "{label}?", label=said("fi", "Company")) in output
    assert english_in("fi", [output]) == []


def test_agora_chat_speaks_the_language_of_the_terminals_locale(tmp_path):
    output = chat_in(tmp_path, [], [], LANG="de_DE.UTF-8")
    assert said("de", "{label}?", label=said("de", "Your name")) in output
    assert english_in("de", [output]) == []


def test_agora_chat_refuses_a_language_it_does_not_write(tmp_path):
    result = subprocess.run([*AGORA, "chat", "--as", "aino", "--lang", "pt"], input="",
                            capture_output=True, text=True, cwd=tmp_path, env=agora_env(),
                            timeout=60)
    assert result.returncode == 2 and "Unknown language 'pt'" in result.stderr
