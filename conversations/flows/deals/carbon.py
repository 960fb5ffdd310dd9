"""A member's carbon in chat: the totals under /deals and in the Slack App Home, and the yearly
carbon statement as a PDF, one tap away from either (the year asked when there are several)."""

from __future__ import annotations

from conversations.flow import Ctx, Next, OneStepCommand
from conversations.messages import FileReply, Outbound, Reply, go, rows
from core.deals.carbon.records import CarbonStanding, standing
from core.deals.carbon.statement import carbon_statement_pdf, statement_file_name
from core.deals.carbon.words import member_lines
from core.errors import NotFound
from core.i18n import N_, _

STATEMENT = N_("🌱 Carbon statement")


async def carbon_of(ctx: Ctx) -> CarbonStanding:
    """The member's totals, in their time zone."""
    assert ctx.account is not None
    return await standing(ctx.uow, ctx.account.id, ctx.account.timezone)


async def carbon_section(ctx: Ctx) -> list[Outbound]:
    """The member's totals with the statement's button, for the home (Slack's App Home);
    nothing before a deal of theirs completed."""
    found = await carbon_of(ctx)
    lines, statement = member_lines(found), statement_button(found)
    if not lines or statement is None:
        return []
    return [Reply("\n".join(lines), rows(statement))]


def statement_button(found: CarbonStanding) -> tuple[str, str] | None:
    """The /deals button to the statement, when there is a year to state."""
    return (_(STATEMENT), go("carbon_statement")) if found.years else None


async def _statement(ctx: Ctx) -> Next:
    """The statement of the year asked, or of the only year; else the years to choose from."""
    assert ctx.account is not None
    found = await carbon_of(ctx)
    asked = str(ctx.data.get("args") or "").strip()
    if not found.years:
        return Next.end(Reply(_("No carbon statement yet: it lists your completed deals."),
                              rows((_("🤝 My deals"), go("deals")))), menu=False)
    if not asked and len(found.years) > 1:
        return Next.end(Reply(_("🌱 Which year's carbon statement?"), rows(
            *((str(year), go("carbon_statement", year)) for year in found.years),
            (_("🤝 My deals"), go("deals")), per_row=3)), menu=False)
    year = int(asked) if asked.isdigit() else found.years[0]
    try:
        pdf = await carbon_statement_pdf(ctx.uow, ctx.account.id, year)
    except NotFound as exc:
        return Next.end(Reply(str(exc)), menu=False)
    return Next.end(FileReply(statement_file_name(year), pdf, "application/pdf",
                              _("Carbon statement {year}", year=year)),
                    Reply(_("🌱 Your carbon statement {year}: each deal with its figure and "
                            "method, and the year's totals.", year=year),
                          rows((_("🤝 My deals"), go("deals")))), menu=False)


carbon_statement = OneStepCommand(
    name="carbon_statement", title=N_("your carbon statement"), run=_statement,
    help=N_("Your yearly carbon statement as a PDF: each completed deal's CO₂e avoided, with "
            "its method, and the year's totals."))

__all__ = ["carbon_of", "carbon_section", "carbon_statement", "statement_button"]
