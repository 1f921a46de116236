"""Figures a room can read: one function per figure, each taking pandas tables, returning a Figure.

Every function draws on a fresh :class:`matplotlib.figure.Figure` inside the
orgsim style (``matplotlib.rc_context``), so it works headless (Agg), in
notebooks and in scripts, and leaves pyplot and global rcParams alone. None
of them runs a simulation or computes an interval itself: statistics come
from :mod:`orgsim.analysis`.
"""

from orgsim.plots.discovery import peeling_trajectory, region_scatter
from orgsim.plots.distributions import kpi_distributions
from orgsim.plots.export import png_bytes, save_figure
from orgsim.plots.forest import paired_forest
from orgsim.plots.funnel import funnel
from orgsim.plots.gallery import FigureSpec, standard_figures
from orgsim.plots.monthly import monthly_band
from orgsim.plots.optimization import optimization_trials
from orgsim.plots.sweep import sweep_curve
from orgsim.plots.team import manager_hours, sdr_seats
from orgsim.plots.tornado import TORNADO_COLUMNS, tornado
from orgsim.plots.waterfall import contributions_waterfall

__all__ = [
    "TORNADO_COLUMNS",
    "FigureSpec",
    "contributions_waterfall",
    "funnel",
    "kpi_distributions",
    "manager_hours",
    "monthly_band",
    "optimization_trials",
    "paired_forest",
    "peeling_trajectory",
    "png_bytes",
    "region_scatter",
    "save_figure",
    "sdr_seats",
    "standard_figures",
    "sweep_curve",
    "tornado",
]
