"""Which assumptions move a KPI most: one bar per setting, from its low to its high value.

Sorted by the distance between the two ends, the chart shows at a glance which
inputs deserve a better estimate before anyone acts on the result, and which
could be wrong without changing the answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from orgsim.analysis import HEADLINE_KPI, kpi_info
from orgsim.plots.style import (
    INK,
    OKABE_ITO,
    axis_label,
    new_figure,
    styled,
    unit_formatter,
)
from orgsim.scenario.labels import setting_title

LOW = OKABE_ITO["sky blue"]
HIGH = OKABE_ITO["orange"]

TORNADO_COLUMNS = ("parameter", "low_value", "high_value", "kpi_at_low", "kpi_at_high", "base")
"""Columns :func:`tornado` reads: the setting, its two values, the KPI at each, the base KPI."""


@styled
def tornado(table: pd.DataFrame, kpi: str = HEADLINE_KPI) -> Figure:
    """Bars from the base value of ``kpi`` to its value at each setting's low and high end.

    ``table`` has the columns of ``TORNADO_COLUMNS``, one row per setting;
    ``base`` is the KPI with every setting at its base value (the first row's
    is used). The widest swing is drawn on top; each bar end is labelled with
    the setting's value there.
    """
    missing = set(TORNADO_COLUMNS) - set(table.columns)
    if missing:
        raise ValueError(f"tornado table lacks column(s) {sorted(missing)}")
    swing = (table["kpi_at_high"] - table["kpi_at_low"]).abs()
    rows = table.assign(swing=swing).sort_values("swing", kind="stable").reset_index(drop=True)
    base = float(rows["base"].iloc[0])
    info = kpi_info(kpi)
    figure, ax = new_figure(figsize=(12, 2.8 + 0.9 * len(rows)))
    y = np.arange(len(rows))
    for position, row in zip(y.tolist(), rows.to_dict("records"), strict=True):
        ends = [
            (row["kpi_at_low"], row["low_value"], LOW),
            (row["kpi_at_high"], row["high_value"], HIGH),
        ]
        if all(value == base for value, _, _ in ends):
            _label(
                ax,
                base,
                position,
                f"no change ({_setting(row['low_value'])} to {_setting(row['high_value'])})",
                right=True,
            )
            continue
        # The end farther from the base first, so the nearer one stays visible on top of it.
        for value, setting, color in sorted(ends, key=lambda end: -abs(end[0] - base)):
            ax.barh(position, value - base, left=base, height=0.6, color=color, edgecolor="white")
            _label(ax, value, position, _setting(setting), right=value >= base)
    ax.axvline(base, color=INK, linewidth=1.5)
    ax.set_yticks(y, [setting_title(str(key)) for key in rows["parameter"]])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.18)
    ax.set_xlabel(axis_label(kpi))
    ax.xaxis.set_major_formatter(unit_formatter(info.unit))
    # Over the whole figure, not the axes: long setting labels push the axes right, and a
    # title centred over them would run off the figure's edge.
    figure.suptitle(f"What moves {info.label} most (base {info.format(base)})", fontweight="bold")
    handles = [
        Patch(color=LOW, label="Setting at its low value"),
        Patch(color=HIGH, label="Setting at its high value"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=2)
    return figure


def _label(ax: Axes, x: float, y: float, text: str, right: bool) -> None:
    """Write ``text`` just beyond a bar end, on the side away from the base."""
    ax.annotate(
        text,
        (x, y),
        xytext=(6 if right else -6, 0),
        textcoords="offset points",
        ha="left" if right else "right",
        va="center",
        fontsize=13,
        color=INK,
    )


def _setting(value: object) -> str:
    """A setting's value as a bar-end label: ``6``, ``0.25``, ``1,600``."""
    if isinstance(value, (int, float, np.number)):
        number = float(value)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.3g}"
    return str(value)
