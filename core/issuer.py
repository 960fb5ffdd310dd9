"""The legal entity that issues Agora's documents (receipts, invoices, terms), as settings name
it; kept apart from the PDF drawing so that naming it does not load the PDF library."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.i18n import N_, _

ISSUED_BY = N_("Issued by {name} · {address} · VAT {vat_number}")


@dataclass(frozen=True)
class Issuer:
    """The legal entity that issues Agora's documents, named at the foot of every page."""

    name: str
    address: str
    vat_number: str
    country: str = "LV"  # where it is established (ISO 3166 alpha-2)
    vat_rate: Decimal = Decimal("21")  # its standard VAT rate there, in percent
    # What an XRechnung to a German member names beyond the address line (payments.xrechnung).
    postcode: str = ""
    town: str = ""
    phone: str = ""
    email: str = ""

    def line(self) -> str:
        """'Issued by Agora SIA · Riga · VAT LV…', in the current reader's language."""
        return _(ISSUED_BY, **self.values())

    def values(self) -> dict[str, Any]:
        """What the line names, as the values of ISSUED_BY."""
        return {"name": self.name, "address": self.address, "vat_number": self.vat_number}


# Set from settings by the composition root (config.container.build).
ISSUER = {"issuer": Issuer("Agora", "(address not set)", "(not set)")}
