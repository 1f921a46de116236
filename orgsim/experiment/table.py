"""The summary a person reads at the end of a run: a dozen key KPIs, in their units.

The files hold every KPI; a terminal table that lists fifty rows hides the
few that carry the argument (volumes, cost per outcome, speed to lead, what
the SDR desk and marketing lost), so those are shown by default.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from orgsim.analysis.kpis import HEADLINE_KPI, kpi_info

KEY_KPIS = (
    "mqls",
    "sqls",
    "opportunities",
    "wins",
    "revenue",
    "cost_total",
    HEADLINE_KPI,
    "cost_per_opportunity",
    "cost_per_sql",
    "speed_to_lead_hours_median",
    "content_hours",
    "diverted_hours",
    "sdr_exits",
)
"""The KPIs the table shows unless told otherwise."""


def summary_table(summary: pd.DataFrame, kpis: Sequence[str] = KEY_KPIS) -> str:
    """``summary`` (from ``Results.summary()``) as aligned text: mean, interval, percentiles.

    An ``n`` column appears when some replications have no value for a KPI
    (cost per win with no wins), so a reader knows what the row rests on.
    """
    rows = summary.set_index("kpi").reindex([k for k in kpis if k in set(summary["kpi"])])
    if rows.empty:
        return "no completed replications"
    confidence = float(rows["confidence"].iloc[0])
    header = ["KPI", "mean", f"{confidence:.0%} CI", "p5", "p50", "p95"]
    show_n = bool((rows["n_missing"] > 0).any())
    if show_n:
        header.append("n")
    lines = [header]
    for label, row in rows.iterrows():
        name = str(label)
        interval = f"{_fmt(name, row['ci_low'])} to {_fmt(name, row['ci_high'])}"
        cells = [kpi_info(name).label, _fmt(name, row["mean"]), interval]
        cells += [_fmt(name, row[p]) for p in ("p5", "p50", "p95")]
        lines.append(cells + ([str(int(row["n"]))] if show_n else []))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in lines
    )


def _fmt(kpi: str, value: float) -> str:
    return kpi_info(kpi).format(float(value))
