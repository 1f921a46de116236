"""The SDR team over time: the manager hours it was planned and got, and the seats it kept filled.

These are the first article's warnings drawn month by month: a marketing
leader planning a quarter of her week for the team and spending the majority,
and reps leaving faster under weaker coaching while their seats stay empty
for the weeks a backfill takes.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from orgsim.plots.monthly import band_legend_entry, draw_bands
from orgsim.plots.style import INK, new_figure, styled, unit_formatter

DASH = 5.0
"""Length of one scenario's dash on a planned-hours line, in line widths."""

GAP = 3.0
"""Gap after each round of scenario dashes, so the line still reads as dashed."""


@styled
def manager_hours(monthly: pd.DataFrame) -> Figure:
    """Manager hours on the SDR team per month, planned (dashed) and spent (solid), per scenario.

    ``monthly`` needs ``scenario``, ``replication``, ``month``,
    ``manager_hours_sdr_planned`` and ``manager_hours_sdr_spent``. Lines are
    medians over replications; the band is the spent hours' 5th-95th percentile.
    """
    figure, ax = new_figure(figsize=(12, 7.5))
    draw_bands(ax, monthly, "manager_hours_sdr_spent")
    scenario_handles, _ = ax.get_legend_handles_labels()
    for line, handle in zip(_planned_lines(ax, monthly), scenario_handles, strict=True):
        line.set_color(handle.get_color())
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
    ax.set_ylabel("Manager hours on SDRs per month")
    ax.yaxis.set_major_formatter(unit_formatter("hours"))
    ax.set_title("SDR manager hours: planned vs spent")
    styles = [
        Line2D([], [], color=INK, linestyle="--", label="Planned"),
        Line2D([], [], color=INK, marker="o", label="Spent (median)"),
        band_legend_entry(),
    ]
    figure.legend(handles=scenario_handles, loc="outside lower left", ncols=1, fontsize=13)
    figure.legend(handles=styles, loc="outside lower right", ncols=1, fontsize=13)
    return figure


def _planned_lines(ax: Axes, monthly: pd.DataFrame) -> list[Line2D]:
    """The planned hours' median per scenario as dashed lines, returned for colouring.

    Scenarios with the same plan draw the same line, so their dashes take
    turns along it: each colour shows instead of the last one drawn hiding the rest.
    """
    medians = monthly.groupby(["scenario", "month"], sort=False)["manager_hours_sdr_planned"]
    planned = medians.median().reset_index().sort_values("month", kind="stable")
    count = planned["scenario"].nunique()
    return [
        ax.plot(
            rows["month"],
            rows["manager_hours_sdr_planned"],
            linestyle=(DASH * i, (DASH, DASH * (count - 1) + GAP)),
            linewidth=2.5,
        )[0]
        for i, (_, rows) in enumerate(planned.groupby("scenario", sort=False))
    ]


@styled
def sdr_seats(monthly: pd.DataFrame) -> Figure:
    """Filled SDR seats (top) and vacant seats (bottom) by month, median and band per scenario.

    ``monthly`` needs ``scenario``, ``replication``, ``month``,
    ``sdr_filled_seats`` and ``sdr_vacant_seat_months`` (seat-months vacant in
    the month, i.e. the month's average number of empty seats).
    """
    figure, (filled, vacant) = new_figure(2, 1, figsize=(12, 9), sharex=True)
    draw_bands(filled, monthly, "sdr_filled_seats")
    draw_bands(vacant, monthly, "sdr_vacant_seat_months")
    filled.set_ylabel("Filled seats")
    vacant.set_ylabel("Vacant seats")
    for ax in (filled, vacant):
        ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
        ax.yaxis.set_major_formatter(unit_formatter("count"))
    filled.set_xlabel("")
    filled.set_title("SDR seats: filled and vacant (monthly average)")
    handles, _ = filled.get_legend_handles_labels()
    figure.legend(
        handles=[*handles, band_legend_entry()], loc="outside lower center", ncols=2, fontsize=13
    )
    return figure
