"""Agora's words in the reader's language: gettext catalogues managed with Babel.

Every user-visible sentence is written once, in English, as a whole sentence with named
placeholders, and looked up when it is shown:

    _("Welcome to Agora, {name}!", name=account.display_name)
    n_("{n} rating", "{n} ratings", count)          # plural forms by the language's rules
    N_("Registration")                               # marks text defined at import time (a
                                                     # form's title); shown later with _(text)

The language is the current reader's (core.money.reading sets READER_LANGUAGE: a chat turn
reads for the person who wrote, a notice for its recipient), so a notice to the other party
of a deal is written in theirs. What a person typed is passed in as a value, never
looked up. Catalogues live in core/i18n/catalogues/<language>/LC_MESSAGES/agora.po, shipped
with the package and compiled in memory when a language is first read (docs/i18n.md: extract,
update).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# The Babel locale of the person the text being written is for ("de_DE"): set by
# `core.money.reading` around a chat turn or a notice, so that every sentence and amount in it
# reads one way for that person.
READER_LOCALE: ContextVar[str] = ContextVar("reader_locale", default="en")
# The language that person reads ("de"), set beside it: a locale follows the country for
# amounts (an English speaker in Estonia: et_EE), the words follow the person.
READER_LANGUAGE: ContextVar[str] = ContextVar("reader_language", default="en")
# The IANA time zone that person reads times in (UTC when they have none), set beside them.
READER_ZONE: ContextVar[str] = ContextVar("reader_zone", default="UTC")
DOMAIN = "agora"
CATALOGUES = Path(__file__).resolve().parent / "catalogues"
# The languages Agora speaks, by their own names; a language is offered once its catalogue
# covers every sentence (tests/i18n checks it), so no one gets a mix of two languages.
LANGUAGES = {"en": "English", "de": "Deutsch", "pl": "Polski", "lv": "Latviešu",
             "lt": "Lietuvių", "et": "Eesti", "fi": "Suomi", "sv": "Svenska", "fr": "Français"}
# Being translated: catalogues kept up to date, not offered until complete (none now).
COMING: dict[str, str] = {}
SOURCE = "en"


def language_of(locale: str | None) -> str:
    """The offered language of a locale or language tag, English when it is not offered: a
    Babel locale ("de_DE" → "de"), Telegram's language_code ("de"), Slack's locale ("pl-PL"),
    an Accept-Language entry ("sv-SE")."""
    code = _code(locale)
    return code if code in LANGUAGES else SOURCE


def known_language(tag: str | None) -> str:
    """The language to keep on a new account whose app names `tag`: one of the nine Agora is
    written in (offered or coming; it is spoken once offered), else English."""
    code = _code(tag)
    return code if code in LANGUAGES or code in COMING else SOURCE


def _code(tag: str | None) -> str:
    """The language part of a tag or locale: "pl-PL", "pl_PL", "PL" → "pl"."""
    return (tag or SOURCE).replace("-", "_").split("_", 1)[0].lower()


@dataclass(frozen=True)
class Visitor:
    """Someone Agora has no account for yet, read for in the language their app or browser
    names (a reader, as core.money.reading takes one)."""

    language: str | None = None
    country: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "language", language_of(self.language))


@cache
def translations(language: str) -> Any:
    """The catalogue of `language`, compiled from its .po the first time it is read in this
    process (Babel's Translations; NullTranslations for English and for a language whose
    catalogue is missing). No compiled .mo is kept beside the .po: two changes that add
    sentences then meet in one text file git merges, not in a binary. The compiled form is
    kept in the machine's temporary folder under the .po's fingerprint, so that each process
    started after the first (every worker, every `agora chat`) reads it rather than parsing
    the .po again (a tenth of a second a language). Fuzzy entries are not used (as
    `pybabel compile`)."""
    from babel.support import NullTranslations, Translations

    path = CATALOGUES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE or not path.is_file():
        return NullTranslations()
    return Translations(io.BytesIO(_compiled(path.read_bytes(), language)), domain=DOMAIN)


def _compiled(po: bytes, language: str) -> bytes:
    """The .mo of a catalogue's text, from the cache when this text was compiled before."""
    import babel

    key = hashlib.sha256(po + babel.__version__.encode()).hexdigest()[:32]
    kept = Path(tempfile.gettempdir()) / "agora-catalogues" / f"{language}-{key}.mo"
    try:
        return kept.read_bytes()
    except OSError:
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = io.BytesIO()
    write_mo(compiled, read_po(io.BytesIO(po), locale=language), use_fuzzy=False)
    try:  # written whole under another name first: a reader never sees half a file
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(compiled.getvalue())
        os.replace(partial, kept)
    except OSError:
        pass  # a read-only or full disk: compiled again next time
    return compiled.getvalue()


def current_language() -> str:
    """The offered language of the current reader (English when theirs is not offered yet)."""
    return language_of(READER_LANGUAGE.get())


def _(message: str, /, **params: Any) -> str:
    """`message` in the current reader's language, its {placeholders} filled from `params`."""
    language = current_language()
    # (gettext's entry for "" is the catalogue's header)
    text = message if language == SOURCE or not message else translations(language).gettext(message)
    return text.format(**params) if params else text


def n_(singular: str, plural: str, n: int, /, **params: Any) -> str:
    """The form of a counted sentence for `n` in the reader's language ({n} is filled in, with
    the reader's grouping: “1.200 Angebote”)."""
    from core.i18n.present import count  # (present reads this module's reader)

    language = current_language()
    if language == SOURCE:
        text = singular if n == 1 else plural
    else:
        text = translations(language).ngettext(singular, plural, n)
    return text.format(n=count(n) if isinstance(n, int) else n, **params)


def bilingual(message: str, /, *, sep: str = " / ", **params: Any) -> str:
    """`message` in the reader's language with the English beside it, for legal documents
    (terms, invoices, credit notes), which are issued in both: “Käufer / Buyer”; English
    alone for an English reader. `sep` "\n" puts a long sentence's English under it."""
    english = message.format(**params) if params else message
    local = _(message, **params)
    return english if local == english else f"{local}{sep}{english}"


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is defined; `_(message)` shows it."""
    return message
