"""Text as names are compared: lower case without accents, whatever alphabet's Latin letters."""

from __future__ import annotations

import unicodedata

# Letters that don't decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss",
                          "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ı": "i"})


def fold(text: str) -> str:
    """Lower case without accents: “Kraków” → “krakow”, “Łódź” → “lodz”."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()
