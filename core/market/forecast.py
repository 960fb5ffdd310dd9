"""A short forecast of monthly median prices with its uncertainty: statsmodels' SARIMAX, an
ARIMA(0,1,1) with drift (exponential smoothing with a trend), whose Kalman filter takes months
without deals as missing, and its 80 % prediction intervals. With too little history there is
no forecast, and the reason says so."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime

from core.i18n import N_, _

HORIZON = 3  # months ahead
MIN_MONTHS = 6  # months with deals needed before anything is forecast
LEVEL = 80  # % prediction interval
ALPHA = 0.2  # 1 - LEVEL as a fraction: what the interval leaves out
# How the forecast is made, in words (shown as _(method)).
METHOD = N_("ARIMA(0,1,1) with drift (statsmodels SARIMAX), 80 % prediction interval")


@dataclass(frozen=True)
class Forecast:
    labels: list[str]  # the months ahead, "2026-04"
    mean: list[int]  # minor units per MWh
    low: list[int]
    high: list[int]
    level: int = LEVEL
    method: str = METHOD


def _ahead(first: datetime, count: int) -> list[str]:
    year, month, labels = first.year, first.month, []
    for __ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return labels


def forecast_prices(labels: list[str], medians: list[int | None], next_month: datetime,
                    what: str | None = None) -> tuple[Forecast | None, str]:
    """The next HORIZON months' median price per MWh from monthly medians (None where a month
    had no deal, or `what` it takes), or None and why not."""
    seen = sum(1 for m in medians if m is not None)
    if seen < MIN_MONTHS:
        return None, _("Not enough history to forecast: {what} in {seen} of the last "
                       "{months} months (at least {least} are needed).", what=what or _("completed deals"),
                       seen=seen, months=len(labels), least=MIN_MONTHS)
    if medians[-1] is None and medians[-2] is None:
        return None, _("No forecast: no deals were completed in the last two months.")
    import numpy as np
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    series = np.array([float(m) if m is not None else np.nan for m in medians])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small samples make the optimiser chatty
        fitted = SARIMAX(series, order=(0, 1, 1), trend="t").fit(disp=False)
        ahead = fitted.get_forecast(HORIZON)
        mean = ahead.predicted_mean
        bounds = ahead.conf_int(alpha=ALPHA)
    if not np.all(np.isfinite(mean)) or not np.all(np.isfinite(bounds)):
        return None, _("No forecast: the price history is too irregular to model.")
    return Forecast(_ahead(next_month, HORIZON), [max(0, round(v)) for v in mean],
                    [max(0, round(v)) for v in bounds[:, 0]],
                    [max(0, round(v)) for v in bounds[:, 1]]), ""
