"""What the other party entered, carried in the notice of the step that recorded it: a
shipment's carrier, reference and expected arrival; the values a buyer measured and the price
adjustment they call for. The arrival is the day the seller gave, in the reader's words. What
they read is the deal's folder's (`core.deals.folder`), in memory too."""

from __future__ import annotations

from core.accounts.member import Member
from core.accounts.tables import Account
from core.deals import cards
from core.deals.folder import folder_of
from core.deals.tables import Deal, Shipment
from core.i18n import _, dates
from core.storage.uow import UnitOfWork


async def entered(uow: UnitOfWork, deal: Deal, target: str, reader: Member | Account | None) -> str:
    """The lines a notice of `target` adds (starting with a line break), or ""."""
    folder = folder_of(uow)
    if target == "shipped":
        shipment = await folder.shipment(deal.id)
        return "\n" + shipped(shipment, reader) if shipment is not None else ""
    if target == "adjustment_proposed":
        report = await folder.report(deal.id)
        listing = await folder.listing(deal.listing_id)
        if report is None:
            return ""
        return "\n" + cards.adjustment_text(report, deal, listing.unit if listing else "")
    return ""


def shipped(shipment: Shipment, reader: Member | Account | None) -> str:
    """“Carrier: DSV · reference CMR-77 · expected arrival 24 Nov 2026” (a day, no hour),
    saying so when the seller gave no reference or date."""
    reference = (_("reference {tracking}", tracking=shipment.tracking) if shipment.tracking
                 else _("no reference given"))
    arrival = (_("expected arrival {when}", when=dates.day(shipment.expected_day))
               if shipment.expected_day else _("no arrival date given"))
    return _("Carrier: {carrier} · {reference} · {arrival}", carrier=shipment.carrier,
             reference=reference, arrival=arrival)
