"""What a member hears about their own account: the email verification code, and a new channel
linked. In-transaction handlers of the accounts' events, so the accounts context writes no
notice itself (notifications read the accounts' tables; accounts never import notifications)."""

from __future__ import annotations

from core.accounts.events import IdentityLinked, VerificationCodeIssued
from core.i18n import _, n_
from core.notifications.outbox import addressed_to, enqueue_email, notify
from core.storage.uow import UnitOfWork


async def email_code(uow: UnitOfWork, event: VerificationCodeIssued) -> None:
    async with addressed_to(uow, event.account_id):
        await enqueue_email(
            uow, event.account_id, event.email, subject=_("Your Agora verification code"),
            body=n_("Your Agora verification code is {code}. It expires in {n} minutes.",
                    "Your Agora verification code is {code}. It expires in {n} minutes.",
                    event.ttl_minutes, code=event.code),
        )


async def channel_linked(uow: UnitOfWork, event: IdentityLinked) -> None:
    async with addressed_to(uow, event.account_id):
        await notify(uow, event.account_id,
                     _("Your {channel} account is now linked to Agora.", channel=event.channel),
                     channel=event.channel, urgent=True)
