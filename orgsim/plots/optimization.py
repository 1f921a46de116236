"""What the search tried: each trial's KPI mean with its error, feasible or not, and the candidates.

The picture shows whether the search settled (later trials near the best)
and how far apart the candidates handed to ranking and selection were,
measured against the noise of a trial's mean.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from orgsim.analysis import kpi_info
from orgsim.plots.style import (
    BETTER,
    NEUTRAL,
    UNCLEAR,
    axis_label,
    new_figure,
    styled,
    unit_formatter,
)


@styled
def optimization_trials(trials: pd.DataFrame, kpi: str) -> Figure:
    """``kpi``'s mean (± one standard error) per trial; infeasible hollow, candidates highlighted.

    ``trials`` is ``Optimization.trials``: columns ``trial``, ``kpi``,
    ``{kpi}_se``, ``feasible`` and ``candidate``. The line is the best
    feasible mean so far.
    """
    figure, ax = new_figure(figsize=(12, 7))
    groups = [
        (~trials["feasible"], "misses a constraint on average", "none", UNCLEAR),
        (trials["feasible"] & ~trials["candidate"], "feasible", NEUTRAL, NEUTRAL),
        (trials["candidate"], "candidate for ranking and selection", BETTER, BETTER),
    ]
    for rows, label, face, edge in groups:
        chosen = trials[rows]
        if chosen.empty:
            continue
        ax.errorbar(chosen["trial"], chosen[kpi], yerr=chosen[f"{kpi}_se"], fmt="none", ecolor=edge)
        ax.scatter(chosen["trial"], chosen[kpi], s=90, facecolors=face, edgecolors=edge,
                   label=label)  # fmt: skip
    best = trials[kpi].where(trials["feasible"]).cummin().ffill()
    ax.step(trials["trial"], best, where="post", color=BETTER, alpha=0.6, label="best so far")
    ax.set_xlabel("trial")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(axis_label(kpi))
    ax.yaxis.set_major_formatter(unit_formatter(kpi_info(kpi).unit))
    ax.set_title(f"The search: {kpi_info(kpi).label} of each trial")
    figure.legend(loc="outside lower center", ncols=2)
    return figure
