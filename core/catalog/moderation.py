"""The moderation queue's side of notifications: admins hear about new listings to review."""

from __future__ import annotations

from core.accounts.service import find_account
from core.actions import Action, Intent
from core.catalog.tables import Listing
from core.notifications.outbox import notify
from core.storage.uow import UnitOfWork


async def tell_admins(uow: UnitOfWork, listing_id: int) -> int:
    """Notify every admin named in settings that a listing waits for review."""
    listing = await uow.session.get(Listing, listing_id)
    if listing is None:
        return 0
    told: set[int] = set()
    for label in uow.policy.admins:
        channel, _, user_key = label.partition(":")
        account = await find_account(uow, channel, user_key)
        if account is None or account.id in told:
            continue
        told.add(account.id)
        await notify(uow, account.id, f"🛡 A listing waits for review: “{listing.title}”.",
                     buttons=[[Action(Intent.REVIEW_LISTING, "Review it", str(listing_id))]])
    return len(told)
