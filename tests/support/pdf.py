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
