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
    baseline mean is 0 it is absolute in the KPI's unit. The count that follows
    says in how many runs (paired replications) the scenario is better, worded
    with the KPI's better direction ("lower" for costs), or higher for a
    neutral KPI.
    """
    _check_interval(interval)
    name, kpi = row["scenario"], kpi_info(row["kpi"])
    if row["p_tie"] == 1:
        return f"{name}: no difference in {kpi.label} (equal in every run)"
    quoted = _quoted(row, interval)
    if quoted is None:
        pairs = int(row["n_pairs"])
        return (
            f"{name}: cannot compare {kpi.label} "
            f"(no interval from {pairs} complete pair{'' if pairs == 1 else 's'})"
        )
    fmt, est, low, high, level = quoted
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


def plain_change(
    row: Mapping[Any, Any], interval: Interval = "t", against: str | None = None
) -> str:
    """What a design does to a KPI, without its name, for a sentence that names it first.

    A cost per something reads as a price: ``costs 6.1% more per win (95% CI
    5.0% to 8.0%); cheaper in 22 of 200 runs``; any other KPI as ``raises wins
    by 4.0% (...); higher in 150 of 200 runs``. An interval that holds zero
    reads ``about the same`` / ``no clear difference``, with the signed figures.
    ``against`` names the baseline in the phrase (``... per win than Sales owns ...``).
    """
    kpi = kpi_info(row["kpi"])
    per = kpi.label.removeprefix("cost per ") if kpi.label.startswith("cost per ") else None
    better = better_word(row["kpi"])
    share = float(row["p_higher" if kpi.direction == "neutral" else "p_better"])
    if row["p_tie"] == 1:
        return f"makes no difference to {kpi.label} (equal in every run)"
    quoted = _quoted(row, interval)
    if quoted is None:
        return f"cannot be compared on {kpi.label} (too few complete pairs)"
    fmt, est, low, high, level = quoted
    if low > 0 or high < 0:
        near, far = sorted((abs(low), abs(high)))
        size = f"{fmt(abs(est))}"
        spread = f"({level} {fmt(near)} to {fmt(far)})"
        than = f" than {against}" if against else ""
        if per is not None:
            change = f"costs {size} {'more' if est > 0 else 'less'} per {per}{than} {spread}"
        else:
            verb = "raises" if est > 0 else "lowers"
            change = (
                f"{verb} {kpi.label} by {size}{' against ' + against if against else ''} {spread}"
            )
    else:
        spread = f"({_signed(est, fmt)}, {level} {_signed(low, fmt)} to {_signed(high, fmt)})"
        alike = f" as {against}" if against else ""
        lead = (
            f"costs about the same per {per}{alike}"
            if per
            else f"makes no clear difference to {kpi.label}{' against ' + against if against else ''}"
        )
        change = f"{lead} {spread}"
    return f"{change}; {better} {runs_counted(row, share)}"


def better_word(name: str) -> str:
    """The word for a run in which a design does better on KPI ``name``: ``cheaper`` for a cost
    per something, else its better direction (``higher`` for a neutral KPI)."""
    kpi = kpi_info(name)
    if kpi.label.startswith("cost per ") and kpi.direction == "lower":
        return "cheaper"
    return "higher" if kpi.direction == "neutral" else kpi.direction


def _quoted(
    row: Mapping[Any, Any], interval: Interval
) -> tuple[Callable[[float], str], float, float, float, str] | None:
    """The change to quote with its interval, its formatter and the level's words; None if none."""
    _check_interval(interval)
    unit = kpi_info(row["kpi"]).unit
    figures = _figures(row, unit, "t" if interval == "t" else "boot")
    if figures is None:
        return None
    kind, est, low, high = figures
    fmt = (
        kpi_info(row["kpi"]).format if kind == "unit" else _percent_formatter(kind, est, low, high)
    )
    return fmt, est, low, high, f"{float(row['confidence']) * 100:g}% CI"


def _check_interval(interval: str) -> None:
    if interval not in ("t", "bootstrap"):
        raise ValueError(f"interval must be 't' or 'bootstrap', got {interval!r}")


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
    """``lower in 35 of 40 runs``: whole runs, so no reader has to decode a share or a tie rule."""
    if row["direction"] == "neutral":
        comparative, share = "higher", row["p_higher"]
    else:
        comparative, share = row["direction"], row["p_better"]
    return f"{comparative} {runs_counted(row, float(share))}"


def runs_counted(row: Mapping[Any, Any], share: float) -> str:
    """``in 35 of 40 runs``, ``in 6 of 180 runs (20 without a value)``, ``..., equal in 3``.

    ``share`` is a ``p_`` column of the row, which counts a tie as half a run:
    the ties are taken out again and said as such.
    """
    pairs, dropped = int(row["n_pairs"]), int(row["n_dropped"])
    ties = round(float(row["p_tie"]) * pairs)
    counted = max(round(share * pairs - ties / 2), 0)
    words = f"in {counted} of {pairs} runs"
    if ties:
        words += f", equal in {ties}"
    if dropped:
        # A KPI undefined in some replications (no wins: no cost per win) rests on fewer: say so.
        words += f" ({dropped} without a value)"
    return words


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
