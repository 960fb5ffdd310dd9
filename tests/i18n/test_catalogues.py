"""The translation catalogues against the code and the channels: every sentence of the code is
in the template, every catalogue is compiled from its current .po, translations keep their
{placeholders} and stay within every channel limit their English respects, and an offered
language leaves nothing untranslated. No database."""

from __future__ import annotations

import io
import string
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from core import i18n
from core.i18n import COMING, LANGUAGES, SOURCE, translations
from core.i18n.catalogue import TEMPLATE, TRANSLATED, code_catalog, po_path

ROOT = Path(__file__).resolve().parents[2]

# Slack: 75-character button labels, 150-character option texts, 3,000-character sections;
# Telegram: 4,096-character messages. A translation may not cross a limit its English keeps
# (the site's own sentences, in no chat, have none).
LIMITS = (75, 150, 3000, 4096)


@cache
def code_messages() -> frozenset[str | tuple[str, ...]]:
    return frozenset(m.id for m in code_catalog() if m.id)


@cache
def chat_messages() -> frozenset[str | tuple[str, ...]]:
    """The sentences of the Python code: what a chat can show (the site's templates aside)."""
    return frozenset(m.id for m in code_catalog(("python",)) if m.id)


@cache
def catalogue(language: str):
    with open(po_path(language), "rb") as po:
        return read_po(po, locale=language)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _fields(text: str) -> set[str]:
    return {name for __, name, __, __ in string.Formatter().parse(text) if name is not None}


def test_the_template_holds_every_sentence_of_the_code_and_no_other():
    with open(TEMPLATE, "rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    in_code = set(code_messages())
    assert not in_code - template, "run: python -m core.i18n.catalogue extract"
    assert not template - in_code, "run: python -m core.i18n.catalogue extract"


def test_every_sentence_uses_named_placeholders_only():
    positional = sorted(str(m) for m in code_messages()
                        for text in ((m,) if isinstance(m, str) else m)
                        if any(name == "" or name.isdigit() for name in _safe_fields(text)))
    assert positional == []


def _safe_fields(text: str) -> set[str]:
    try:
        return _fields(text)
    except ValueError:  # a literal brace in a message without placeholders
        return set()


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_is_up_to_date_and_read_as_written(language):
    po = catalogue(language)
    with open(TEMPLATE, "rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert {m.id for m in po if m.id} == template, "run: python -m core.i18n.catalogue update"
    # What the application reads is the .po itself, compiled in memory (no .mo to go stale).
    translations.cache_clear()
    loaded = translations(language)
    for message in po:
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
            assert loaded.gettext(message.id) == message.string, message.id


def test_no_compiled_catalogue_is_committed():
    """Binaries would make two changes that add sentences conflict; the .po is the source."""
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert tracked == []


def test_a_catalogue_compiled_once_is_read_compiled_by_the_next_process(tmp_path, monkeypatch):
    """Each process (a worker, `agora chat`) would parse every .po again; the compiled form is
    kept under the text's fingerprint, read back as long as the text is the same, and made
    anew once it changes."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    po = po_path("de").read_bytes()
    first = i18n._compiled(po, "de")
    kept = list((tmp_path / "agora-catalogues").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == first
    kept[0].write_bytes(first + b"kept")  # what the next process finds is what it reads
    assert i18n._compiled(po, "de") == first + b"kept"
    changed = po.replace(b'msgstr "\xc3\x9cberspringen"', b'msgstr "Weiter"')
    assert i18n._compiled(changed, "de") != first
    assert len(list((tmp_path / "agora-catalogues").iterdir())) == 2
    translated = Translations(io.BytesIO(i18n._compiled(po, "de")[:len(first)]), domain="agora")
    assert translated.gettext("Skip") == "Überspringen"



@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders_and_the_channel_limits(language):
    broken, too_long = [], []
    for message in catalogue(language):
        if not message.id:
            continue
        english = _ids(message)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(_safe_fields(text) for text in english))
        for text in (s for s in strings if s):
            if _safe_fields(text) - wanted or (len(english) == 1 and _safe_fields(text) != wanted):
                broken.append((english[0], text))
            longest = max(len(text) for text in english)
            in_chat = message.id in chat_messages()
            if in_chat and any(longest <= limit < len(text) for limit in LIMITS):
                too_long.append((english[0], text))
    assert broken == [] and too_long == []


def _untranslated(language: str) -> list[str]:
    return [str(m.id) for m in catalogue(language) if m.id and (
        not all(m.string) if isinstance(m.string, tuple) else not m.string)]


def test_a_language_is_offered_only_with_every_sentence_translated():
    complete = {language for language in TRANSLATED if not _untranslated(language)}
    assert set(LANGUAGES) - {SOURCE} <= complete


def test_the_nine_languages_are_either_offered_or_coming_never_both():
    assert not set(LANGUAGES) & set(COMING)
    assert set(LANGUAGES) | set(COMING) == {"en", "de", "pl", "lv", "lt", "et", "fi", "sv", "fr"}
