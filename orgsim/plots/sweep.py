"""A KPI along one swept setting: the mean with its interval, and the spread of single runs.

A sweep answers "how far can this setting move before the answer changes?":
the curve is the mean, the dark band the 95% interval of that mean (Monte
Carlo precision), the light band the 5th-95th percentile of replications (how
much one real year could differ).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from orgsim.analysis import kpi_info
from orgsim.plots.style import (
    axis_label,
    kpi_label,
    new_figure,
    scenario_colors,
    scenario_order,
    styled,
    unit_formatter,
)
from orgsim.scenario.labels import setting_label, setting_title


@styled
def sweep_curve(table: pd.DataFrame, x: str, kpi: str) -> Figure:
    """Mean of ``kpi`` against the swept setting ``x``, with its CI band and percentile band.

    ``table`` is tidy, one row per grid point (and series): the column ``x``
    holding the swept value, and ``mean``, ``ci_low``, ``ci_high`` of the KPI.
    That is exactly :func:`orgsim.analysis.summarize`'s output with a column
    ``x`` added per grid point, so these are optional: ``kpi`` (rows of other
    KPIs are dropped), ``p5``/``p95`` (drawn as the outer band) and
    ``scenario`` (one curve per scenario).
    """
    rows = table[table["kpi"] == kpi] if "kpi" in table.columns else table
    if "scenario" not in rows.columns:
        rows = rows.assign(scenario=kpi_label(kpi))
    names = scenario_order(rows)
    colors = scenario_colors(names)
    spread = {"p5", "p95"} <= set(rows.columns)
    figure, ax = new_figure(figsize=(12, 7.5))
    for name, curve in rows.groupby("scenario", sort=False):
        curve = curve.sort_values(x)
        color = colors[str(name)]
        if spread:
            ax.fill_between(curve[x], curve["p5"], curve["p95"], color=color, alpha=0.12, lw=0)
        ax.fill_between(curve[x], curve["ci_low"], curve["ci_high"], color=color, alpha=0.35, lw=0)
        ax.plot(curve[x], curve["mean"], "-o", color=color, markersize=8, label=str(name))
    ax.set_xlabel(setting_title(x))
    values = np.sort(pd.unique(rows[x].to_numpy(dtype=float)))
    if len(values) <= 12:  # ticks at the grid's own points: 6, 8, 10 headcount, not 6.5
        ax.set_xticks(values, [f"{v:,.4g}" for v in values])
    ax.set_ylabel(axis_label(kpi))
    ax.yaxis.set_major_formatter(unit_formatter(kpi_info(kpi).unit))
    ax.set_title(f"{kpi_label(kpi)} as the {setting_label(x)} varies")
    handles, _ = ax.get_legend_handles_labels()
    confidence = f"{float(rows['confidence'].iloc[0]) * 100:g}%" if "confidence" in rows else "95%"
    handles.append(Patch(color="#777777", alpha=0.45, label=f"{confidence} CI of the mean"))
    if spread:
        handles.append(Patch(color="#777777", alpha=0.18, label="5th–95th percentile"))
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 3))
    return figure
