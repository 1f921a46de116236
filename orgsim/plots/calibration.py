"""A fit's figures: the back-test (each actual month against the posterior predictive band) and
the posterior marginals against their priors.

The back-test is the fit's honesty check: a month far outside its band is one
the fitted model does not explain, whatever the posterior says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from orgsim.kpis import KPIS, kpi_info
from orgsim.plots.export import _render
from orgsim.plots.style import OKABE_ITO, new_figure, styled, wrap
from orgsim.scenario.labels import setting_title

if TYPE_CHECKING:
    from orgsim.calibration.priors import Prior


def write_figure(figure: Figure, handle: IO[Any], fmt: str) -> None:
    """Write ``figure`` as ``fmt`` (png, svg) to an open binary file, in the orgsim style."""
    _render(figure, cast(BinaryIO, handle), fmt)


@styled
def backtest_figure(backtest: pd.DataFrame) -> Figure:
    """A panel per fitted column: the posterior predictive median and 90% band by month, and the actuals.

    ``backtest`` has rows ``column, month, actual, low, median, high``.
    """
    columns = list(pd.unique(backtest["column"]))
    ncols = min(3, len(columns))
    nrows = math.ceil(len(columns) / ncols)
    figure, axes = new_figure(nrows, ncols, figsize=(6 * ncols, 4.2 * nrows), squeeze=False)
    for ax, name in zip(axes.flat, columns, strict=False):
        rows = backtest[backtest["column"] == name]
        x = np.arange(1, len(rows) + 1)
        ax.fill_between(x, rows["low"], rows["high"], color=OKABE_ITO["blue"], alpha=0.2, lw=0)
        ax.plot(x, rows["median"], color=OKABE_ITO["blue"], label="posterior predictive median")
        ax.plot(x, rows["actual"], "o", color=OKABE_ITO["vermillion"], label="actual")
        ax.set_title(kpi_info(name).title if name in KPIS else setting_title(name))
        ax.set_xlabel("Month")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in list(axes.flat)[len(columns) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=2)
    figure.suptitle("Back-test: actuals against the posterior's 90% predictive band")
    return figure


@styled
def marginals_figure(posterior: pd.DataFrame, priors: Sequence[Prior]) -> Figure:
    """A weighted histogram per fitted parameter over its prior's range, the prior's density dashed.

    ``posterior`` is the ``posterior.csv`` table.
    """
    count = len(priors)
    figure, axes = new_figure(1, count, figsize=(6 * count, 4.5), squeeze=False)
    for ax, prior in zip(axes.flat, priors, strict=True):
        edges = np.linspace(prior.low, prior.high, 31)
        ax.hist(
            posterior[prior.key],
            bins=edges,
            weights=posterior["weight"],
            density=True,
            color=OKABE_ITO["bluish green"],
            alpha=0.8,
            label="posterior",
        )
        grid = np.linspace(prior.low, prior.high, 201)
        ax.plot(grid, prior.density(grid), color="#555555", ls="--", label="prior")
        ax.set_title(wrap(setting_title(prior.key), 30), fontsize="medium")
        ax.set_xlabel(prior.key, fontsize="small")
        ax.set_yticks([])
    handles, labels = axes.flat[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=2)
    return figure
