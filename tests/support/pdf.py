"""Reading generated PDFs in tests: their text as a reader's copy-paste would give it (pypdf
maps the embedded font's glyphs back to Unicode)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    """The text of every page, one after the other."""
    return "\n".join(pdf_pages(pdf))


def pdf_runs(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """Each piece of text drawn on a page with where it starts: (text, x, y) in points, y
    from the foot of the page."""
    runs: list[tuple[str, float, float]] = []

    def seen(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            runs.append((text.strip(), tm[4], tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=seen)
    return runs
