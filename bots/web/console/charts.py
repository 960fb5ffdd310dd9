"""The dashboard's charts: one description per chart, drawn as a PNG (matplotlib, Agg) and
shown beside a table of the same numbers, with an alt text that says what it shows."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from core.console.dashboard import Figures, last_months
from core.i18n import present
from payments.reports import MarketMonth

NAMES = ("registrations", "listings", "deals", "gmv")


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    labels: list[str]
    series: dict[str, list[Decimal]]  # legend → one value per label
    kind: str = "bar"  # bar | line

    @property
    def alt(self) -> str:
        """A sentence a screen reader can say instead of the picture."""
        parts = []
        for legend, values in self.series.items():
            total = sum(values, Decimal(0))
            top = max(range(len(values)), key=lambda i: values[i]) if values else None
            most = f", most for {self.labels[top]} ({_n(values[top])})" if top is not None \
                and total else ""
            parts.append(f"{legend}: {_n(total)} in all{most}")
        return f"{'Bar' if self.kind == 'bar' else 'Line'} chart of {self.title.lower()}. " \
               + "; ".join(parts) + ". The same numbers are in the table beside it."


def _n(value: Decimal) -> str:
    return present.number(value, places=0 if value == value.to_integral_value() else 2)


def build(figures: Figures, money: list[MarketMonth], months: list[str]) -> dict[str, Chart]:
    """Every dashboard chart by name."""
    gmv: dict[str, list[Decimal]] = {}
    for row in money:
        values = gmv.setdefault(f"{row.market} ({row.currency})", [Decimal(0)] * len(months))
        if row.month in months:
            values[months.index(row.month)] += row.gmv.decimal
    return {
        "registrations": Chart("registrations", "New registrations per month",
                               [m for m, _ in figures.registrations],
                               {"Registrations": [Decimal(n) for _, n in figures.registrations]}),
        "listings": _by_status("listings", "Listings by status", figures.listings),
        "deals": _by_status("deals", "Deals by status", figures.deals),
        "gmv": Chart("gmv", "Gross merchandise value per market and month", months,
                     gmv or {"No completed sales": [Decimal(0)] * len(months)}, kind="line"),
    }


def _by_status(name: str, title: str, counts: dict[str, int]) -> Chart:
    labels = list(counts) or ["none yet"]
    return Chart(name, title, [s.replace("_", " ") for s in labels],
                 {"Count": [Decimal(counts.get(s, 0)) for s in labels]})


def png(chart: Chart) -> bytes:
    """The chart as a PNG image."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    axes = figure.subplots()
    at = list(range(len(chart.labels)))
    for number, (legend, values) in enumerate(chart.series.items()):
        points = [float(v) for v in values]  # floats only for drawing
        if chart.kind == "bar":
            width = 0.8 / len(chart.series)
            axes.bar([x + number * width for x in at], points, width=width, label=legend,
                     color="#1f6f43" if number == 0 else "#3b7dd8")
        else:
            axes.plot(at, points, marker="o", label=legend)
    axes.set_xticks(at, chart.labels, rotation=45 if len(at) > 6 else 0, ha="right"
                    if len(at) > 6 else "center", fontsize=8)
    axes.set_title(chart.title, fontsize=10)
    if len(chart.series) > 1 or chart.kind == "line":
        axes.legend(fontsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


__all__ = ["NAMES", "Chart", "build", "last_months", "png"]
