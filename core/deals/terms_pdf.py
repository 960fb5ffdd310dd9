"""A version of a deal's terms as a PDF (placeholder until the document module lands)."""

from __future__ import annotations

import json
from typing import Any

from fpdf import FPDF


def render_terms(body: dict[str, Any], sha256: str, version: int) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, f"Deal terms v{version}\nSHA-256 {sha256}\n"
                   + json.dumps(body, indent=1, ensure_ascii=True))
    return bytes(pdf.output())
