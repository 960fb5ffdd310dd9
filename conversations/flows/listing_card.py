"""How a listing reads in chat: the card, with specs, documents, reputation and carbon saving."""

from __future__ import annotations

from decimal import Decimal

from core.catalog.lifecycle import STATUS_LABELS
from core.catalog.taxonomy import CERTIFICATIONS, DELIVERY, UNITS, carbon_saving_kg, product
from core.catalog.views import Listing, media_of, seller_info
from core.deals.reputation import stars_text
from core.money.model import Money
from core.money.reading import shown
from core.storage.uow import UnitOfWork

SPEC_LABELS = {"moisture": ("Moisture", "%"), "ash": ("Ash", "%"), "ncv": ("NCV", " MJ/kg"),
               "bulk_density": ("Bulk density", " kg/m³"), "particle_size": ("Particle size", "")}


def qty(milli: int | None, unit: str) -> str:
    if milli is None:
        return "—"
    return f"{(Decimal(milli) / 1000).normalize():,f} {UNITS.get(unit, unit)}"


def money(minor: int | None, currency: str) -> str:
    """“1,234.50 EUR”: the currency's own decimals, a plain code (the card's house style)."""
    return shown(None if minor is None else Money(minor, currency))


def summary(listing: Listing, km: float | None = None) -> str:
    """One line for result lists."""
    per_mwh = (f" · {money(listing.price_mwh_minor, listing.currency)}/MWh"
               if listing.price_mwh_minor else "")
    where = f"{listing.city}" + (f" · {km:,.0f} km" if km is not None else "")
    return (f"{money(listing.price_minor, listing.currency)}/{UNITS[listing.unit]}{per_mwh} · "
            f"{qty(listing.quantity_milli, listing.unit)} · {where}")


async def card(uow: UnitOfWork, listing: Listing, *, show_status: bool = False) -> str:
    """The full listing card."""
    kind = product(listing.product_type)
    seller = await seller_info(uow, listing.seller_id)
    media = await media_of(uow, listing.id)
    lines = [f"📦 {listing.title}", f"{kind.label}" + (f" · {listing.grade}" if listing.grade else "")]
    if show_status:
        lines.append(f"Status: {STATUS_LABELS[listing.status]}"
                     + (f" — {listing.reject_reason}" if listing.reject_reason else ""))
    lines += _trade_lines(listing)
    specs = [f"{SPEC_LABELS[k][0]} {v}{SPEC_LABELS[k][1]}" for k, v in (listing.specs or {}).items()
             if k in SPEC_LABELS]
    if specs:
        lines.append("Specs: " + ", ".join(specs))
    if listing.certifications:
        lines.append("Certified: " + ", ".join(CERTIFICATIONS.get(c, c) for c in listing.certifications))
    photos = [m for m in media if m.kind == "photo"]
    docs = [m for m in media if m.kind == "document"]
    if media:
        lines.append(f"📷 {len(photos)} photo(s) · 📄 documents: "
                     + (", ".join(d.file_name for d in docs) or "none"))
    energy = Decimal(listing.energy_mwh_per_unit)
    if energy > 0:
        saving = carbon_saving_kg(listing.product_type, energy)
        lines.append(f"🌱 Avoids about {saving:,} kg CO₂e per {UNITS[listing.unit]} vs fossil "
                     "(RED II comparator)")
    rating = stars_text(seller.stars_total, seller.ratings)
    if seller.deals:
        rating += f" · {seller.deals} deal{'s' if seller.deals != 1 else ''} completed"
    company = f" · {seller.company}" if seller.company else ""
    lines.append(f"Seller: {seller.name}{company} · {rating}")
    if listing.description:
        lines.append(listing.description)
    return "\n".join(lines)


def _trade_lines(listing: Listing) -> list[str]:
    unit = UNITS[listing.unit]
    price = f"Price: {money(listing.price_minor, listing.currency)} per {unit}"
    price += " (negotiable)" if listing.negotiable else " (fixed)"
    if listing.price_mwh_minor:
        price += f" · {money(listing.price_mwh_minor, listing.currency)}/MWh"
    lines = [price, f"Quantity: {qty(listing.quantity_milli, listing.unit)}"
             + (f" · minimum order {qty(listing.min_order_milli, listing.unit)}"
                if listing.min_order_milli else "")]
    delivery = [DELIVERY.get(d, d) for d in listing.delivery or []]
    if listing.delivery_radius_km and "delivery" in (listing.delivery or []):
        delivery = [d.replace("a radius", f"{listing.delivery_radius_km} km") for d in delivery]
    if listing.incoterm_place:
        delivery.append(f"place: {listing.incoterm_place}")
    lines.append("Delivery: " + (", ".join(delivery) or "—"))
    lines.append(f"Location: {listing.city}" + (f", {listing.country}" if listing.country else ""))
    lines.append(f"Available {listing.available_from:%Y-%m-%d} – {listing.valid_until:%Y-%m-%d}")
    return lines
