"""Keeping the catalogues: the sentences of the code into the template, the template into each
language's catalogue (Babel's extract and update, as `pybabel` runs them, with this project's
settings in one place). A catalogue is compiled in memory when it is first read
(`core.i18n.translations`): no .mo is built or committed.

    python -m core.i18n.catalogue extract    # babel.cfg's files → catalogues/agora.pot
    python -m core.i18n.catalogue update     # agora.pot → <language>/LC_MESSAGES/agora.po

Messages are brace-formatted only (`{name}`); a "%" in them is a percent sign, so the
printf-style check Babel would apply to "50 % of" is switched off.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from core.i18n import CATALOGUES, COMING, DOMAIN, LANGUAGES, SOURCE

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = CATALOGUES / f"{DOMAIN}.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "n_": (1, 2), "html_": None, "bilingual": None}  # the site; legal documents
TRANSLATED = sorted((set(LANGUAGES) | set(COMING)) - {SOURCE})


def po_path(language: str) -> Path:
    return CATALOGUES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def code_catalog(methods: tuple[str, ...] = ("python", "jinja2")) -> Catalog:
    """Every sentence the code marks, as Babel reads babel.cfg's files (`methods`: only the
    Python modules, or only the site's templates)."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    method_map = [(pattern, method) for pattern, method in method_map
                  if method in methods or method == "ignore"]
    catalog = Catalog(project="Agora", domain=DOMAIN)
    for _path, _line, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        catalog.add(message, None, auto_comments=comments, context=context,
                    flags=("python-brace-format",))
    return catalog


def _plain(catalog: Catalog) -> Catalog:
    for message in catalog:
        message.flags.discard("python-format")
    return catalog


def extract() -> None:
    with open(TEMPLATE, "wb") as pot:
        write_po(pot, _plain(code_catalog()), width=100, omit_header=False, sort_output=True,
                 no_location=True)


def update() -> None:
    with open(TEMPLATE, "rb") as pot:
        template = read_po(pot)
    for language in TRANSLATED:
        with open(po_path(language), "rb") as po:
            catalog = read_po(po, locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        with open(po_path(language), "wb") as po:
            write_po(po, _plain(catalog), width=100, ignore_obsolete=True, sort_output=True)


if __name__ == "__main__":
    steps = {"extract": extract, "update": update}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        sys.exit(f"usage: python -m core.i18n.catalogue {{{'|'.join(steps)}}}")
    steps[sys.argv[1]]()
