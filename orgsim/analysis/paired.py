"""Paired differences between scenarios run on common random numbers.

Replication i of every scenario sees the same random draws, so the noise both
share cancels in the per-replication difference: pairing by replication gives
far narrower intervals than comparing two independent samples, and
P(better) can be read replication by replication.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from orgsim.analysis.intervals import check_confidence, t_interval
from orgsim.analysis.kpis import Direction, kpi_info
from orgsim.analysis.summary import kpi_columns

PAIRED_COLUMNS = (
    "scenario",
    "baseline",
    "kpi",
    "direction",
    "n_pairs",
    "n_dropped",
    "baseline_mean",
    "scenario_mean",
    "diff",
    "diff_sem",
    "diff_t_low",
    "diff_t_high",
    "diff_boot_low",
    "diff_boot_high",
    "rel_diff",
    "rel_t_low",
    "rel_t_high",
    "rel_boot_low",
    "rel_boot_high",
    "p_better",
    "p_higher",
    "p_tie",
    "confidence",
)
"""Columns of :func:`paired_differences`, in order."""

_SHOWN = 5
"""How many unmatched replication numbers an error message lists."""


def shared_replications(replications: pd.DataFrame) -> pd.DataFrame:
    """The rows whose replication number every scenario has: what can be paired.

    A replication that failed in one design, or runs of different lengths,
    leave some rows unpaired; ``paired_differences`` needs them gone.
    """
    per_scenario = replications.groupby("scenario", sort=False)["replication"]
    common = set.intersection(*(set(ids) for _, ids in per_scenario))
    return replications[replications["replication"].isin(common)]


def paired_differences(
    replications: pd.DataFrame,
    baseline: str,
    kpis: Sequence[str] | None = None,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Every other scenario against ``baseline``, KPI by KPI, paired by ``replication``.

    ``diff`` is scenario minus baseline over the pairs where both values are
    present (``n_dropped`` counts the others), with a t interval and a paired
    BCa bootstrap interval (replication indices resampled). ``rel_diff`` is
    ``diff / |baseline_mean|``, so its sign is the difference's, with a
    delta-method t interval and a bootstrap interval of that ratio of means; it
    is NaN when the baseline mean is 0. ``p_higher`` is the share of pairs where
    the scenario is higher, ``p_better`` the share where it is better under the
    KPI's direction (NaN for neutral KPIs), ties counting half; ``p_tie`` is the
    share of ties. Each (scenario, KPI) bootstrap has its own stream derived
    from ``seed`` and the two names, so a result does not depend on which other
    KPIs are analysed.
    """
    check_confidence(confidence)
    if n_boot < 0:
        raise ValueError(f"n_boot must be 0 (no bootstrap) or more, got {n_boot}")
    columns = kpi_columns(replications, kpis)
    by_scenario = {
        scenario: _indexed_by_replication(table, scenario)
        for scenario, table in replications.groupby("scenario", sort=False)
    }
    if baseline not in by_scenario:
        raise ValueError(
            f"baseline {baseline!r} is not a scenario of the table: {list(by_scenario)}"
        )
    base = by_scenario[baseline]
    rows = []
    for scenario, other in by_scenario.items():
        if scenario == baseline:
            continue
        _check_same_replications(base.index, other.index, baseline, scenario)
        for kpi in columns:
            rng = np.random.default_rng(
                [seed, zlib.crc32(str(scenario).encode()), zlib.crc32(kpi.encode())]
            )
            direction = kpi_info(kpi).direction
            a = base[kpi].to_numpy(dtype=float)
            b = other[kpi].to_numpy(dtype=float)
            rows.append(
                {
                    "scenario": scenario,
                    "baseline": baseline,
                    "kpi": kpi,
                    "direction": direction,
                    **_compare(a, b, direction, confidence, n_boot, rng),
                    "confidence": confidence,
                }
            )
    return pd.DataFrame(rows, columns=list(PAIRED_COLUMNS))


def _indexed_by_replication(table: pd.DataFrame, scenario: object) -> pd.DataFrame:
    repeated = table["replication"][table["replication"].duplicated()]
    if len(repeated):
        raise ValueError(
            f"scenario {scenario!r} has replication(s) {sorted(set(repeated))[:_SHOWN]} "
            "more than once; each replication must appear once per scenario"
        )
    return table.set_index("replication").sort_index()


