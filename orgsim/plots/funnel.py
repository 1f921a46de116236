"""The demand funnel per scenario: leads, MQLs, SQLs, opportunities and wins, and the rates between.

Volumes span four orders of magnitude (thousands of leads, dozens of wins), so
they sit on a log axis; the stage conversion rates go in a panel beneath,
each bar standing between the two stages it connects. The rates are the
model's KPIs, whose definitions differ from plain stage ratios in two places
(the figure says which), so the picture never disagrees with the KPI table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, LogLocator, MaxNLocator, NullFormatter

from orgsim.analysis import kpi_info, summarize
from orgsim.plots.style import (
    new_figure,
    no_data,
    scenario_colors,
    scenario_order,
    styled,
    unit_formatter,
)

STAGES = ("leads", "mqls", "sqls", "opportunities", "wins")
"""The funnel's volume KPIs, top to bottom."""

RATES = ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_win")
"""The conversion-rate KPIs between consecutive stages."""

STAGE_NAMES = ("Leads", "MQLs", "SQLs", "Opportunities", "Wins")
RATE_NAMES = (
    "lead → MQL",
    "MQL → SQL\n(inbound SQLs)",
    "SQL →\nopportunity",
    "opportunity → win\n(of those closed)",
)

GROUP_WIDTH = 0.8


@styled
def funnel(replications: pd.DataFrame) -> Figure:
    """Mean volume per stage (log axis) and mean stage conversion rate, bars grouped by stage.

    ``replications`` needs ``scenario``, ``replication`` and the columns of
    ``STAGES`` and ``RATES``. Means come from :func:`orgsim.analysis.summarize`.
    """
    summary = summarize(replications, kpis=[*STAGES, *RATES])
    names = scenario_order(summary)
    if not names:
        figure, ax = new_figure(figsize=(13, 4))
        no_data(ax, "No replications yet: the funnel shows once the first batch is in")
        return figure
    means = summary.pivot(index="scenario", columns="kpi", values="mean").loc[names]
    colors = scenario_colors(names)
    figure, (volumes, rates) = new_figure(
        2, 1, figsize=(13, 10), gridspec_kw={"height_ratios": [2.2, 1]}
    )
    width = GROUP_WIDTH / len(names)
    offsets = (np.arange(len(names)) - (len(names) - 1) / 2) * width
    crowded = len(names) > 3
    for offset, name in zip(offsets, names, strict=True):
        counts = means.loc[name, list(STAGES)].to_numpy(float)
        bars = volumes.bar(
            np.arange(len(STAGES)) + offset, counts, width * 0.92, color=colors[name], label=name
        )
        volumes.bar_label(
            bars,
            [_compact(float(c)) for c in counts],
            padding=3,
            fontsize=13,
            rotation=90 * crowded,
        )
        shares = means.loc[name, list(RATES)].to_numpy(float)
        bars = rates.bar(
            np.arange(len(RATES)) + 0.5 + offset, shares, width * 0.92, color=colors[name]
        )
        rates.bar_label(
            bars,
            [kpi_info("lead_to_mql").format(float(s)) for s in shares],
            padding=3,
            fontsize=13,
            rotation=90 * crowded,
        )
    counts = means[list(STAGES)].to_numpy(float)
    counts = counts[np.isfinite(counts) & (counts > 0)]
    # A run without leads has nothing to draw on a log axis: its zero bars keep a linear one.
    if counts.size:
        volumes.set_yscale("log")
        volumes.yaxis.set_major_locator(LogLocator(base=10))
        volumes.yaxis.set_minor_formatter(NullFormatter())
        volumes.set_ylim(max(float(counts.min()) / 2, 0.5), float(counts.max()) * 3)
    volumes.yaxis.set_major_formatter(unit_formatter("count"))
    volumes.set_ylabel("Mean per replication" + ("\n(log scale)" if counts.size else ""))
    volumes.set_xticks(range(len(STAGES)), STAGE_NAMES, fontweight="bold")
    volumes.set_title("The funnel: volume at each stage and the rates between")
    rates.set_ylabel("Conversion\nrate (%)")
    rates.yaxis.set_major_formatter(unit_formatter("%"))
    shares = means[list(RATES)].to_numpy(float)
    shares = shares[np.isfinite(shares)]  # no rate is defined without leads
    top = (float(shares.max()) if shares.size else 1.0) * (1.6 if crowded else 1.3)
    rates.set_ylim(0, top)
    # The headroom above the bars holds their labels; the scale itself stops at 100%.
    ceiling = min(top, 1.0)
    rates.yaxis.set_major_locator(
        FixedLocator([t for t in MaxNLocator(4).tick_values(0, ceiling) if t <= ceiling + 1e-9])
    )
    rates.spines["left"].set_bounds(0, ceiling)
    rates.set_xticks(np.arange(len(RATES)) + 0.5, RATE_NAMES, fontsize=13, style="italic")
    for ax in (volumes, rates):
        ax.grid(axis="x", visible=False)
        ax.set_xlim(-0.5, len(STAGES) - 0.5)
    figure.legend(loc="outside lower center", ncols=min(len(names), 2))
    return figure


def _compact(count: float) -> str:
    """A bar label short enough to sit over a narrow bar: ``12.0k`` past ten thousand."""
    if np.isnan(count):
        return "n/a"
    return f"{count / 1000:.1f}k" if count >= 10_000 else f"{count:,.0f}"
