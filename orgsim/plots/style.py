"""The look every orgsim figure shares: projector-sized type, Okabe-Ito colours, no chart junk.

The style is applied per figure through ``matplotlib.rc_context``, so drawing
an orgsim figure never changes how a notebook's other plots look. Colours come
from the Okabe-Ito palette, which stays distinguishable under the common
colour-vision deficiencies, and axes say their unit with thousands separators.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

from orgsim.analysis import Unit, kpi_info

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish green": "#009E73",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

SCENARIO_COLORS = tuple(
    OKABE_ITO[c]
    for c in (
        "blue",
        "orange",
        "bluish green",
        "reddish purple",
        "vermillion",
        "sky blue",
        "black",
        "yellow",
    )
)
"""Scenario colours in order of first appearance; yellow, faint on white, comes last."""

BETTER = OKABE_ITO["bluish green"]
WORSE = OKABE_ITO["vermillion"]
UNCLEAR = "#9A9A9A"
NEUTRAL = OKABE_ITO["blue"]
INK = "#222222"

STYLE: dict[RcKeyType, Any] = {
    "figure.figsize": (12, 7),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.dpi": 150,
    "savefig.facecolor": "white",
    "font.size": 15,
    "axes.titlesize": 19,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12,
    "axes.labelsize": 16,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=SCENARIO_COLORS),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.fontsize": 14,
    "legend.frameon": False,
    "legend.title_fontsize": 14,
    "lines.linewidth": 2.5,
    "lines.markersize": 7,
    "figure.titlesize": 20,
    "figure.titleweight": "bold",
}
"""rcParams of every orgsim figure: large type for a projector, light grid, no top/right spines."""

P = ParamSpec("P")


def styled(draw: Callable[P, Figure]) -> Callable[P, Figure]:
    """Run a figure function inside the orgsim style, leaving global rcParams untouched."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with mpl.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


def new_figure(
    nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float] | None = None, **kwargs: Any
) -> tuple[Figure, Any]:
    """A constrained-layout figure with its axes, outside pyplot so nothing global keeps it alive."""
    figure = Figure(figsize=figsize, layout="constrained")
    return figure, figure.subplots(nrows, ncols, **kwargs)


def scenario_order(table: pd.DataFrame) -> list[str]:
    """Scenario names in order of first appearance: the order the run or comparison set up."""
    return [str(name) for name in pd.unique(table["scenario"])]


def scenario_colors(names: Iterable[str]) -> dict[str, str]:
    """A colour per scenario, by position, so every figure of one table colours alike."""
    return {name: SCENARIO_COLORS[i % len(SCENARIO_COLORS)] for i, name in enumerate(names)}


def wrap(text: str, width: int = 24) -> str:
    """Break a long scenario or setting name over lines so tick labels and titles fit."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def kpi_label(kpi: str) -> str:
    """The KPI's label with a capital first letter, for titles and axes."""
    return kpi_info(kpi).title


UNIT_SUFFIX: dict[str, str] = {
    "$": " ($)",
    "%": " (%)",
    "hours": " (hours)",
    "months": " (months)",
    "count": "",
    "index": " (index, 0 to 1)",
}


def axis_label(kpi: str) -> str:
    """An axis label naming the KPI and its unit, e.g. ``Cost per opportunity ($)``."""
    return kpi_label(kpi) + UNIT_SUFFIX[kpi_info(kpi).unit]


def better_phrase(direction: str) -> str:
    """How a label says which way is better, or nothing for a neutral KPI."""
    return {"higher": "higher is better", "lower": "lower is better"}.get(direction, "")


def _money(value: float, _position: object = None) -> str:
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= 1e6:
        return f"{sign}${size / 1e6:,.{0 if size % 1e6 == 0 else 1}f}M"
    if size < 10 and not float(size).is_integer():
        return f"{sign}${size:,.2f}"
    return f"{sign}${size:,.0f}"


def _number(value: float, _position: object = None) -> str:
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _percent(value: float, _position: object = None) -> str:
    return _number(round(value * 100, 6)) + "%"


class _MoneyTicks(Formatter):
    """Money ticks in one style per axis: all in millions once the largest reaches $1M
    (``$0.8M``, ``$1.4M``), else in dollars, never ``$800,000`` beside ``$1.2M``."""

    def format_ticks(self, values: Any) -> list[str]:
        values = [float(value) for value in values]
        if max((abs(value) for value in values), default=0.0) < 1e6:
            return [_money(value) for value in values]
        # The fewest decimals that write every tick exactly: $1M, $1.4M, $1.25M.
        digits = next(
            (
                d
                for d in (0, 1)
                if all(abs(v / 1e6 * 10**d - round(v / 1e6 * 10**d)) < 1e-6 for v in values)
            ),
            2,
        )
        return [
            f"{'-' if v < 0 else ''}${abs(v) / 1e6:,.{digits}f}M" if v else "$0" for v in values
        ]

    def __call__(self, value: float, position: object = None) -> str:
        return self.format_ticks([value])[0]


def unit_formatter(unit: Unit) -> Formatter:
    """Tick labels in ``unit``: ``$12,000`` or ``$1.5M``, ``25%`` for fractions, ``1,200`` else."""
    if unit == "$":
        return _MoneyTicks()
    return FuncFormatter({"%": _percent}.get(unit, _number))


def signed_percent_formatter() -> Formatter:
    """Tick labels of a relative change: ``-10%``, ``0%``, ``+10%``."""
    return FuncFormatter(lambda v, _: "0%" if v == 0 else f"{v * 100:+.0f}%")


def month_axis(ax: Axes, months: Iterable[int]) -> None:
    """Label the x axis ``Month`` with whole-month ticks over the months shown."""
    values = np.asarray(list(months), dtype=float)
    ax.set_xlabel("Month")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
    if values.size:
        ax.set_xlim(values.min() - 0.3, values.max() + 0.3)


def no_data(ax: Axes, message: str) -> None:
    """Say in the plot area why nothing is drawn, instead of leaving an empty frame."""
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color=INK)
    ax.set_xticks([])
    ax.set_yticks([])
