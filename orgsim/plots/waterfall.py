"""What each mechanism contributes to the difference between two scenarios, as a waterfall.

Shapley contributions add up to the whole difference, so a waterfall shows
them honestly: each group's bar starts where the previous one ended and the
last bar is the total. Each step carries its own 95% interval, and its
colour says whether that mechanism pushes the KPI the better or worse way, in
the forest plot's colours.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from orgsim.analysis import HEADLINE_KPI, KPI, Contribution, kpi_info
from orgsim.plots.forest import OUTCOMES, outcome
from orgsim.plots.style import (
    INK,
    axis_label,
    kpi_label,
    new_figure,
    styled,
    unit_formatter,
    wrap,
)

TOTAL = "#4D4D4D"


@styled
def contributions_waterfall(
    table: pd.DataFrame, total: Contribution, kpi: str = HEADLINE_KPI
) -> Figure:
    """Horizontal waterfall of each group's mean contribution to ``kpi``, then the total.

    ``table`` is :func:`orgsim.analysis.contributions_table` output (``group``,
    ``mean``, ``ci_low``, ``ci_high``), in the order the steps are drawn;
    ``total`` is :func:`orgsim.analysis.total_contribution` of the same
    contributions. Error bars are each step's own interval, drawn at its end;
    a step whose interval holds zero is grey, as in the forest plot.
    """
    info = kpi_info(kpi)
    steps = [
        (str(row["group"]), float(row["mean"]), float(row["ci_low"]), float(row["ci_high"]))
        for row in table.to_dict("records")
    ]
    count = len(steps) + 1
    figure, ax = new_figure(figsize=(12, 2.8 + 0.9 * count))
    y = count - 1 - np.arange(count)
    start = 0.0
    seen = {"total"}
    for position, (_, mean, low, high) in zip(y.tolist(), steps, strict=False):
        kind = outcome(info.direction, low, high)
        seen.add(kind)
        ax.barh(position, mean, left=start, height=0.6, color=OUTCOMES[kind][1])
        _step_interval(ax, start, position, mean, low, high, info)
        ax.plot([start + mean] * 2, [position - 0.3, position - 0.7], color=INK, lw=1, ls=":")
        start += mean
    ax.barh(y[-1], total.mean, height=0.6, color=TOTAL)
    _step_interval(ax, 0.0, y[-1], total.mean, total.ci_low, total.ci_high, info)
    ax.axvline(0, color=INK, linewidth=1.2)
    ax.set_yticks(y, [wrap(name, 28) for name, *_ in steps] + ["Total difference"])
    ax.set_ylim(-0.6, count - 0.4)
    ax.grid(axis="y", visible=False)
    ax.use_sticky_edges = False
    # Room for the value written past each interval's end: with less, the value of a step
    # whose interval reaches the edge runs into the tick labels.
    ax.margins(x=0.3)
    label = axis_label(kpi)
    ax.set_xlabel(f"Contribution to the difference in {label[:1].lower()}{label[1:]}")
    ax.xaxis.set_major_formatter(unit_formatter(info.unit))
    ax.set_title(f"What each mechanism adds to {kpi_label(kpi).lower()}")
    handles = [
        Patch(color=color, label=text) for key, (text, color) in OUTCOMES.items() if key in seen
    ]
    handles.append(Patch(color=TOTAL, label="Total (sum of the steps)"))
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4))
    return figure


def _step_interval(
    ax: Axes, start: float, y: float, mean: float, low: float, high: float, info: KPI
) -> None:
    """The step's interval as an error bar at its end, and its signed value just past it."""
    end = start + mean
    ax.errorbar(end, y, xerr=[[mean - low], [high - mean]], color=INK, capsize=6, linewidth=1.8)
    outward = mean >= 0
    beyond = start + (high if outward else low)
    ax.annotate(
        ("+" if mean > 0 else "") + info.format(mean),
        (beyond if np.isfinite(beyond) else end, y),
        xytext=(8 if outward else -8, 0),
        textcoords="offset points",
        ha="left" if outward else "right",
        va="center",
        fontsize=14,
        fontweight="bold",
        color=INK,
    )
