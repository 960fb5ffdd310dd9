"""How the fonts in this folder were made: DejaVu Sans (regular and bold, as matplotlib ships
it) cut to the characters Agora's documents print — the Latin, Greek and Cyrillic alphabets of
Europe's languages with their accents, punctuation, currency signs, sub- and superscripts
(CO₂, m³), arrows, stars and check marks — without the layout tables fpdf2 drops anyway.

fpdf2 parses a document's fonts anew for each document (its subsetter changes the parsed font
in place, so a parsed font cannot be shared): DejaVu's 6,241 glyphs took 110 ms a style and a
document, these 2,306 take 30 ms.

    python -m core.fonts.subset     # needs matplotlib and fontTools (both installed with Agora)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}  # fpdf2 style → file
RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x02B0, 0x036F),  # spacing modifiers and combining accents
    (0x0370, 0x03FF), (0x0400, 0x04FF),  # Greek, Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x21FF),  # punctuation, sub/superscripts, currency (€), letterlike, numbers, arrows
    # minus, division slash, square root, infinity, ≈ ≠ ≤ ≥
    (0x2212, 0x2212), (0x2215, 0x221E), (0x2248, 0x2248), (0x2260, 0x2265),
    (0x25A0, 0x27BF),  # shapes, symbols (★), dingbats (✓)
    (0xFFFD, 0xFFFD),  # the replacement character
)


def codepoints() -> list[int]:
    return [point for first, last in RANGES for point in range(first, last + 1)]


def main() -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    spec = importlib.util.find_spec("matplotlib")
    assert spec and spec.submodule_search_locations, "matplotlib is not installed"
    source = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "hdmx"]
    for name in FILES.values():
        font = TTFont(source / name)
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=codepoints())
        cutter.subset(font)
        font.save(HERE / name)
        print(f"{name}: {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main()
