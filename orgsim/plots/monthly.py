"""A monthly series per scenario: the median month and the band that 90% of replications fall in.

Month-end diversion shows here and nowhere else: the month it fires, SQLs jump
as marketers dial; a lag later, leads and SQLs sag because the content they
did not write is missing. A mean over the run hides that shape; a median line
with a 5th-95th percentile band keeps it.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from orgsim.analysis import kpi_info
from orgsim.plots.style import (
    axis_label,
    kpi_label,
    month_axis,
    new_figure,
    scenario_colors,
    scenario_order,
    styled,
    unit_formatter,
)

BAND = (0.05, 0.95)
"""The band's quantiles: where 90% of replications' months fall."""

DODGE = 0.06
"""Months between neighbouring scenarios' median lines, so equal series stay visible."""

MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
"""A marker per scenario, so lines differ in shape as well as colour."""

LEVELS = frozenset({"pipeline_open", "coaching_quality", "sdr_filled_seats"})
"""Monthly columns that are a level at month end, not a flow during the month."""


def percentile_bands(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows ``scenario, month, low, median, high`` of ``column`` across replications.

    Scenarios keep their order of first appearance. These are descriptive
    quantiles of the replications, not intervals for a mean.
    """
    grouped = monthly.groupby(["scenario", "month"], sort=False)[column]
    bands = pd.DataFrame(
        {
            "low": grouped.quantile(BAND[0]),
            "median": grouped.median(),
            "high": grouped.quantile(BAND[1]),
        }
    ).reset_index()
    return bands.sort_values("month", kind="stable")


def draw_bands(ax: Axes, monthly: pd.DataFrame, column: str, linestyle: str = "-") -> None:
    """Median line and shaded band of ``column`` per scenario, labelled with the scenario name.

    Scenarios that share a mechanism often share a series exactly (common
    random numbers), so each median is nudged sideways a little and gets its
    own marker: a line hidden under another would leave a legend entry with
    nothing to point at.
    """
    bands = percentile_bands(monthly, column)
    names = scenario_order(monthly)
    colors = scenario_colors(names)
    # Overlapping fills add up to brown: the more scenarios, the fainter each fill, and each
    # band keeps a dotted outline in its own colour so it can still be followed.
    fill = min(0.15, 0.45 / max(len(names), 1))
    for i, (name, band) in enumerate(bands.groupby("scenario", sort=False)):
        color = colors[str(name)]
        ax.fill_between(band["month"], band["low"], band["high"], color=color, alpha=fill, lw=0)
        for edge in ("low", "high"):
            ax.plot(band["month"], band[edge], ":", color=color, alpha=0.8, linewidth=1.2)
        ax.plot(
            band["month"] + DODGE * (i - (len(names) - 1) / 2),
            band["median"],
            linestyle,
            color=color,
            marker=MARKERS[i % len(MARKERS)],
            markersize=8,
            label=str(name),
        )
    month_axis(ax, bands["month"])


def band_legend_entry() -> Patch:
    """The legend entry that says what the shaded band is."""
    return Patch(color="#999999", alpha=0.35, label="5th–95th percentile of replications")


@styled
def monthly_band(monthly: pd.DataFrame, column: str = "sqls") -> Figure:
    """Median of ``column`` by month with its 5th-95th percentile band, one colour per scenario.

    ``monthly`` is the monthly table: ``scenario``, ``replication``, ``month``
    (1..N) and the monthly columns (``sqls``, ``leads``, ``pipeline_open``, ...).
    """
    figure, ax = new_figure(figsize=(12, 7.5))
    draw_bands(ax, monthly, column)
    ax.set_ylabel(axis_label(column) + ("" if column in LEVELS else " per month"))
    ax.yaxis.set_major_formatter(unit_formatter(kpi_info(column).unit))
    ax.set_title(f"{kpi_label(column)} by month: median and 90% band")
    handles, _ = ax.get_legend_handles_labels()
    figure.legend(
        handles=[*handles, band_legend_entry()], loc="outside lower center", ncols=2, fontsize=13
    )
    return figure
