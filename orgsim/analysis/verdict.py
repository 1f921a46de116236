"""The one line a person reads first: what a scenario does to a KPI, how sure we are, how often.

Every word is chosen by the numbers it sits beside: "raises" or "lowers" by the
sign of the difference, "no clear difference" when the interval shown contains
zero, and "lower" or "higher" in the P statement by the direction in which the
KPI is better, so the sentence cannot contradict its own figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Literal

import pandas as pd

from orgsim.kpis import kpi_info

VERDICT_RESAMPLES = 1000
"""Bootstrap resamples behind a stated verdict: ``compare`` and the report use the same, and seed
them alike (the baseline run's seed), so one comparison reads the same in both."""

Interval = Literal["t", "bootstrap"]
"""Which interval of :func:`~orgsim.analysis.paired.paired_differences` a verdict quotes."""


def verdict(row: Mapping[Any, Any], interval: Interval = "t") -> str:
    """One sentence for a row of :func:`~orgsim.analysis.paired.paired_differences`.

    The change is relative to the baseline mean ("by 18%"); for rates stored as
    fractions it is in percentage points ("by 3.1 points"), and when the
    baseline mean is 0 it is absolute in the KPI's unit. The P statement gives
    the share of replications in which the scenario is better, worded with the
    KPI's better direction ("lower" for costs), or the share in which it is
    higher for a neutral KPI.
    """
    if interval not in ("t", "bootstrap"):
        raise ValueError(f"interval must be 't' or 'bootstrap', got {interval!r}")
    name, kpi = row["scenario"], kpi_info(row["kpi"])
    suffix = "t" if interval == "t" else "boot"
    if row["p_tie"] == 1:
        return f"{name}: no difference in {kpi.label} (equal in every replication)"
    figures = _figures(row, kpi.unit, suffix)
    if figures is None:
        pairs = int(row["n_pairs"])
        return (
            f"{name}: cannot compare {kpi.label} "
            f"(no interval from {pairs} complete pair{'' if pairs == 1 else 's'})"
        )
    kind, est, low, high = figures
    fmt = kpi.format if kind == "unit" else _percent_formatter(kind, est, low, high)
    level = f"{float(row['confidence']) * 100:g}% CI"
    if low > 0 or high < 0:
        verb = "raises" if est > 0 else "lowers"
        near, far = sorted((abs(low), abs(high)))
        change = f"{name} {verb} {kpi.label} by {fmt(abs(est))} ({level} {fmt(near)} to {fmt(far)})"
    else:
        change = (
            f"{name}: no clear difference in {kpi.label} "
            f"({_signed(est, fmt)}, {level} {_signed(low, fmt)} to {_signed(high, fmt)})"
        )
    return f"{change}; {_how_often(row)}"


def verdicts(differences: pd.DataFrame, interval: Interval = "t") -> pd.Series:
    """:func:`verdict` for every row of a paired-differences table, on the same index."""
    return pd.Series(
        [verdict(row, interval) for row in differences.to_dict("records")],
        index=differences.index,
        name="verdict",
        dtype=object,
    )


def _figures(
    row: Mapping[str, Any], unit: str, suffix: str
) -> tuple[str, float, float, float] | None:
    """The change to quote, with its interval: relative (percentage points for rates) when
    defined, else absolute in the KPI's unit; None when neither is."""
    relative = ("diff", "diff", "points") if unit == "%" else ("rel_diff", "rel", "percent")
    for column, prefix, kind in (relative, ("diff", "diff", "unit")):
        est, low, high = (
            float(row[c]) for c in (column, f"{prefix}_{suffix}_low", f"{prefix}_{suffix}_high")
        )
        if all(math.isfinite(x) for x in (est, low, high)):
            return kind, est, low, high
    return None


def _how_often(row: Mapping[str, Any]) -> str:
    if row["direction"] == "neutral":
        comparative, share = "higher", row["p_higher"]
    else:
        comparative, share = row["direction"], row["p_better"]
    ties = float(row["p_tie"])
    tie_note = f" (counting the {_share(ties)} of ties as half)" if ties > 0 else ""
    pairs, dropped = int(row["n_pairs"]), int(row["n_dropped"])
    # A KPI undefined in some replications (no wins: no cost per win) rests on fewer: say so.
    over = f"{pairs} of {pairs + dropped} replications" if dropped else "replications"
    return f"it is {comparative} in {_share(float(share))} of {over}{tie_note}"


def _share(p: float) -> str:
    """A share as a whole percentage that never rounds a rare event to 0% or a near-certainty to 100%."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{p * 100:.0f}%"


def _percent_formatter(kind: str, *values: float) -> Callable[[float], str]:
    """Fractions as percent or percentage points, with the decimals (at most 3) that give the
    smallest nonzero figure two significant digits, so a change the interval calls real
    does not print as 0%."""
    smallest = min((abs(v) * 100 for v in values if v != 0), default=1.0)
    digits = min(max(1 - math.floor(math.log10(smallest)), 0), 3)
    unit = "%" if kind == "percent" else " points"
    return lambda x: f"{x * 100:.{digits}f}{unit}"


def _signed(value: float, fmt: Callable[[float], str]) -> str:
    return f"+{fmt(value)}" if value > 0 else fmt(value)
