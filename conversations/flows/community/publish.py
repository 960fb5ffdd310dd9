"""Admins publish to the library and the calendar in chat (`/publish`): a report or guide as a
link or a PDF under a topic, or a webinar, trade show or meetup with its start in the admin's
own time zone. Every answer is checked as it is given; core checks again that the person is an
admin."""

from __future__ import annotations

from datetime import datetime

from conversations.flow import Ask, Ctx, Flow, MenuEntry, Next
from conversations.flows.community.steps import picked, typed
from conversations.flows.uploads import stored_file
from conversations.messages import Choice, FileUpload, Inbound, Outbound, Reply, rows
from core.clock import local_time
from core.community import rules as community_rules
from core.errors import DomainError
from core.i18n import N_, _
from core.learning import gatherings, library
from core.learning import rules as learning_rules
from core.operators.roles import require_admin

WHAT = [(N_("🔗 A link"), "link"), (N_("📄 A PDF"), "pdf"), (N_("🎙 A webinar"), "webinar"),
        (N_("🏛 A trade show"), "trade_show"), (N_("🤝 A meetup"), "meetup")]
LENGTHS = [(N_("30 min"), "30"), (N_("60 min"), "60"), (N_("90 min"), "90"), (N_("2 h"), "120"),
           (N_("1 day"), "480"), (N_("2 days"), "1440")]


async def _start(ctx: Ctx) -> Next | None:
    """Admins only (core refuses anyone else)."""
    await require_admin(ctx.uow, ctx.account_id)
    return None


async def _after_what(ctx: Ctx) -> Next:
    return Next(state="topic" if ctx.data["what"] in ("link", "pdf") else "title")


async def _after_title(ctx: Ctx) -> Next:
    if ctx.data["what"] == "link":
        return Next(state="url")
    if ctx.data["what"] == "pdf":
        return Next(state="file")
    return Next(state="when")


def _zone(ctx: Ctx) -> str:
    return (ctx.account.timezone if ctx.account else None) or "UTC"


def _when(ctx: Ctx, text: str) -> str:
    return gatherings.parse_when(text, _zone(ctx), ctx.uow.clock.now()).isoformat()


def _minutes(ctx: Ctx, text: str) -> str:
    clean = text.strip().lower().removesuffix("min").strip()
    if not clean.isascii() or not clean.isdigit() or int(clean) not in learning_rules.MINUTES:
        raise DomainError(_("Give the length in minutes, 15 to 7200 (five days)."))
    return clean


async def _length_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("How long? Tap one, or type the minutes."),
                  rows(*((_(label), value) for label, value in LENGTHS), per_row=3))]


async def _on_length(ctx: Ctx, msg: Inbound) -> Next:
    raw = msg.data if isinstance(msg, Choice) else getattr(msg, "text", "")
    ctx.data["minutes"] = _minutes(ctx, str(raw))
    return Next(state="where")


def _where_prompt(ctx: Ctx) -> str:
    if ctx.data["what"] == "webinar":
        return _("The join link (https://…): registrants get it here at the start time, never "
                 "before.")
    return _("Where is it? (venue and town, e.g. “Kipsala hall, Riga”)")


def _where(ctx: Ctx, text: str) -> str:
    if ctx.data["what"] == "webinar":
        return community_rules.url(text, N_("join link"))
    return community_rules.text(text, N_("place"), minimum=2, maximum=200, one_line=True)


async def _publish_item(ctx: Ctx) -> Next:
    if ctx.data["what"] == "link":
        item = await library.publish_link(ctx.uow, ctx.account_id, topic_name=ctx.data["topic"],
                                          title=ctx.data["title"], url=ctx.data["url"],
                                          summary=ctx.data.get("summary") or "")
    else:
        item = await library.publish_pdf(ctx.uow, ctx.account_id, topic_name=ctx.data["topic"],
                                         title=ctx.data["title"], file_path=ctx.data["file_path"],
                                         file_name=ctx.data["file_name"],
                                         mime_type=ctx.data["mime_type"],
                                         summary=ctx.data.get("summary") or "")
    return Next.end(Reply(_("📚 Published “{title}” under {topic}: /learn shows it.",
                            title=item.title, topic=_(item.topic))))


async def _publish_gathering(ctx: Ctx) -> Next:
    what = ctx.data["what"]
    found = await gatherings.publish(
        ctx.uow, ctx.account_id, kind=what, title=ctx.data["title"],
        starts_at=datetime.fromisoformat(ctx.data["when"]), minutes=int(ctx.data["minutes"]),
        description=ctx.data.get("about") or "",
        join_url=ctx.data["where"] if what == "webinar" else None,
        place=None if what == "webinar" else ctx.data["where"])
    return Next.end(Reply(_("📅 Published {kind} “{title}”, {start} — /events shows it; "
                            "people answer there and get a calendar invite.",
                            kind=_(learning_rules.KINDS[what]), title=found.title,
                            start=local_time(found.starts_at, _zone(ctx)))))


async def _file_prompt(ctx: Ctx) -> list[Outbound]:
    return [Reply(_("Send the report as a PDF file (up to 10 MB)."))]


async def _on_file(ctx: Ctx, msg: Inbound) -> Next:
    if not isinstance(msg, FileUpload) or msg.mime_type != "application/pdf":
        return Next.stay(Reply(_("Please send a PDF file."), kind="error"))
    kept = await stored_file(ctx, msg)  # type, size and content checked as every upload
    ctx.data.update(file_path=kept.path, file_name=kept.name, mime_type=kept.mime_type)
    return Next(state="summary")


def _title_prompt(ctx: Ctx) -> str:
    return _("Its title? (3–120 characters)")


publish_flow = Flow(
    name="publish", title=N_("publishing"), first="what", on_start=_start,
    commands=("publish",), summary=N_("Publish a report, guide, webinar or event (admins)"),
    menu=(MenuEntry(N_("📚 Publish"), ("admin",), 84),),
    help=N_("Admins add reports and guides (links or PDFs) to the library by topic, and webinars, "
            "trade shows and meetups to the calendar. Times are in your own zone."),
    states={
        "what": picked("what", N_("What do you publish?"), lambda ctx: WHAT, _after_what),
        "topic": picked("topic", N_("Under which topic?"),
                        lambda ctx: [(t, t) for t in library.TOPICS], "title"),
        "title": typed("title", _title_prompt, lambda ctx, t: community_rules.text(
            t, N_("title"), minimum=3, maximum=120, one_line=True), _after_title),
        "url": typed("url", N_("The link (https://…)?"), lambda ctx, t: community_rules.url(t),
                     "summary"),
        "file": Ask(prompt=_file_prompt, on=_on_file),
        "summary": typed("summary", N_("A one-line summary for readers (up to 300 characters)?"),
                         lambda ctx, t: community_rules.text(t, N_("summary"),
                                                             maximum=library.MAX_SUMMARY),
                         _publish_item, optional=True),
        "when": typed("when", lambda ctx: _("When does it start? Type it in your time zone "
                                            "({zone}), like 2026-12-03 15:00.", zone=_zone(ctx)),
                      _when, "length"),
        "length": Ask(prompt=_length_prompt, on=_on_length),
        "where": typed("where", _where_prompt, _where, "about"),
        "about": typed("about", N_("A short description (up to 1,500 characters)?"),
                       lambda ctx, t: community_rules.text(t, N_("description"), maximum=1500),
                       _publish_gathering, optional=True),
    },
)
