"""The standard figures of a run's tables: what ``orgsim plot`` writes and the report embeds.

One list, so the command and the report never disagree about which figures a
results directory supports. Each entry draws lazily: a caller saving dozens of
figures holds one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
from matplotlib.figure import Figure

from orgsim.analysis import kpi_info
from orgsim.kpis import LEADING_KPIS
from orgsim.plots.distributions import kpi_distributions
from orgsim.plots.forest import paired_forest
from orgsim.plots.funnel import RATES, STAGES, funnel
from orgsim.plots.monthly import monthly_band
from orgsim.plots.team import manager_hours, sdr_seats

DISTRIBUTION_KPIS = LEADING_KPIS
"""KPIs drawn as a distribution each: the headline, then cost per opportunity."""

MONTHLY_SERIES = {
    "sqls": "Month-end diversion adds SQLs in the months it fires.",
    "leads": "Content lost to diversion or to managing SDRs shows as fewer leads a month or more later.",
    "pipeline_open": "Open opportunities at month end: fewer SQLs now mean a thinner pipeline later.",
}
"""Monthly columns drawn as a banded series each, with what to look for in them."""


@dataclass(frozen=True, slots=True)
class FigureSpec:
    """A figure the tables support: file stem, a caption saying how to read it, how to draw it."""

    name: str
    caption: str
    draw: Callable[[], Figure]


def standard_figures(
    replications: pd.DataFrame,
    monthly: pd.DataFrame | None = None,
    differences: pd.DataFrame | None = None,
) -> list[FigureSpec]:
    """The figures these tables support, in reading order.

    ``differences`` is a :func:`orgsim.analysis.paired_differences` table (on
    ``orgsim.kpis.REPORT_KPIS``, say); the forest plot is drawn when it has rows. Figures
    whose columns are missing are left out.
    """
    columns = set(replications.columns) if not replications.empty else set()
    specs = []
    for kpi in (k for k in DISTRIBUTION_KPIS if k in columns):
        specs.append(
            FigureSpec(
                kpi,
                f"{kpi_info(kpi).label.capitalize()} in every replication: the dot and black bar "
                "are the mean and its 95% interval, the shape is how much a single year could "
                "differ.",
                partial(kpi_distributions, replications, kpi),
            )
        )
    if {*STAGES, *RATES} <= columns:
        specs.append(
            FigureSpec(
                "funnel",
                "Mean volume at each funnel stage (log scale) and the conversion rates between.",
                lambda: funnel(replications),
            )
        )
    if differences is not None and not differences.empty:
        table = differences
        specs.append(
            FigureSpec(
                "paired_differences",
                "Each scenario against the baseline on the same random numbers: relative change "
                "of the mean with its 95% interval; green is better, vermillion worse, grey unclear.",
                lambda: paired_forest(table),
            )
        )
    if monthly is not None and not monthly.empty:
        specs += _monthly_figures(monthly)
    return specs


def _monthly_figures(monthly: pd.DataFrame) -> list[FigureSpec]:
    columns = set(monthly.columns)
    specs = [
        FigureSpec(
            f"monthly_{column}",
            f"Monthly {kpi_info(column).label}: median line and the band 90% of replications "
            f"fall in. {hint}",
            partial(monthly_band, monthly, column),
        )
        for column, hint in MONTHLY_SERIES.items()
        if column in columns
    ]
    if {"manager_hours_sdr_planned", "manager_hours_sdr_spent"} <= columns:
        specs.append(
            FigureSpec(
                "manager_hours",
                "Hours the SDR manager planned for the team (dashed) and spent (solid) each month.",
                lambda: manager_hours(monthly),
            )
        )
    if {"sdr_filled_seats", "sdr_vacant_seat_months"} <= columns:
        specs.append(
            FigureSpec(
                "sdr_seats",
                "SDR seats filled and vacant each month (monthly averages): exits and backfill time.",
                lambda: sdr_seats(monthly),
            )
        )
    return specs
