"""The fonts shipped for PDFs (core/fonts) print every letter of Europe's languages and the
signs documents use, in both styles, and a document in them names people as they write."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from core.fonts.subset import FILES, HERE
from tests.support.pdf import pdf_text

# Every letter of the nine languages Agora speaks, and of their neighbours' names on documents.
ALPHABETS = ("AĀBCČDEĒFGĢHIĪJKĶLĻMNŅOPRSŠTUŪVZŽ aābcčdeēfgģhiījkķlļmnņoprsštuūvzž"  # lv
             "ĄĆĘŁŃÓŚŹŻąćęłńóśźż"  # pl
             "ĖĮŲėįų"  # lt
             "ÄÖÜßÕäöüõÅå"  # de, et, fi, sv
             "ÀÂÆÇÉÈÊËÎÏÔŒÙÛŸàâæçéèêëîïôœùûÿ"  # fr
             "ČĎĚŇŘŤŮčďěňřťůĞİŞğışȘȚșțŐŰőűØøÆæÐðÞþ"  # cs, tr, ro, hu, nordic
             "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψω"  # el
             "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяІіЇїЄєҐґЎў")
SIGNS = "€£$¥₽₴ CO₂ m³ ¹²³ ±×÷°‰№™©® –—‘’‚“”„«»‹›…•·★☆✓✔✗✘→←↑↓≤≥≈≠√∞ ½¼¾"


@pytest.mark.parametrize("style", sorted(FILES))
def test_each_shipped_style_prints_every_letter_and_sign(style):
    cmap = TTFont(HERE / FILES[style], lazy=True).getBestCmap()
    missing = sorted({c for c in ALPHABETS + SIGNS if not c.isspace() and ord(c) not in cmap})
    assert missing == []


def test_a_document_prints_names_as_they_are_written_in_regular_and_bold():
    from core.pdf import Document

    document = Document("Test")
    document.heading("Jānis Bērziņš, Łódź")
    document.fields([("Käufer", "Müller GmbH, Göteborg"), ("Seller", "Ελλάδα / Москва")])
    document.paragraph("€ 1 234,50 for 40 t; CO₂ saved ★★★★☆")
    text = pdf_text(document.render())
    for written in ("Jānis Bērziņš, Łódź", "Müller GmbH, Göteborg", "Ελλάδα / Москва",
                    "€ 1 234,50", "CO₂", "★★★★☆"):
        assert written in text


def test_a_title_that_wraps_is_set_left_with_its_words_at_normal_spacing():
    from core.pdf import Document
    from tests.support.pdf import pdf_runs

    doc = Document("t")
    doc.heading("Agora — Provisionsrechnung / Commission invoice CI-2026-000001 mit einem "
                "langen Titel")
    first, second = pdf_runs(doc.render())[:2]
    assert first[0] == "Agora — Provisionsrechnung / Commission invoice"  # not stretched apart
    assert first[1] == second[1]  # both lines start at the left margin
