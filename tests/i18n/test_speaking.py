"""A language once offered is spoken end to end: a newcomer whose app is German is asked the
registration in German from the German catalogue, and counted sentences take each language's
plural forms. German and Polish are switched on here as they will be when complete."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from core import i18n
from core.clock import local_time
from core.i18n import Visitor, _, n_, translations
from core.money.model import Money
from core.money.reading import reading
from tests.support.chat import ChatUser


@pytest.fixture
def german_and_polish_offered(monkeypatch):
    monkeypatch.setitem(i18n.LANGUAGES, "de", "Deutsch")
    monkeypatch.setitem(i18n.LANGUAGES, "pl", "Polski")


async def test_a_newcomer_whose_app_is_german_is_asked_in_german(chat, german_and_polish_offered):
    german = translations("de")
    title = german.gettext("Registration")
    assert title and title != "Registration"

    replies = await ChatUser(chat, "jonas", language="de").say("/start")

    text = "\n".join(getattr(r, "text", "") for r in replies)
    assert german.gettext("{form} · {number}/{count}").format(form=title, number=1, count=7) in text
    assert german.gettext("{label}?").format(label=german.gettext("Your name")) in text
    assert "Your name" not in text
    labels = [b.label for r in replies for row in getattr(r, "buttons", ()) for b in row]
    assert german.gettext("✖ Cancel") in labels


def test_counted_sentences_take_polish_forms_for_one_few_and_many(german_and_polish_offered):
    singular, plural = "Discard {n} answer in {title}?", "Discard {n} answers in {title}?"
    polish = translations("pl")
    forms = [polish.ngettext(singular, plural, n) for n in (1, 3, 5)]  # Polish: one, few, many
    assert all(form and form != plural for form in forms)
    with reading(Visitor("pl")):
        for n, form in ((1, 0), (3, 1), (22, 1), (5, 2), (12, 2), (25, 2)):
            assert n_(singular, plural, n, title="X") == forms[form].format(n=n, title="X")
    with reading(Visitor("de")):
        assert _("Skip") == translations("de").gettext("Skip") != "Skip"
        assert n_(singular, plural, 2, title="X") != n_(singular, plural, 1, title="X")


def test_words_follow_the_person_and_amounts_their_country(monkeypatch):
    """An English speaker in Estonia reads English with Estonian amounts; an Estonian reads
    Estonian, dates included (CLDR's weekday and month names)."""
    monkeypatch.setitem(i18n.LANGUAGES, "et", "Eesti")
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    with reading(SimpleNamespace(language="en", country="EE")):
        assert _("Skip") == "Skip"
        assert str(Money(2_200_000, "EUR")) == "22\xa0000,00\xa0€"
        assert local_time(moment, "UTC") == "Wed, 25 Nov, 12:00 (UTC)"  # CLDR's en_EE
    with reading(SimpleNamespace(language="et", country="EE")):
        assert _("Skip") == translations("et").gettext("Skip") != "Skip"
        assert local_time(moment, "UTC") == "K, 25. nov 12:00 (UTC)"  # CLDR: kolmapäev, november