def _check_same_replications(
    base: pd.Index, other: pd.Index, baseline: str, scenario: object
) -> None:
    if base.equals(other):
        return
    only_base = sorted(set(base) - set(other))[:_SHOWN]
    only_other = sorted(set(other) - set(base))[:_SHOWN]
    raise ValueError(
        f"cannot pair scenario {scenario!r} with baseline {baseline!r}: their replications "
        f"differ (only in baseline: {only_base}; only in {scenario!r}: {only_other}). "
        "Paired comparison needs replication i of both, run on the same random numbers."
    )


def _compare(
    a: np.ndarray,
    b: np.ndarray,
    direction: Direction,
    confidence: float,
    n_boot: int,
    rng: np.random.Generator,
) -> dict[str, float | int]:
    both = ~(np.isnan(a) | np.isnan(b))
    a, b = a[both], b[both]
    d = b - a
    n = d.size
    diff = t_interval(d, confidence)
    rel, rel_low, rel_high = _relative_t_interval(a, d, confidence)
    # A statistic that no resample can move is its own interval (BCa would give NaN).
    d_fixed = bool(n) and bool(np.all(d == d[0]))
    a_fixed = bool(n) and bool(np.all(a == a[0]))
    boot_low, boot_high = _bootstrap(_mean_difference, a, b, confidence, n_boot, rng, fixed=d_fixed)
    rel_boot_low, rel_boot_high = (
        _bootstrap(
            _relative_difference,
            a,
            b,
            confidence,
            n_boot,
            rng,
            fixed=d_fixed and (a_fixed or d[0] == 0),
        )
        if np.isfinite(rel)
        else (np.nan, np.nan)
    )
    if n:
        ties = np.count_nonzero(d == 0)
        tie = ties / n
        p_higher = (np.count_nonzero(d > 0) + ties / 2) / n
        p_lower = (np.count_nonzero(d < 0) + ties / 2) / n
        p_better = {"higher": p_higher, "lower": p_lower}.get(direction, np.nan)
    else:
        p_higher = p_better = tie = np.nan
    return {
        "n_pairs": n,
        "n_dropped": both.size - n,
        "baseline_mean": float(a.mean()) if n else np.nan,
        "scenario_mean": float(b.mean()) if n else np.nan,
        "diff": diff.mean,
        "diff_sem": diff.sem,
        "diff_t_low": diff.low,
        "diff_t_high": diff.high,
        "diff_boot_low": boot_low,
        "diff_boot_high": boot_high,
        "rel_diff": rel,
        "rel_t_low": rel_low,
        "rel_t_high": rel_high,
        "rel_boot_low": rel_boot_low,
        "rel_boot_high": rel_boot_high,
        "p_better": p_better,
        "p_higher": p_higher,
        "p_tie": tie,
    }


def _relative_t_interval(
    a: np.ndarray, d: np.ndarray, confidence: float
) -> tuple[float, float, float]:
    """``mean(d) / |mean(a)|`` with a delta-method t interval.

    The ratio's linearisation ``(d_i - r * a_i) / mean(a)`` (signs folded so the
    denominator is positive) has the ratio's standard error as its own.
    """
    scale = float(a.mean()) if a.size else np.nan
    if not np.isfinite(scale) or scale == 0:
        return np.nan, np.nan, np.nan
    a = a * np.sign(scale)
    rel = float(d.mean()) / abs(scale)
    spread = t_interval((d - rel * a) / abs(scale), confidence)
    return rel, rel - spread.half_width, rel + spread.half_width


def _mean_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(b - a, axis=axis)


def _relative_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(b - a, axis=axis) / np.abs(np.mean(a, axis=axis))


def _bootstrap(
    statistic: Callable[..., np.ndarray],
    a: np.ndarray,
    b: np.ndarray,
    confidence: float,
    n_boot: int,
    rng: np.random.Generator,
    fixed: bool,
) -> tuple[float, float]:
    """Paired BCa interval of ``statistic(a, b)``, or the statistic itself when it is ``fixed``.

    ``n_boot=0`` skips the bootstrap (NaN interval): live views that quote the
    t interval need not pay for it.
    """
    if a.size < 2 or n_boot == 0:
        return np.nan, np.nan
    if fixed:
        value = float(statistic(a, b))
        return value, value
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        # BCa warns and returns NaN when the bootstrap distribution is degenerate
        # (a KPI that barely varies between pairs); NaN says it.
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.bootstrap(
            (a, b),
            statistic,
            n_resamples=n_boot,
            paired=True,
            vectorized=True,
            confidence_level=confidence,
            random_state=rng,
        )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)
