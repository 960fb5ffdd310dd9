"""/calendar: a consultant connects their own calendar (a CalDAV account with an app password,
or any calendar's secret ICS address), so Agora never offers a time they are busy and writes
each booking into it (CalDAV); and every member's private address of their bookings, which
their calendar app subscribes to.

Connecting and reading a calendar happen outside the conversation's transaction: the step asks
for it (`OutsideFirst`) and is run again at once with the outcome."""

from __future__ import annotations

from typing import Any

from conversations.fields import TextField
from conversations.flow import Ask, Ctx, Flow, FormState, MenuEntry, Next
from conversations.forms import Form
from conversations.messages import Choice, Inbound, Outbound, Reply, rows
from core.consulting.bookings.feed import feed_token, feed_url
from core.consulting.calendars import service as calendars
from core.consulting.calendars.port import CalendarStatus
from core.consulting.calendars.view import CalendarView
from core.consulting.calendars.words import REFUSED
from core.consulting.intents import ConsultingIntent
from core.consulting.profiles import service as profiles
from core.errors import DomainError
from core.i18n import N_, _, present

CALDAV_FORM = Form("caldav", N_("CalDAV calendar"), [
    TextField("url", N_("Your calendar server's address (https://…)"), max_length=1000,
              hint=N_("Nextcloud: https://your-cloud/remote.php/dav · iCloud: https://caldav.icloud.com "
                      "· Fastmail: https://caldav.fastmail.com")),
    TextField("username", N_("User name"), max_length=200),
    TextField("password", N_("App password"), max_length=200,
              hint=N_("Make an app password for Agora in your calendar's security settings; "
                      "it is stored encrypted and never shown again."))],
    submit_label=N_("Connect"))
ICS_FORM = Form("ics", N_("Calendar address"), [
    TextField("url", N_("The calendar's secret address in iCal format (https://… .ics)"),
              max_length=1000,
              hint=N_("Google: Settings › your calendar › Secret address in iCal format. "
                      "Outlook: Settings › Shared calendars › Publish › ICS."))],
    submit_label=N_("Connect"))


async def _is_consultant(ctx: Ctx) -> bool:
    return await profiles.is_consultant(ctx.uow, ctx.account_id or 0)


def status_text(view: CalendarView | None) -> str:
    """The connected calendar as its owner reads it."""
    if view is None:
        return _("📅 No calendar connected. Connect yours, and Agora never offers a time you are "
                 "busy in it (CalDAV calendars also get each booking written in).")
    when = present.local(view.read_at) if view.read_at else _("not yet")
    lines = [_("📅 {name} at {host} — last read {when}.", name=view.name, host=view.host,
               when=when)]
    if view.status != CalendarStatus.OK:
        lines.append(_(REFUSED.get(view.problem or "unreachable", "")))  # type: ignore[call-overload]
    lines.append(_("Bookings are written into it.") if view.writes else
                 _("A secret address is read only: bookings are not written into it."))
    return "\n".join(lines)


async def _overview(ctx: Ctx) -> list[Outbound]:
    assert ctx.account is not None
    token = await feed_token(ctx.uow, ctx.account.id)
    feed = _("🔗 Your bookings in your calendar app: subscribe to this private address (keep it "
             "to yourself):\n{url}", url=feed_url(ctx.uow.policy.public_url, token))
    options: list[tuple[str, str]] = []
    text = feed
    if await _is_consultant(ctx):
        view = await calendars.connected(ctx.uow, ctx.account.id)
        text = status_text(view) + "\n\n" + feed
        options = ([(_("🔄 Read it now"), "read"), (_("✖ Disconnect"), "disconnect")] if view else
                   [(_("➕ CalDAV (Nextcloud, iCloud, Fastmail…)"), "caldav"),
                    (_("➕ Secret address (Google, Outlook)"), "ics")])
    options += [(_("🔁 New private address"), "renew"), (_("✔ Done"), "done")]
    return [Reply(text, rows(*options))]


async def _on_overview(ctx: Ctx, msg: Inbound) -> Next:
    assert ctx.account is not None
    data = msg.data if isinstance(msg, Choice) else ""
    if data in ("caldav", "ics") and await _is_consultant(ctx):
        return Next(state=data)
    if data == "read" and ctx.services.calendars is not None:
        ctx.services.calendars.read_first(ctx.account.id)
        return Next(state="overview", remember=False, replies=[Reply(_("🔄 Read."))])
    if data == "disconnect":
        await calendars.disconnect(ctx.uow, ctx.account.id)
        return Next(state="overview", remember=False, replies=[Reply(_(
            "✖ Disconnected: its address and password are deleted."))])
    if data == "renew":
        await feed_token(ctx.uow, ctx.account.id, renew=True)
        return Next(state="overview", remember=False, replies=[Reply(_(
            "🔁 A new private address: the old one no longer works."))])
    return Next.end()


async def _connect(ctx: Ctx, values: dict[str, Any], kind: str) -> Next:
    """Connect with the answers (checked against the calendar itself), then forget them."""
    assert ctx.account is not None
    if ctx.services.calendars is None:
        raise DomainError(_("Calendars can't be connected here."))
    attempt = ctx.services.calendars.connect_first(
        ctx.account.id, kind, values["url"], values.get("username"), values.get("password"))  # type: ignore[arg-type]
    ctx.data.get("_forms", {}).clear()  # the password is not kept with the conversation
    if attempt.view is None:
        return Next(state="overview", remember=False, replies=[Reply(attempt.refused or "",
                                                                     kind="error")])
    return Next(state="overview", remember=False, replies=[Reply(_(
        "✅ Connected: {name}. Its busy times now keep those slots off your calendar on Agora.",
        name=attempt.view.name))])


async def _caldav_done(ctx: Ctx, values: dict[str, Any]) -> Next:
    return await _connect(ctx, values, "caldav")


async def _ics_done(ctx: Ctx, values: dict[str, Any]) -> Next:
    return await _connect(ctx, values, "ics")


my_calendar = Flow(
    name="my_calendar", title=N_("your calendar"), first="overview",
    commands=("calendar",), intents={ConsultingIntent.CALENDAR: "overview"},
    summary=N_("Your own calendar connected, and your bookings in your calendar app"),
    menu=(MenuEntry(N_("📅 My calendar"), ("consultant",), 61),),
    help=N_("Consultants connect their own calendar (CalDAV with an app password, or a secret "
            "ICS address): Agora then never offers a time they are busy, and writes bookings "
            "into a CalDAV calendar. Everyone gets a private address of their bookings to "
            "subscribe to in their calendar app."),
    states={"overview": Ask(prompt=_overview, on=_on_overview),
            "caldav": FormState(form=CALDAV_FORM, done=_caldav_done, cancel_to="overview"),
            "ics": FormState(form=ICS_FORM, done=_ics_done, cancel_to="overview")},
)
