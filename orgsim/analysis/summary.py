"""Per-scenario KPI distributions: the mean with its t interval, and the spread across replications.

The interval says how well the Monte Carlo run pins down the expected KPI; the
percentiles say how much one real year could differ from it. Executives need
both, so both sit in one tidy table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from orgsim.analysis.intervals import check_confidence, t_interval

ID_COLUMNS = ("scenario", "replication")
"""Columns of a replications table that are not KPIs."""

SUMMARY_COLUMNS = (
    "scenario",
    "kpi",
    "n",
    "n_missing",
    "mean",
    "sd",
    "sem",
    "ci_low",
    "ci_high",
    "p5",
    "p50",
    "p95",
    "confidence",
)
"""Columns of :func:`summarize`, in order."""


def kpi_columns(replications: pd.DataFrame, kpis: Sequence[str] | None = None) -> list[str]:
    """The KPI columns to analyse: ``kpis`` if given (checked), else every numeric non-id column."""
    missing = {"scenario", "replication"} - set(replications.columns)
    if missing:
        raise ValueError(f"replications table lacks column(s) {sorted(missing)}")
    if kpis is None:
        return [
            c
            for c in replications.columns
            if c not in ID_COLUMNS and pd.api.types.is_numeric_dtype(replications[c])
        ]
    unknown = [k for k in kpis if k not in replications.columns or k in ID_COLUMNS]
    if unknown:
        raise ValueError(f"not KPI columns of the replications table: {unknown}")
    return list(kpis)


def summarize(
    replications: pd.DataFrame, confidence: float = 0.95, kpis: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per scenario and KPI: n, mean, sd, sem, t interval and the 5/50/95th percentiles.

    NaN replications are left out of every statistic of that KPI and counted in
    ``n_missing``. Scenarios keep their order of first appearance and KPIs their
    column order, so the table reads in the order the run was set up.
    """
    check_confidence(confidence)
    columns = kpi_columns(replications, kpis)
    rows = []
    for scenario, table in replications.groupby("scenario", sort=False):
        for kpi in columns:
            values = table[kpi].to_numpy(dtype=float)
            interval = t_interval(values, confidence)
            p5, p50, p95 = np.nanpercentile(values, [5, 50, 95]) if interval.n else (np.nan,) * 3
            rows.append(
                (
                    scenario,
                    kpi,
                    interval.n,
                    interval.n_missing,
                    interval.mean,
                    interval.sd,
                    interval.sem,
                    interval.low,
                    interval.high,
                    p5,
                    p50,
                    p95,
                    confidence,
                )
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def summary_to_dict(summary: pd.DataFrame) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """``{scenario: {kpi: {statistic: value}}}`` for ``summary.json``; NaN and inf become ``None``.

    JSON has neither, and writing them anyway yields files other tools reject.
    """
    nested: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for row in summary.to_dict("records"):
        stats = {
            str(key): _json_number(value)
            for key, value in row.items()
            if key not in ("scenario", "kpi")
        }
        nested.setdefault(str(row["scenario"]), {})[str(row["kpi"])] = stats
    return nested


def _json_number(value: object) -> float | int | None:
    if isinstance(value, (int, np.integer)):
        return int(value)
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None
