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
from core.i18n import N_, SOURCE, _, current_language
from core.issuer import ISSUED_BY, ISSUER

FAMILY = "DejaVu"
GREY = (110, 110, 110)
BOLD = FontFace(emphasis="BOLD")
BOLD_HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))  # a table's heading row
PAGE = N_("Page {number} of {count}")
FOOT = 8  # mm below the footer's last line


def _style_key(style: Any) -> str:
    return "".join(sorted(c for c in str(style).upper() if c in "BI"))


def _srgb_intent(pdf: FPDF) -> None:
    """Declare sRGB as the document's output intent, as PDF/A (an e-invoice's PDF/A-3)
    requires; the ICC profile is Pillow's built-in sRGB (Pillow comes with matplotlib)."""
    from fpdf.enums import OutputIntentSubType
    from fpdf.output import PDFICCProfile
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    pdf.add_output_intent(OutputIntentSubType.PDFA, "sRGB", "sRGB IEC61966-2.1",
                          "http://www.color.org",
                          PDFICCProfile(contents=profile, n=3, alternate="DeviceRGB"),
                          "sRGB IEC61966-2.1")


class Document(FPDF):
    """An A4 document in DejaVu Sans with a footer line (e.g. a fingerprint) on every page.

    Drawn for the current reader (core.money.reading): its frame (the issuer, the page number)
    in their language, and on a `legal` document (terms, invoices, credit notes) with the
    English beside it, as the document's own words are."""

    def __init__(self, title: str, footer: str = "", legal: bool = True,
                 archival: bool = False) -> None:
        super().__init__(format="A4")
        if archival:  # PDF/A: its colours declared by an sRGB output intent
            _srgb_intent(self)
        self.footer_text = footer
        self.legal = legal
        self.english = current_language() == SOURCE
        self.set_title(title)
        self.set_creator("Agora")
        # Another language's footer may take two lines more (the English under it).
        self.set_auto_page_break(True, margin=20 if self.english else 28)
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
        each page: two lines, or more where another language with the English beside it
        does not fit on them."""
        self.set_font(FAMILY, size=7)
        lines = self._said(ISSUED_BY, **ISSUER["issuer"].values())
        page = self._said(PAGE, number=self.page_no(), count="{nb}")
        text = f"{self.footer_text}    " if self.footer_text else ""
        if len(page) == 1 and self._fits(f"{text}{page[0]}"):
            lines.append(f"{text}{page[0]}")
        else:
            lines += [*self._wrapped(self.footer_text), *page]
        self.set_y(-(FOOT + 4 * len(lines) + 1))
        self.set_text_color(*GREY)
        for line in lines[:-1]:
            self.cell(0, 4, line, align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 5, lines[-1], align="C")
        self.set_text_color(0, 0, 0)

    def _said(self, message: str, **values: Any) -> list[str]:
        """A footer sentence as lines that fit: in the reader's language, with the English
        beside it (under it when both do not fit on a line) on a legal document."""
        local, english = _(message, **values), message.format(**values)
        if not self.legal or local == english:
            return self._wrapped(local)
        both = f"{local} / {english}"
        return [both] if self._fits(both) else [*self._wrapped(local), *self._wrapped(english)]

    def _fits(self, text: str) -> bool:
        return self.get_string_width(text) <= self.epw

    def _wrapped(self, text: str) -> list[str]:
        """`text` as the lines it takes across the page (none for no text)."""
        if not text or self._fits(text):
            return [text] if text else []
        lines = self.multi_cell(self.epw, 4, text, dry_run=True, output="LINES")
        assert isinstance(lines, list)  # fpdf2 types it for every `output`: "LINES" is a list
        return list(lines)

    def heading(self, text: str, size: float = 15) -> None:
        """A bold title line, set left (fpdf2's multi_cell justifies by default, which
        stretched a wrapped title's first line across the page)."""
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=10)
        self.ln(2)

    def section(self, text: str) -> None:
        """A bold sub-heading with a little space above it (wrapped when the English beside
        it makes it long)."""
        self.ln(3)
        self.set_font(FAMILY, "B", 11)
        self.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=10)

    def paragraph(self, text: str, size: float = 10, grey: bool = False) -> None:
        """Running text, wrapped to the page."""
        self.set_font(FAMILY, size=size)
        if grey:
            self.set_text_color(*GREY)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_font(FAMILY, size=10)

    def fields(self, rows: Iterable[tuple[str, str]], label_width: float | None = None) -> None:
        """Label and value rows; long values wrap in their column (labels have more room in
        another language, which is longer and may have the English beside it)."""
        rows = list(rows)
        if not rows:
            return
        label_width = label_width or (48 if self.english else 62)
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
