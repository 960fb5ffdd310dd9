"""The legal entity that issues Agora's documents (receipts, invoices, terms), as settings name
it; kept apart from the PDF drawing so that naming it does not load the PDF library."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Issuer:
    """The legal entity that issues Agora's documents, named at the foot of every page."""

    name: str
    address: str
    vat_number: str
    country: str = "LV"  # where it is established (ISO 3166 alpha-2)
    vat_rate: Decimal = Decimal("21")  # its standard VAT rate there, in percent

    def line(self) -> str:
        return f"Issued by {self.name} · {self.address} · VAT {self.vat_number}"


# Set from settings by the composition root (config.container.build).
ISSUER = {"issuer": Issuer("Agora", "(address not set)", "(not set)")}
