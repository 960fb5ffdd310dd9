"""Words a reader could mistake: menu entries that read alike, a label that is not a sentence of
its language, a date read as a place."""

from __future__ import annotations

import re

import pytest

from conversations.flows.all_flows import ALL_FLOWS
from conversations.menu import _HELP_ENTRY
from core.i18n import LANGUAGES
from tests.support.languages import said

LABELS = sorted({m.label for e in ALL_FLOWS for m in e.menu} | {_HELP_ENTRY[0].label})


def words(label: str) -> str:
    """A label as it reads, its leading emoji set aside ("🆘 Pomoc" → "pomoc")."""
    return re.sub(r"^\W+", "", label).strip().casefold()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_no_two_menu_entries_read_the_same(language):
    read = {}
    for label in LABELS:
        read.setdefault(words(said(language, label) if language != "en" else label), []).append(label)
    assert {text: found for text, found in read.items() if len(found) > 1} == {}


def test_the_place_of_the_goods_is_asked_as_a_german_question():
    asked = said("de", "{label}?", label=said("de", "Where the goods are"))
    assert asked == "Wo ist die Ware?"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_the_last_day_of_delivery_reads_as_a_date_not_a_place(language):
    """The terms' "Delivery to" is the end of the delivery window (a date), as the deal card's
    "delivery by" is."""
    assert said(language, "Delivery to").casefold() == said(language, "delivery by").casefold()
