"""Reading fpdf2's output in tests: the text of its (deflated) content streams."""

from __future__ import annotations

import zlib


def pdf_text(pdf: bytes) -> str:
    text = []
    for chunk in pdf.split(b"stream\n")[1:]:
        body = chunk.split(b"\nendstream")[0]
        try:
            text.append(zlib.decompress(body).decode("latin-1"))
        except zlib.error:
            text.append(body.decode("latin-1"))
    return "".join(text)
