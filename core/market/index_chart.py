"""An index's history as an SVG line chart drawn on the server (no script needed): the value
per tonne of each published week, a gap where a week was not published, three labelled
price lines and the first and last week. Labels are the presenter's, in the reader's format;
the SVG is built from escaped text only."""

from __future__ import annotations

from html import escape

from core.i18n import _
from core.market.index_view import IndexView
from core.market.index_words import week_words
from core.money.model import Money

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 16, 40  # room for the price labels and the weeks


def _segments(values: list[int | None]) -> list[list[tuple[int, int]]]:
    """Runs of consecutive published weeks (index, value): a line never bridges a gap."""
    runs: list[list[tuple[int, int]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if run]


def svg(view: IndexView) -> str:
    """The chart, or "" when no week is published yet."""
    weeks = view.history
    values = [w.per_t.amount if w.per_t else None for w in weeks]
    known = [v for v in values if v is not None]
    if not known:
        return ""
    currency = view.index.currency
    low, high = min(known), max(known)
    pad = max((high - low) // 10, 100)
    low, high = low - pad, high + pad
    span_x = max(len(weeks) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * i / span_x, 1)

    def y(value: int) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low), 1)

    title = _("{name}: price per tonne by week", name=view.index.name())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="index-chart-title" class="index-chart">',
             f'<title id="index-chart-title">{escape(title)}</title>']
    for value in (low + pad, (low + high) // 2, high - pad):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value)}" y2="{y(value)}" '
                     'class="grid"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y(value) + 4}" text-anchor="end">'
                     f'{escape(str(Money(value, currency)))}/t</text>')
    for run in _segments(values):
        points = " ".join(f"{x(i)},{y(v)}" for i, v in run)
        parts.append(f'<polyline points="{points}" class="line"/>')
        for i, v in run:
            label = f"{week_words(weeks[i].week)}: {Money(v, currency)}/t"
            parts.append(f'<circle cx="{x(i)}" cy="{y(v)}" r="3.5" class="dot">'
                         f'<title>{escape(label)}</title></circle>')
    for i, anchor in ((0, "start"), (len(weeks) - 1, "end")):
        parts.append(f'<text x="{x(i)}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
                     f'{escape(week_words(weeks[i].week))}</text>')
    parts.append("</svg>")
    return "".join(parts)
