"""Which language Agora speaks to whom, and how a sentence is looked up: no database."""

from __future__ import annotations

import pytest

from core import i18n
from core.i18n import N_, Visitor, _, known_language, language_of, n_
from core.money.reading import reading


@pytest.mark.parametrize(("tag", "kept"), [
    ("de", "de"), ("pl-PL", "pl"), ("sv_SE", "sv"), ("LV", "lv"), ("en-GB", "en"),
    ("pt-br", "en"), ("", "en"), (None, "en"), ("x" * 300, "en"),
])
def test_a_new_account_keeps_its_apps_language_when_it_is_one_of_the_nine(tag, kept):
    assert known_language(tag) == kept


def test_only_an_offered_language_is_spoken_else_english():
    for code in i18n.COMING:
        assert language_of(code) == "en"  # not offered yet: no one reads a half-translated mix
    assert language_of("en_DE") == "en" and language_of("ja") == "en" and language_of(None) == "en"
    assert Visitor("de-DE").language == "de" and Visitor("pt-BR").language == "en"
    assert [language_of(tag) for tag in ("pl_PL", "lv-LV", "LT", "et", "fi-FI", "sv_SE", "fr-CA")
            ] == ["pl", "lv", "lt", "et", "fi", "sv", "fr"]


def test_a_sentence_is_filled_by_name_and_an_empty_one_stays_empty():
    with reading(Visitor("en")):
        assert _("Welcome back — continuing {title}.", title="Sell") == "Welcome back — continuing Sell."
        assert _("") == ""
        assert N_("Registration") == "Registration"


def test_counted_sentences_take_the_form_for_their_number():
    with reading(None):
        assert n_("Discard {n} answer in {title}?", "Discard {n} answers in {title}?", 1,
                  title="Sell") == "Discard 1 answer in Sell?"
        assert n_("Discard {n} answer in {title}?", "Discard {n} answers in {title}?", 3,
                  title="Sell") == "Discard 3 answers in Sell?"
