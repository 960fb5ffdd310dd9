"""XRechnung: the German CIUS of EN 16931 that a German buyer — every German public buyer —
books. An e-invoice to a buyer in Germany is written as XRechnung 3.0 (UBL or CII) when what it
asks beyond EN 16931 is known; else it stays the EN 16931 invoice, and `missing` says what is
lacking (never an XRechnung that its rules reject). The Factur-X PDF stays EN 16931.

What XRechnung adds, from the facts (payments.einvoice_facts):
- its specification identifier (BT-24) and business process (BT-23, which its PEPPOL rules ask);
- the seller contact (BG-6, BR-DE-2): the seller's person with their phone (BR-DE-6) and email
  (BR-DE-7); the phone is asked of a seller once, when a sale to a German buyer first needs it;
- the parties' electronic addresses (BT-34, BT-49): their emails, or the buyer's Leitweg-ID;
- the buyer reference (BT-10, BR-DE-15): the buyer company's Leitweg-ID, else the deal's;
- payment instructions (BG-16, BR-DE-1) for every document: a transfer to the account it was or
  is to be paid into (58, a SEPA credit transfer to an IBAN), else paid through Agora's online
  payment service (68: the escrow's card payment, a charge's, and a credit note's money going
  back); a commission invoice: cleared against the payout it was kept from (97). The card
  codes (48, 54, 55) would need the card's number (BG-18), which Agora never sees;
- a VAT rate in every VAT breakdown (BR-DE-14): 0 where not subject to VAT (O);
- the delivery address's city and post code (BT-77, BT-78, BR-DE-10/11) for goods: the buyer's
  billing address, where a deal's goods go (a deal's place is an Incoterm's free text)."""

from __future__ import annotations

from typing import Any

from stdnum import iban

from payments.einvoice_facts import Facts

SPECIFICATION = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"  # BT-23: billing, PEPPOL's BIS
ONLINE = "68"  # UNTDID 4461: online payment service — the escrow's card payment at Agora
NETTED = "97"  # clearing between partners: a commission kept from the payout it is due on
SEPA, TRANSFER = "58", "30"


def applies(facts: Facts) -> bool:
    """Whether the buyer books XRechnung: a buyer in Germany."""
    return facts.buyer.country == "DE"


def missing(facts: Facts) -> list[str]:
    """What the XRechnung of a German buyer's invoice still lacks (empty: it can be written):
    the seller's contact phone or email, either party's city and post code (BR-DE-3/4/8/9; the
    buyer's are also where goods are delivered), the buyer's electronic address. A seller's
    phone is asked once (payments.xrechnung_phone); the rest come with billing details and
    registration, but a session's client who gave none is named by country alone."""
    seller, buyer = facts.seller, facts.buyer
    return [name for name, given in (("seller phone", seller.phone),
                                     ("seller email", seller.email),
                                     ("seller post code", seller.postcode),
                                     ("seller city", seller.town),
                                     ("buyer post code", buyer.postcode),
                                     ("buyer city", buyer.town),
                                     ("buyer electronic address",
                                      buyer.leitweg_id or buyer.email)) if not given]


def cius(document: dict[str, Any], facts: Facts) -> dict[str, Any]:
    """The EN 16931 business terms (payments.einvoices.data) with what XRechnung adds."""
    seller, buyer = facts.seller, facts.buyer
    document = document | {"BT-23": PROCESS, "BT-10": buyer.leitweg_id or facts.reference}
    document["BG-4"] = document["BG-4"] | _address(seller.email, "EM") | {"contacts": [{
        "name": seller.contact or seller.name, "phone": seller.phone, "email": seller.email}]}
    routed = _address(buyer.leitweg_id, "0204") if buyer.leitweg_id else _address(
        buyer.email, "EM")
    document["BG-7"] = document["BG-7"] | routed
    # BR-DE-14: every VAT breakdown states its rate, even one not subject to VAT (O: 0).
    document["BG-23"] = [{"BT-119": "0"} | breakdown for breakdown in document["BG-23"]]
    if "BG-13" in document:
        document["BG-13"] = document["BG-13"] | {"city": buyer.town, "postcode": buyer.postcode}
    if "BT-81" not in document:  # an invoice on terms says already where to transfer to
        document |= _paid(facts)
    return document


def _address(value: str | None, scheme: str) -> dict[str, Any]:
    return {"einvoicing_addr": value, "einvoicing_addr_schemeid": scheme}


def _paid(facts: Facts) -> dict[str, Any]:
    """How a document already paid was paid: into the account a transfer arrived in, else
    through Agora's online payment service (a card at the escrow's checkout). A credit note's
    money goes back the way it came, through that service (the card, or the transfer's
    sender), to no account of the seller's. A commission was kept from the payout it is due on."""
    if facts.invoice.kind == "commission":
        return {"BT-81": NETTED}
    account = facts.paid_into
    if account is None or facts.preceding is not None:
        return {"BT-81": ONLINE}
    number = account.iban.replace(" ", "")
    paid = {"BT-81": SEPA if iban.is_valid(number) else TRANSFER, "BT-84": number}
    if account.reference:
        paid["BT-83"] = account.reference
    if account.bic:
        paid["BT-86"] = account.bic
    return paid
