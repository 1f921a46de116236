"""How a KPI varies across replications, scenario by scenario, with the mean and its interval.

A room should see two things at once: how far apart the scenarios' expected
values are (the mean and its 95% interval) and how much one real year could
differ from them (the whole distribution). A violin per scenario shows both,
with every replication drawn as a dot so a small run does not look smooth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from orgsim.analysis import HEADLINE_KPI, kpi_info, summarize
from orgsim.plots.style import (
    INK,
    axis_label,
    kpi_label,
    new_figure,
    scenario_colors,
    styled,
    unit_formatter,
    wrap,
)


@styled
def kpi_distributions(
    replications: pd.DataFrame, kpi: str = HEADLINE_KPI, confidence: float = 0.95
) -> Figure:
    """One horizontal violin per scenario of ``kpi`` over replications, mean and CI marked.

    ``replications`` is the replications table (``scenario``, ``replication``,
    one column per KPI). The mean and its t interval come from
    :func:`orgsim.analysis.summarize`; NaN replications are left out. The first
    scenario is drawn on top.
    """
    summary = summarize(replications, confidence, kpis=[kpi]).set_index("scenario")
    names = [str(name) for name in summary.index]
    colors = scenario_colors(names)
    info = kpi_info(kpi)
    figure, ax = new_figure(figsize=(12, 2.5 + 1.5 * len(names)))
    jitter = np.random.default_rng(0)
    for position, name in zip(range(len(names) - 1, -1, -1), names, strict=True):
        values = replications.loc[replications["scenario"] == name, kpi].dropna().to_numpy(float)
        color = colors[name]
        if values.size > 1 and np.ptp(values) > 0:
            violin = ax.violinplot(
                [values], [position], orientation="horizontal", widths=0.8, showextrema=False
            )
            for body in violin["bodies"]:
                body.set_facecolor(color)
                body.set_edgecolor(color)
                body.set_alpha(0.35)
        ax.scatter(
            values,
            position + jitter.uniform(-0.12, 0.12, values.size),
            s=14,
            color=color,
            alpha=0.7,
            linewidths=0,
            zorder=2,
        )
        row = summary.loc[name].to_dict()
        ax.hlines(position, row["ci_low"], row["ci_high"], color=INK, linewidth=7, zorder=3)
        ax.plot(
            row["mean"], position, "o", color="white", markeredgecolor=INK, markersize=11, zorder=4
        )
        ax.annotate(
            f"mean {info.format(row['mean'])}",
            (row["mean"], position),
            xytext=(0, 16),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=14,
            fontweight="bold",
            color=INK,
            zorder=5,
        )
    ax.set_yticks(range(len(names)), [wrap(name) for name in reversed(names)])
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(axis_label(kpi))
    ax.xaxis.set_major_formatter(unit_formatter(info.unit))
    ax.set_title(f"{kpi_label(kpi)}: spread over replications")
    level = f"{confidence * 100:g}%"
    handles = [
        Patch(facecolor="#BBBBBB", alpha=0.6, label="Spread over replications (each dot is one)"),
        Line2D([], [], marker="o", color="white", markeredgecolor=INK, markersize=11, label="Mean"),
        Line2D([], [], color=INK, linewidth=7, label=f"{level} CI of the mean"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=13)
    return figure
