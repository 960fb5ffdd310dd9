"""`agora demo seed`: a realistic catalogue so a newcomer can search at once."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from bots.demo_buyers import DEMO, seed_buyers
from bots.demo_history import seed_history
from core.accounts.service import ChannelIdentity, Registration, register
from core.accounts.tables import Identity
from core.catalog import lifecycle, listings, media
from core.catalog.gazetteer import Place, major
from core.catalog.media import FileStore
from core.catalog.tables import SellerStats
from core.catalog.taxonomy import TYPES, mwh_per_unit
from core.money.model import Money
from core.storage.uow import UnitOfWork

COMPANIES = ["Baltic Biomass", "Nordic Pellet", "Green Fuel", "Forest Energy", "Agro Residue",
             "BioPower", "EcoHeat", "Wood Fuel", "Renewable Oils", "Carbon Farm"]
SUFFIX = {"LV": "SIA", "EE": "OÜ", "LT": "UAB", "PL": "Sp. z o.o.", "DE": "GmbH", "FI": "Oy",
          "SE": "AB", "AT": "GmbH", "FR": "SAS", "IT": "S.r.l.", "ES": "S.L."}
PHRASES = {
    "pellets": ["{g} wood pellets, 15 kg bags", "{g} pellets in big bags", "{g} pellets, bulk"],
    "chips": ["Spruce wood chips {g}", "Pine chips {g} for CHP", "Forest residue chips {g}"],
    "briquettes": ["{g} briquettes, shrink-wrapped", "Hardwood {g} briquettes"],
    "firewood": ["{g} birch firewood", "{g} oak logs, 33 cm", "{g} mixed hardwood"],
    "agri": ["{g}, baled", "{g} for boilers", "{g}, loose"],
    "biogas": ["{g} from manure digester", "{g} injection capacity"],
    "biodiesel": ["{g} EN 14214", "{g} winter grade"],
    "hvo": ["{g} renewable diesel", "{g} EN 15940"],
    "bioethanol": ["{g}", "{g} denatured"],
    "uco": ["{g} filtered", "Used cooking oil {g}"],
    "biochar": ["{g} biochar for soil", "{g} lump charcoal"],
    "other": ["Olive cake pellets", "Miscanthus bales", "Sawdust, dry"],
}


# What a MWh of each product typically fetches in Europe, EUR (well inside the plausible bands
# the listing form enforces, core.catalog.taxonomy's price_mwh).
TYPICAL_EUR_PER_MWH = {
    "pellets": (42, 70), "chips": (22, 38), "briquettes": (40, 65), "firewood": (35, 60),
    "agri": (15, 32), "biogas": (60, 110), "biodiesel": (110, 170), "hvo": (130, 210),
    "bioethanol": (90, 150), "uco": (80, 125), "biochar": (60, 180), "other": (20, 55),
}


def _price(rng: random.Random, code: str, unit: str) -> Money:
    """A realistic price per unit: a typical price per MWh times the unit's energy."""
    low, high = TYPICAL_EUR_PER_MWH[code]
    per_mwh = Decimal(rng.randint(low, high))
    return Money.parse((per_mwh * mwh_per_unit(code, unit)).quantize(Decimal("0.01")), "EUR")


async def seed(uow: UnitOfWork, store: FileStore, count: int = 240, sellers: int = 40,
               seed_value: int = 42, history: bool = True) -> int:
    """Create demo sellers with ratings and `count` published listings, and a year of market
    history (`bots.demo_history`); returns how many listings."""
    done = (await uow.session.execute(select(func.count(Identity.id)).where(
        Identity.channel == DEMO))).scalar_one()
    if done:
        return 0
    rng = random.Random(seed_value)
    europe = major()  # European places of 100,000 people or more
    accounts = []
    for i in range(sellers):
        place = rng.choice(europe)
        name = f"{rng.choice(COMPANIES)} {SUFFIX.get(place.country, 'Ltd')}"
        account = await register(uow, ChannelIdentity(DEMO, f"seller-{i}", f"seller-{i}"),
                                 Registration(display_name=f"Demo seller {i + 1}", company=name,
                                              email=f"seller{i}@demo.agora", roles=["seller"],
                                              country=place.country, city=place.city),
                                 email_verified=True)
        stars, rated = rng.randint(35, 50), rng.randint(1, 80)
        uow.add(SellerStats(account_id=account.id, rating_x10=stars, ratings=rated,
                            stars_total=round(stars * rated / 10), deals=rng.randint(1, 120)))
        accounts.append(account)
    codes = list(TYPES)
    for n in range(count):
        await _listing(uow, store, rng, accounts[n % sellers].id, codes[n % len(codes)], europe)
    await seed_buyers(uow)  # buyers with past deals, for recommendations
    if history:  # a year of deals, searches and offers for the market charts
        await seed_history(uow, random.Random(seed_value + 1), [a.id for a in accounts])
    return count


async def _listing(uow: UnitOfWork, store: FileStore, rng: random.Random, seller_id: int,
                   code: str, europe: list[Place]) -> None:
    kind = TYPES[code]
    place = rng.choice(europe)
    unit = kind.units[0]
    grade = rng.choice(kind.grades) if kind.grades else ""
    title = rng.choice(PHRASES[code]).format(g=grade or kind.label).strip()
    today = uow.clock.now().date()
    values = {
        "product_type": code, "title": title[:100], "grade": grade or None,
        "description": f"{kind.label} from {place.city}. Demo listing.", "unit": unit,
        "quantity": str(rng.choice((20, 50, 100, 250, 500, 1000, 5000))), "min_order": None,
        "price": str(_price(rng, code, unit).decimal), "currency": "EUR",
        "negotiable": rng.choice(("yes", "no")),
        "delivery": rng.sample(["pickup", "EXW", "FCA", "DAP", "CIF"], 2),
        "incoterm_place": f"{place.city}", "delivery_radius_km": None,
        "location": {"city": place.city, "country": place.country, "lat": place.lat,
                     "lon": place.lon},
        "available_from": today.isoformat(),
        "valid_until": (today + timedelta(days=rng.randint(20, 90))).isoformat(),
        "certifications": rng.sample(["sbp", "fsc", "pefc", "red2"], rng.randint(0, 1)),
    }
    draft = await listings.create_draft(uow, seller_id, values)
    for cert in draft.certifications:  # a claim needs its document, even in a demo
        await media.attach(uow, store, draft.id, kind="document", name=f"{cert}-certificate.pdf",
                           mime="application/pdf", data=b"%PDF-1.4 demo certificate " + cert.encode())
    await lifecycle.submit(uow, draft.id, seller_id)
