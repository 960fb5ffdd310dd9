"""PDF documents set in a Unicode font, so every name prints as written: Jānis Bērziņš, Łódź,
Müller, Ελλάδα, €, CO₂.

fpdf2 takes a fifth of a second to import: the modules drawing documents import this one in the
function that draws, so that a process that sends none (a terminal chat, most requests) never
loads it.

The font is DejaVu Sans cut to Europe's alphabets and the signs documents print (core/fonts,
shipped with the package): fpdf2 parses a document's fonts for each document, and the cut
font parses in a third of the time. fpdf2 embeds only the glyphs a document uses, and a
style's font file is read only when a document first sets that style.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from core.fonts.subset import FILES, HERE
from core.i18n import bilingual
from core.issuer import ISSUER

FAMILY = "DejaVu"
GREY = (110, 110, 110)
BOLD = FontFace(emphasis="BOLD")
BOLD_HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))  # a table's heading row


def _style_key(style: Any) -> str:
    return "".join(sorted(c for c in str(style).upper() if c in "BI"))


class Document(FPDF):
    """An A4 document in DejaVu Sans with a footer line (e.g. a fingerprint) on every page."""

    def __init__(self, title: str, footer: str = "") -> None:
        super().__init__(format="A4")
        self.footer_text = footer
        self.set_title(title)
        self.set_creator("Agora")
        self.set_auto_page_break(True, margin=20)
        self.add_page()
        self.set_font(FAMILY, size=10)

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        """fpdf2's set_font, registering a DejaVu style on its first use in this document."""
        if (family or self.font_family or "").lower() == FAMILY.lower():
            key = _style_key(style)
            if f"{FAMILY.lower()}{key}" not in self.fonts:
                self.add_font(FAMILY, key, str(HERE / FILES[key]))
        super().set_font(family, style, size)

    def footer(self) -> None:
        """The issuer, the footer text and the page number, small and grey, at the foot of
        each page."""
        self.set_y(-17)
        self.set_font(FAMILY, size=7)
        self.set_text_color(*GREY)
        self.cell(0, 4, ISSUER["issuer"].line(), align="C", new_x="LMARGIN", new_y="NEXT")
        text = f"{self.footer_text}    " if self.footer_text else ""
        page = bilingual("Page {number} of {count}", number=self.page_no(), count="{nb}")
        self.cell(0, 5, f"{text}{page}", align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 15) -> None:
        """A bold title line."""
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=10)
        self.ln(2)

    def section(self, text: str) -> None:
        """A bold sub-heading with a little space above it."""
        self.ln(3)
        self.set_font(FAMILY, "B", 11)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=10)

    def paragraph(self, text: str, size: float = 10, grey: bool = False) -> None:
        """Running text, wrapped to the page."""
        self.set_font(FAMILY, size=size)
        if grey:
            self.set_text_color(*GREY)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_font(FAMILY, size=10)

    def fields(self, rows: Iterable[tuple[str, str]], label_width: float = 48) -> None:
        """Label and value rows; long values wrap in their column."""
        rows = list(rows)
        if not rows:
            return
        widths = (label_width, self.epw - label_width)
        with self.table(col_widths=widths, first_row_as_headings=False, borders_layout="NONE",
                        line_height=5.5, padding=(0.6, 1), text_align="LEFT",
                        v_align="TOP") as table:
            for label, value in rows:
                row = table.row()
                row.cell(label, style=BOLD)
                row.cell(value)

    def render(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())
