"""What the page shows of a run so far: the verdict line, the means and the figure.

Every number comes from :mod:`orgsim.analysis` on the replications every
scenario of the step has finished (paired, common random numbers), so a
partial view is an honest smaller sample of the final one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pandas as pd

from orgsim.analysis import HEADLINE_KPI, kpi_info, paired_differences, summarize, verdicts
from orgsim.kpis import WORKSHOP_KPIS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from orgsim.experiment.discover import Discovery
    from orgsim.experiment.explain import Explanation

N_BOOT = 0
"""No bootstrap: the live verdict quotes the t interval, recomputed at every poll."""

_render_lock = threading.Lock()


def summary(replications: pd.DataFrame, seed: int) -> dict[str, Any]:
    """The verdict line(s) and means of ``replications``, JSON-ready.

    ``rows`` are the page's rows, in order, with their labels; ``printed`` the
    means as the registry prints them, so the page formats nothing itself.
    """
    names = list(dict.fromkeys(replications["scenario"]))
    shown = len(replications) // max(len(names), 1)
    page_rows = [{"kpi": kpi, "label": kpi_info(kpi).title} for kpi in WORKSHOP_KPIS]
    if shown < 2:
        return {
            "shown": shown,
            "verdict": "",
            "verdicts": [],
            "means": {},
            "printed": {},
            "rows": page_rows,
        }
    table = summarize(replications, kpis=list(WORKSHOP_KPIS))
    means = {
        str(name): dict(zip(rows["kpi"], rows["mean"].astype(float), strict=True))
        for name, rows in table.groupby("scenario", sort=False)
    }
    printed = {
        name: {kpi: kpi_info(kpi).format(mean) for kpi, mean in values.items()}
        for name, values in means.items()
    }
    if len(names) == 1:
        row = table[table["kpi"] == HEADLINE_KPI].iloc[0]
        info = kpi_info(HEADLINE_KPI)
        lines = [
            f"{names[0]}: {info.label} {info.format(row['mean'])} "
            f"(95% CI {info.format(row['ci_low'])} to {info.format(row['ci_high'])})"
        ]
    else:
        differences = paired_differences(
            replications, names[0], list(WORKSHOP_KPIS[:3]), n_boot=N_BOOT, seed=seed
        )
        lines = verdicts(differences).tolist()
    return {
        "shown": shown,
        "verdict": lines[0],
        "verdicts": lines,
        "means": means,
        "printed": printed,
        "rows": page_rows,
    }


FIGURES = ("distributions", "funnel", "monthly")
"""The page's figures: the distributions redraw as replications arrive, the others once, at the end."""


WIDTHS = range(480, 3841, 160)
"""Pixel widths a figure is drawn at: the page asks for the width it shows the image at (times
the screen's pixel ratio), rounded to this grid so a resize does not draw every pixel count."""

DEFAULT_WIDTH = 960


def figure_width(asked: str | None) -> int:
    """The drawn width for a page's ``width`` query: the nearest of :data:`WIDTHS`."""
    if asked is None or not asked.isdigit() or len(asked) > 5:
        return DEFAULT_WIDTH
    return min(WIDTHS, key=lambda width: abs(width - int(asked)))


def figure_png(
    name: str, replications: pd.DataFrame, monthly: pd.DataFrame, width: int = DEFAULT_WIDTH
) -> bytes:
    """Figure ``name`` of :data:`FIGURES` as a PNG ``width`` pixels wide, drawn by :mod:`orgsim.plots`.

    The dpi follows the width the page shows it at, so the image is sharp on a
    projector and its type keeps the size the plots' style gives it relative to
    the figure, never shrunk by the browser. Rendering is serialized:
    matplotlib's style contexts are process-global.
    """
    from orgsim.plots import funnel, kpi_distributions, monthly_band

    with _render_lock:
        if name == "funnel":
            figure = funnel(replications)
        elif name == "monthly":
            figure = monthly_band(monthly, "sqls")
        else:
            figure = kpi_distributions(replications, kpi=HEADLINE_KPI)
        return _png(figure, width)


def waterfall_png(explanation: Explanation, width: int = DEFAULT_WIDTH) -> bytes:
    """The explain waterfall of ``explanation`` as a PNG ``width`` pixels wide."""
    from orgsim.plots import contributions_waterfall

    with _render_lock:
        figure = contributions_waterfall(
            explanation.table(), explanation.total, kpi=explanation.kpi
        )
        return _png(figure, width)


def regions_png(discovery: Discovery, width: int = DEFAULT_WIDTH) -> bytes:
    """``orgsim discover``'s boxes over the points, on the two parameters that decide most, as a
    PNG ``width`` pixels wide; ``ValueError`` with fewer than two parameters."""
    from orgsim.plots import region_scatter

    if len(discovery.parameters) < 2:
        raise ValueError("the boxes are drawn over two parameters; this discovery varies one")
    x, y = discovery.most_important(2)
    with _render_lock:
        figure = region_scatter(discovery.points, discovery.regions, x, y, discovery.labels)
        return _png(figure, width)


def _png(figure: Figure, width: int) -> bytes:
    from orgsim.plots import png_bytes

    return png_bytes(figure, dpi=width / figure.get_figwidth())
