"""What a party hears when the other accepts the frozen terms first (once both have, the deal's
move to payment tells both). The deal and the version accepted are read through the deal's book
and folder, so the notice is tested without a database (test_deal_notices.py)."""

from __future__ import annotations

from core.deals.deal_book import deal_book_of
from core.deals.events import TermsAccepted
from core.deals.folder import folder_of
from core.deals.notices.parties import next_steps
from core.deals.tables import Deal
from core.i18n import _, n_
from core.notifications.outbox import account_of, addressed_to, notify, recipients
from core.process.deals import BUYER, DEAL_PROCESS, SELLER
from core.storage.uow import UnitOfWork


async def on_terms_accepted(uow: UnitOfWork, event: TermsAccepted) -> None:
    """The other party hears who accepted which version, with the step to accept it too."""
    deal = await deal_book_of(uow).stored(event.deal_id)
    version = await folder_of(uow).version(event.terms_id)
    if deal is None or version is None:
        return
    other = deal.seller_id if event.by == deal.buyer_id else deal.buyer_id
    role = BUYER if other == deal.buyer_id else SELLER
    if not DEAL_PROCESS.allows("sign-terms", deal.status, role):  # both accepted already
        return
    await recipients(uow, {event.by, other})  # both accounts, and where the notice goes, at once
    who = await account_of(uow, event.by)
    async with addressed_to(uow, other):
        params = dict(id=deal.id, version=version.version, sha=version.sha256[:12])
        text = (_("📄 Deal #{id}: {name} accepted version {version} of the terms (SHA-256 "
                  "{sha}…).", name=who.display_name, **params) if who else
                _("📄 Deal #{id}: the other party accepted version {version} of the terms "
                  "(SHA-256 {sha}…).", **params))
        await notify(uow, other, f"{text} {what_follows(deal, role)}",
                     buttons=next_steps(deal, role))


def what_follows(deal: Deal, role: str) -> str:
    """What accepting the same version starts: payment into escrow, or, paid on terms, the
    goods first with the invoice (no payment step comes before them)."""
    days = deal.payment_days
    if not days:
        return _("Payment opens once you accept the same version.")
    if role == BUYER:
        return n_("Once you accept the same version, the seller ships; the invoice comes with "
                  "the goods, due {n} day later.",
                  "Once you accept the same version, the seller ships; the invoice comes with "
                  "the goods, due {n} days later.", days)
    return n_("Once you accept the same version, you ship; the buyer's invoice goes out as you "
              "mark the goods shipped, due {n} day later.",
              "Once you accept the same version, you ship; the buyer's invoice goes out as you "
              "mark the goods shipped, due {n} days later.", days)
