"""Admins publish to the library and the calendar in chat (`/publish`): a report or guide as a
link or a PDF under a topic, or a webinar, trade show or meetup with its start in the admin's
own time zone. Every answer is checked as it is given; core checks again that the person is an
admin."""

from __future__ import annotations

from datetime import datetime

from conversations.flow import Ask, Ctx, Flow, FlowState, MenuEntry, Next
from conversations.flows.community.steps import picked, typed
from conversations.flows.uploads import stored_file
from conversations.messages import Choice, FileUpload, Inbound, Outbound, Reply, rows
from core.clock import local_time
from core.community import rules as community_rules
from core.errors import DomainError
from core.i18n import N_, _
from core.learning import gatherings, library
from core.learning import rules as learning_rules


class Publishing(FlowState):
    """What publishing keeps between questions (`typed` and `picked` steps keep their answers
    under these names)."""

    what: str  # a value of WHAT
    topic: str  # a library topic (a link or a PDF)
    title: str
    url: str
    file_path: str  # the PDF, kept in the file store
    file_name: str
    mime_type: str
    summary: str = ""
    when: str  # the start, ISO 8601 with its offset
    minutes: str  # the length in minutes, as digits
    where: str  # the join link of a webinar, else the place
    about: str = ""


WHAT = [(N_("🔗 A link"), "link"), (N_("📄 A PDF"), "pdf"), (N_("🎙 A webinar"), "webinar"),
        (N_("🏛 A trade show"), "trade_show"), (N_("🤝 A meetup"), "meetup")]
LENGTHS = [(N_("30 min"), "30"), (N_("60 min"), "60"), (N_("90 min"), "90"), (N_("2 h"), "120"),
           (N_("1 day"), "480"), (N_("2 days"), "1440")]


async def _start(ctx: Ctx) -> Next | None:
    """Admins only (core refuses anyone else)."""
    await library.may_publish(ctx.uow, ctx.account_id)
    return None


async def _after_what(ctx: Ctx) -> Next:
    return Next(state="topic" if Publishing.of(ctx).what in ("link", "pdf") else "title")


async def _after_title(ctx: Ctx) -> Next:
    what = Publishing.of(ctx).what
    if what == "link":
        return Next(state="url")
    if what == "pdf":
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
    Publishing.of(ctx).minutes = _minutes(ctx, str(raw))
    return Next(state="where")


def _where_prompt(ctx: Ctx) -> str:
    if Publishing.of(ctx).what == "webinar":
        return _("The join link (https://…): registrants get it here at the start time, never "
                 "before.")
    return _("Where is it? (venue and town, e.g. “Kipsala hall, Riga”)")


def _where(ctx: Ctx, text: str) -> str:
    if Publishing.of(ctx).what == "webinar":
        return community_rules.url(text, N_("join link"))
    return community_rules.text(text, N_("place"), minimum=2, maximum=200, one_line=True)


async def _publish_item(ctx: Ctx) -> Next:
    state = Publishing.of(ctx)
    if state.what == "link":
        item = await library.publish_link(ctx.uow, ctx.account_id, topic_name=state.topic,
                                          title=state.title, url=state.url, summary=state.summary)
    else:
        item = await library.publish_pdf(ctx.uow, ctx.account_id, topic_name=state.topic,
                                         title=state.title, file_path=state.file_path,
                                         file_name=state.file_name, mime_type=state.mime_type,
                                         summary=state.summary)
    return Next.end(Reply(_("📚 Published “{title}” under {topic}: /learn shows it.",
                            title=item.title, topic=_(item.topic))))


async def _publish_gathering(ctx: Ctx) -> Next:
    state = Publishing.of(ctx)
    what = state.what
    found = await gatherings.publish(
        ctx.uow, ctx.account_id, kind=what, title=state.title,
        starts_at=datetime.fromisoformat(state.when), minutes=int(state.minutes),
        description=state.about,
        join_url=state.where if what == "webinar" else None,
        place=None if what == "webinar" else state.where)
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
    state = Publishing.of(ctx)
    state.file_path, state.file_name, state.mime_type = kept.path, kept.name, kept.mime_type
    return Next(state="summary")


def _title_prompt(ctx: Ctx) -> str:
    return _("Its title? (3–120 characters)")


publish_flow = Flow(
    name="publish", title=N_("publishing"), first="what", on_start=_start,
    state_model=Publishing,
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
