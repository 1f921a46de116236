"""Paired differences against the baseline as a forest plot: one interval per KPI, zero marked.

Whether a cost going up is good news depends on the KPI, so colour and the
row label carry the direction: an interval clear of zero on the better side
is green, on the worse side vermillion, one that straddles zero grey. The
axis is the relative change, so KPIs measured in dollars, hours and counts
share one scale.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from orgsim.plots.style import (
    BETTER,
    INK,
    NEUTRAL,
    UNCLEAR,
    WORSE,
    better_phrase,
    kpi_label,
    new_figure,
    no_data,
    scenario_order,
    signed_percent_formatter,
    styled,
    wrap,
)

OUTCOMES = {
    "better": ("Better", BETTER),
    "worse": ("Worse", WORSE),
    "unclear": ("No clear difference", UNCLEAR),
    "changed": ("Changed (neither way is better)", NEUTRAL),
}
"""Legend text and colour of each way an interval can fall."""

PANELS_PER_ROW = 3


def outcome(direction: str, low: float, high: float) -> str:
    """``better``, ``worse``, ``unclear`` (interval spans zero) or ``changed`` (neutral KPI)."""
    if low <= 0 <= high:
        return "unclear"
    if direction == "neutral":
        return "changed"
    rises = low > 0
    return "better" if rises == (direction == "higher") else "worse"


@styled
def paired_forest(differences: pd.DataFrame, interval: Literal["t", "bootstrap"] = "t") -> Figure:
    """Relative paired difference with its interval per KPI, one panel per compared scenario.

    ``differences`` is a :func:`orgsim.analysis.paired_differences` table
    (``scenario``, ``baseline``, ``kpi``, ``direction``, ``rel_diff`` and
    ``rel_t_low``/``rel_t_high`` or ``rel_boot_low``/``rel_boot_high``). KPIs
    keep the table's order, first on top; rows without a relative difference
    (a baseline mean of 0) are left out.
    """
    suffix = {"t": "t", "bootstrap": "boot"}[interval]
    low_col, high_col = f"rel_{suffix}_low", f"rel_{suffix}_high"
    shown = differences.dropna(subset=["rel_diff", low_col, high_col])
    if shown.empty:
        figure, ax = new_figure(figsize=(12, 4))
        no_data(ax, "No KPI has a relative difference to show (baseline means of zero?)")
        return figure
    scenarios = scenario_order(shown)
    kpis = [str(k) for k in pd.unique(shown["kpi"])]
    directions = dict(zip(shown["kpi"], shown["direction"], strict=False))
    ncols = min(len(scenarios), PANELS_PER_ROW)
    nrows = math.ceil(len(scenarios) / ncols)
    figure, axes = new_figure(
        nrows,
        ncols,
        figsize=(4.6 + 4.2 * ncols, 1.6 + 0.62 * len(kpis) * nrows + 0.9 * nrows),
        sharey=True,
        squeeze=False,
    )
    rows = {kpi: len(kpis) - 1 - i for i, kpi in enumerate(kpis)}
    limits = _x_limits(shown, low_col, high_col)
    seen: set[str] = set()
    for ax, scenario in zip(axes.flat, scenarios, strict=False):
        for record in shown[shown["scenario"] == scenario].to_dict("records"):
            kind = outcome(record["direction"], record[low_col], record[high_col])
            seen.add(kind)
            color = OUTCOMES[kind][1]
            y = rows[record["kpi"]]
            ax.hlines(y, record[low_col], record[high_col], color=color, linewidth=5)
            ax.plot(record["rel_diff"], y, "o", color=color, markeredgecolor=INK, markersize=10)
            ax.annotate(
                f"{record['rel_diff'] * 100:+.1f}%",
                (record["rel_diff"], y),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=12,
                color=INK,
            )
        ax.axvline(0, color=INK, linewidth=1.2, zorder=1)
        ax.set_title(wrap(scenario, 30), fontsize=15, loc="center")
        ax.xaxis.set_major_formatter(signed_percent_formatter())
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.grid(axis="y", visible=False)
        ax.set_xlim(*limits)
    for ax in axes.flat[len(scenarios) :]:
        ax.set_visible(False)
    labels = [_row_label(kpi, directions[kpi]) for kpi in kpis]
    for ax in axes[:, 0]:
        ax.set_yticks([rows[k] for k in kpis], labels)
        ax.set_ylim(-0.7, len(kpis) - 0.3)
    baseline = ", ".join(str(b) for b in pd.unique(differences["baseline"]))
    level = f"{float(shown['confidence'].iloc[0]) * 100:g}%"
    figure.suptitle(f"Change against {baseline}, paired, with {level} CI", x=0.02, ha="left")
    for ax in axes[-1, :]:
        ax.set_xlabel("Relative change of the mean (%)")
    handles = [
        Line2D([], [], color=color, linewidth=5, marker="o", markeredgecolor=INK, label=text)
        for key, (text, color) in OUTCOMES.items()
        if key in seen
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return figure


def _row_label(kpi: str, direction: str) -> str:
    phrase = better_phrase(direction)
    return f"{kpi_label(kpi)}\n({phrase})" if phrase else kpi_label(kpi)


def _x_limits(rows: pd.DataFrame, low_col: str, high_col: str) -> tuple[float, float]:
    """An x range holding every interval and zero, with a margin for the value labels."""
    values = rows[[low_col, high_col]].to_numpy(float)
    low = min(float(np.nanmin(values, initial=0.0)), 0.0)
    high = max(float(np.nanmax(values, initial=0.0)), 0.0)
    margin = max(high - low, 0.02) * 0.12
    return low - margin, high + margin
