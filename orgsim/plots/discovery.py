"""Where each design wins: the sampled points on two parameters, and PRIM's boxes over them.

A box is a claim ("marketing ownership wins where skill is high and friction
low"); drawing it over the points, coloured by which design won there, lets a
reader see how many points back it and how many it misses. The peeling
trajectory shows the trade-off the box was picked from: a smaller box is
purer (density) but holds fewer of the wins (coverage).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from orgsim.analysis.discovery import Box
from orgsim.plots.style import UNCLEAR, new_figure, scenario_colors, styled


@styled
def region_scatter(
    points: pd.DataFrame,
    regions: Mapping[str, Sequence[Box]],
    x: str,
    y: str,
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """``points`` on parameters ``x`` and ``y``, coloured by ``winner``, with each design's first box.

    ``points`` has the columns ``x``, ``y`` and ``winner`` (a design's name, or
    empty for a tie); ``regions`` maps each design to its boxes, in the
    order of ``orgsim.discover``. A side a box does not restrict spans the
    sampled range; a box that limits neither ``x`` nor ``y`` is not drawn.
    """
    names = labels or {}
    colors = scenario_colors(regions)
    figure, ax = new_figure(figsize=(11, 8))
    for design, color in [*colors.items(), ("", UNCLEAR)]:
        chosen = points[points["winner"] == design]
        label = f"{design} wins" if design else "tie"
        if not chosen.empty:
            ax.scatter(chosen[x], chosen[y], s=60, color=color, alpha=0.8, label=label)
    for (design, boxes), style in zip(regions.items(), ("-", "--"), strict=False):
        if not boxes:
            continue
        box = boxes[0]
        if not (box.limits[x].restricted or box.limits[y].restricted):
            continue  # it limits other parameters only: drawn here it would be the whole plot
        low_x, high_x = _side(box, x, points)
        low_y, high_y = _side(box, y, points)
        ax.add_patch(
            Rectangle(
                (low_x, low_y),
                high_x - low_x,
                high_y - low_y,
                fill=False,
                linestyle=style,
                linewidth=3,
                edgecolor=colors[design],
                label=f"box of {design}: it wins {box.density:.0%} of the points "
                f"inside, which are {box.coverage:.0%} of its wins",
            )
        )
    ax.set_xlabel(names.get(x, x))
    ax.set_ylabel(names.get(y, y))
    ax.set_title("Which design wins where: the two parameters that decide most")
    figure.legend(loc="outside lower center", ncols=1)
    return figure


@styled
def peeling_trajectory(regions: Mapping[str, Sequence[Box]]) -> Figure:
    """Density against coverage at every peeling step of each design's first box; the chosen step ringed."""
    colors = scenario_colors(regions)
    figure, ax = new_figure(figsize=(11, 7.5))
    for design, boxes in regions.items():
        if not boxes:
            continue
        box = boxes[0]
        steps = box.trajectory
        ax.plot(steps["coverage"], steps["density"], "-o", color=colors[design], label=design)
        ax.scatter(
            [box.coverage], [box.density], s=300, facecolors="none", edgecolors=colors[design]
        )
    ax.set_xlabel("coverage: share of the design's wins inside the box")
    ax.set_ylabel("density: share of the box's points the design wins")
    ax.set_title("PRIM's peeling trajectory: a purer box holds fewer wins")
    figure.legend(loc="outside lower center", ncols=1)
    return figure


def _side(box: Box, key: str, points: pd.DataFrame) -> tuple[float, float]:
    """The box's range on ``key``; an unrestricted side runs to the sampled extreme."""
    limit = box.limits[key]
    low = limit.low if limit.restricted_low else float(points[key].min())
    high = limit.high if limit.restricted_high else float(points[key].max())
    return low, high
