"""`/metrics` for consultants: sessions, minutes, gross, commission, net, the rating trend,
conversion and response time — as text and as a chart image."""

from __future__ import annotations

from conversations.flow import Ctx, MenuEntry, Next, OneStepCommand
from conversations.messages import ImageReply, Outbound, Reply
from core.consulting.profiles import metrics


def metrics_text(figures: metrics.Metrics) -> str:
    """The figures in words (beside the chart)."""
    plural = "s" if figures.reviews != 1 else ""
    rating = (f"★ {figures.rating:.1f} from {figures.reviews} review{plural}"
              if figures.reviews and figures.rating is not None else "No reviews yet")
    conversion = f"{figures.conversion:.0%}" if figures.conversion is not None else "—"
    response = (f"{int(figures.response.total_seconds() // 60)} min"
                if figures.response is not None else "—")
    return "\n".join([
        "📈 Your consulting",
        f"Sessions: {figures.sessions} ({figures.paid_sessions} paid), {figures.minutes} minutes",
        f"Gross {figures.gross} · commission {figures.commission} · "
        f"net {figures.net}",
        f"Rating: {rating}",
        f"Requests: {figures.requests or 0} · became sessions: {conversion} · "
        f"typical time to confirm: {response}"])


def _chart(figures: metrics.Metrics) -> ImageReply:
    return ImageReply(caption="Net earnings and sessions per month, rating trend",
                      content=metrics.chart_png(figures), mime_type="image/png",
                      file_name="agora-metrics.png")


async def _metrics(ctx: Ctx) -> Next:
    assert ctx.account is not None
    figures = await metrics.consultant_metrics(ctx.uow, ctx.account.id, ctx.account.id)
    return Next.end(_chart(figures), Reply(metrics_text(figures)), menu=False)


consultant_metrics = OneStepCommand(
    name="consultant_metrics", title="your consulting figures", commands=("metrics",),
    summary="Consultants: sessions, earnings, rating trend", run=_metrics,
    menu=(MenuEntry("📈 My metrics", ("consultant",), 61),),
    help="Your sessions, minutes, earnings after commission, rating trend, and how many requests "
         "became sessions, with a chart.")


async def metrics_section(ctx: Ctx) -> list[Outbound]:
    """A consultant's figures with their chart for a home screen (Slack's App Home); nothing
    for others, nor for a consultant with no sessions yet (an empty chart says nothing)."""
    if ctx.account is None or "consultant" not in ctx.roles:
        return []
    figures = await metrics.consultant_metrics(ctx.uow, ctx.account.id, ctx.account.id)
    text = Reply(metrics_text(figures))
    return [_chart(figures), text] if figures.sessions or figures.reviews else [text]
