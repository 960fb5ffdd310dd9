"""What a member hears about their own account: the email verification code, and a new channel
linked. In-transaction handlers of the accounts' events, so the accounts context writes no
notice itself (notifications read the accounts' tables; accounts never import notifications)."""

from __future__ import annotations

from core.accounts.events import IdentityLinked, VerificationCodeIssued
from core.notifications.outbox import enqueue_email, notify
from core.storage.uow import UnitOfWork


async def email_code(uow: UnitOfWork, event: VerificationCodeIssued) -> None:
    await enqueue_email(
        uow, event.account_id, event.email, subject="Your Agora verification code",
        body=f"Your Agora verification code is {event.code}. "
             f"It expires in {event.ttl_minutes} minutes.",
    )


async def channel_linked(uow: UnitOfWork, event: IdentityLinked) -> None:
    await notify(uow, event.account_id, f"Your {event.channel} account is now linked to Agora.",
                 channel=event.channel, urgent=True)
