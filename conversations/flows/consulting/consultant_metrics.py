"""`/metrics` for consultants: sessions, minutes, gross, commission, net, the rating trend,
conversion and response time — as text and as a chart image."""

from __future__ import annotations

import asyncio

from conversations.flow import Ctx, MenuEntry, Next, OneStepCommand
from conversations.messages import ImageReply, Outbound, Reply
from core.consulting.profiles import metrics
from core.i18n import N_, _, n_, present


def metrics_text(figures: metrics.Metrics) -> str:
    """The figures in words (beside the chart)."""
    rating = (n_("★ {rating} from {n} review", "★ {rating} from {n} reviews", figures.reviews,
                 rating=present.stars_value(figures.rating))
              if figures.reviews and figures.rating is not None else _("No reviews yet"))
    conversion = (present.share(figures.conversion, places=0)
                  if figures.conversion is not None else "—")
    response = (_("{minutes} min", minutes=int(figures.response.total_seconds() // 60))
                if figures.response is not None else "—")
    return "\n".join([
        _("📈 Your consulting"),
        _("Sessions: {sessions} ({paid} paid), {minutes} minutes", sessions=figures.sessions,
          paid=figures.paid_sessions, minutes=figures.minutes),
        _("Gross {gross} · commission {commission} · net {net}", gross=figures.gross,
          commission=figures.commission, net=figures.net),
        _("Rating: {rating}", rating=rating),
        _("Requests: {requests} · became sessions: {conversion} · typical time to confirm: {response}",
          requests=figures.requests or 0, conversion=conversion, response=response)])


async def _chart(figures: metrics.Metrics) -> ImageReply:
    png = await asyncio.to_thread(metrics.chart_png, figures)  # drawn off the event loop
    return ImageReply(caption=_("Net earnings and sessions per month, rating trend"),
                      content=png, mime_type="image/png",
                      file_name="agora-metrics.png")


async def _metrics(ctx: Ctx) -> Next:
    assert ctx.account is not None
    figures = await metrics.consultant_metrics(ctx.uow, ctx.account.id, ctx.account.id)
    return Next.end(await _chart(figures), Reply(metrics_text(figures)), menu=False)


consultant_metrics = OneStepCommand(
    name="consultant_metrics", title=N_("your consulting figures"), commands=("metrics",),
    summary=N_("Consultants: sessions, earnings, rating trend"), run=_metrics,
    menu=(MenuEntry(N_("📈 My metrics"), ("consultant",), 61),),
    help=N_("Your sessions, minutes, earnings after commission, rating trend, and how many requests "
            "became sessions, with a chart."))


async def metrics_section(ctx: Ctx) -> list[Outbound]:
    """A consultant's figures with their chart for a home screen (Slack's App Home); nothing
    for others, nor for a consultant with no sessions yet (an empty chart says nothing)."""
    if ctx.account is None or "consultant" not in ctx.roles:
        return []
    figures = await metrics.consultant_metrics(ctx.uow, ctx.account.id, ctx.account.id)
    text = Reply(metrics_text(figures))
    return [await _chart(figures), text] if figures.sessions or figures.reviews else [text]
