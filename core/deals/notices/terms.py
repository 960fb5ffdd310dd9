"""What a party hears when the other accepts the frozen terms first (once both have, the deal's
move to payment tells both)."""

from __future__ import annotations

from core.accounts.tables import Account
from core.deals.events import TermsAccepted
from core.deals.notices.parties import next_steps
from core.deals.tables import Deal, DealTerms
from core.i18n import _
from core.notifications.outbox import addressed_to, notify
from core.process.deals import BUYER, SELLER
from core.storage.uow import UnitOfWork


async def on_terms_accepted(uow: UnitOfWork, event: TermsAccepted) -> None:
    """The other party hears who accepted which version, with the step to accept it too."""
    deal = await uow.session.get(Deal, event.deal_id)
    version = await uow.session.get(DealTerms, event.terms_id)
    if deal is None or version is None or deal.status != "agreed":
        return
    other = deal.seller_id if event.by == deal.buyer_id else deal.buyer_id
    who = await uow.session.get(Account, event.by)
    async with addressed_to(uow, other):
        params = dict(id=deal.id, version=version.version, sha=version.sha256[:12])
        text = (_("📄 Deal #{id}: {name} accepted version {version} of the terms (SHA-256 "
                  "{sha}…). Payment opens once you accept the same version.",
                  name=who.display_name, **params) if who else
                _("📄 Deal #{id}: the other party accepted version {version} of the terms "
                  "(SHA-256 {sha}…). Payment opens once you accept the same version.", **params))
        await notify(uow, other, text,
                     buttons=next_steps(deal, BUYER if other == deal.buyer_id else SELLER))
