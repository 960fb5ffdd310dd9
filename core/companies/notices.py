"""Company notices: admins hear who joined, and get the card of a colleague from the company's
Slack workspace asking to join (Let them join / Decline)."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.events import AccountRegistered
from core.accounts.tables import Account, Identity
from core.actions import Action
from core.companies.events import JoinRefused, JoinRequested, MemberJoined, TermsApproved
from core.companies.intents import CompanyIntent
from core.companies.rules import ROLE_LABELS
from core.companies.seats import with_role
from core.companies.service import workspace_company
from core.companies.tables import Company, CompanyMember
from core.i18n import N_, _
from core.money.model import Money
from core.notifications.outbox import addressed_to, notify, recipients
from core.storage.uow import UnitOfWork


async def on_joined(uow: UnitOfWork, event: MemberJoined) -> None:
    """The company's admins (other than the newcomer) hear who joined, with which roles."""
    company = await uow.get(Company, event.company_id)
    account = await uow.get(Account, event.account_id)
    if company is None or account is None:
        return
    member = (await uow.session.execute(select(CompanyMember).where(
        CompanyMember.account_id == event.account_id))).scalar()
    admins = await with_role(uow, company.id, "manage", excluding=event.account_id)
    await recipients(uow, set(admins))
    for admin in admins:
        async with addressed_to(uow, admin):
            roles = ", ".join(_(ROLE_LABELS[r]) for r in (member.roles if member else []))
            await notify(uow, admin, _("🏢 {name} joined {company} as {roles}.",
                                       name=account.display_name, company=company.name,
                                       roles=roles),
                         buttons=[[Action(CompanyIntent.COMPANY, N_("👥 Colleagues"), "members")]],
                         about=(f"join:{company.id}:{account.id}",))


async def on_join_requested(uow: UnitOfWork, event: JoinRequested) -> None:
    company = await uow.get(Company, event.company_id)
    account = await uow.get(Account, event.account_id)
    if company is None or account is None:
        return
    admins = await with_role(uow, company.id, "manage", excluding=event.account_id)
    await recipients(uow, set(admins))
    for admin in admins:
        async with addressed_to(uow, admin):
            await notify(uow, admin, _(
                "🏢 {name}, of your Slack workspace, asks to join {company}. Let in, they buy "
                "with every purchase approved; you can change their roles and limit after.",
                name=account.display_name, company=company.name),
                buttons=[[Action(CompanyIntent.COMPANY, N_("✅ Let them join"), f"admit:{account.id}"),
                          Action(CompanyIntent.COMPANY, N_("✖ Decline"), f"refuse:{account.id}")]],
                about=(f"join:{company.id}:{account.id}",))


async def on_join_refused(uow: UnitOfWork, event: JoinRefused) -> None:
    """The colleague who asked hears the answer."""
    company = await uow.get(Company, event.company_id)
    if company is None:
        return
    async with addressed_to(uow, event.account_id):
        await notify(uow, event.account_id, _(
            "An admin of {company} declined your request to join. Ask them for an invitation if "
            "that was a mistake.", company=company.name))


async def on_registered(uow: UnitOfWork, event: AccountRegistered) -> None:
    """Someone registers in Slack where a company was founded from that workspace: they are
    offered to ask to join it."""
    if event.channel != "slack":
        return
    keys = (await uow.session.execute(select(Identity.user_key).where(
        Identity.account_id == event.account_id, Identity.channel == "slack"))).scalars().all()
    team = keys[0].split(":", 1)[0] if keys else ""
    company = await workspace_company(uow, team) if team else None
    if company is None:
        return
    async with addressed_to(uow, event.account_id):
        await notify(uow, event.account_id, _(
            "🏢 {company}, of your Slack workspace, buys on Agora as a company. Ask to join, and "
            "an admin lets you in.", company=company.name),
            buttons=[[Action(CompanyIntent.COMPANY, N_("🙋 Ask to join"), f"ask:{company.id}")]])


async def on_terms_approved(uow: UnitOfWork, event: TermsApproved) -> None:
    """The company's admins and finance hear that Agora approved (or withdrew) payment on
    terms, and what it allows."""
    company = await uow.get(Company, event.company_id)
    if company is None:
        return
    told = set(await with_role(uow, company.id, "manage")) | set(
        await with_role(uow, company.id, "see_all"))
    await recipients(uow, told)
    for member in sorted(told):
        async with addressed_to(uow, member):
            if event.days is None or company.terms_limit_minor is None \
                    or company.terms_currency is None:
                text = _("🏢 Payment on terms for {company} was withdrawn: new purchases are paid "
                         "into escrow. Invoices already issued stay due as they are.",
                         company=company.name)
            else:
                text = _("🏢 Agora approved {company} for payment on terms: sellers may now offer "
                         "invoices due up to {days} days after shipment, for up to {limit} owed at "
                         "once (prices without VAT).", company=company.name, days=event.days,
                         limit=Money(company.terms_limit_minor, company.terms_currency))
            await notify(uow, member, text)
