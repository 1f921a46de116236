"""Paired differences between scenarios run on common random numbers.

Replication i of every scenario sees the same random draws, so the noise both
share cancels in the per-replication difference: pairing by replication gives
far narrower intervals than comparing two independent samples, and
P(better) can be read replication by replication.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from orgsim.analysis.bootstrap import bca_interval, leave_one_out_means, resampled_means
from orgsim.analysis.intervals import check_confidence, t_interval
from orgsim.analysis.summary import kpi_columns
from orgsim.kpis import Direction, kpi_info

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
    per_scenario = [
        set(ids) for _, ids in replications.groupby("scenario", sort=False)["replication"]
    ]
    common = set.intersection(*per_scenario) if per_scenario else set()  # no row: nothing pairs
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
    share of ties. A scenario's KPIs are resampled together, replication by
    replication, from a stream derived from ``seed`` and the scenario's name
    (afresh for each set of pairs that NaN values leave), so a KPI's result does
    not depend on which other KPIs are analysed.
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
        pairs = {
            kpi: (base[kpi].to_numpy(dtype=float), other[kpi].to_numpy(dtype=float))
            for kpi in columns
        }
        stream = [seed, zlib.crc32(str(scenario).encode())]
        resampled = _resampled_means_by_kpi(pairs, n_boot, stream)
        for kpi, (a, b) in pairs.items():
            direction = kpi_info(kpi).direction
            rows.append(
                {
                    "scenario": scenario,
                    "baseline": baseline,
                    "kpi": kpi,
                    "direction": direction,
                    **_compare(a, b, direction, confidence, resampled.get(kpi)),
                    "confidence": confidence,
                }
            )
    return pd.DataFrame(rows, columns=list(PAIRED_COLUMNS))


def _resampled_means_by_kpi(
    pairs: dict[str, tuple[np.ndarray, np.ndarray]], n_boot: int, stream: list[int]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per KPI, its baseline mean and mean difference in each of ``n_boot`` paired resamples.

    KPIs that keep the same pairs share resamples, so all of them cost one
    batch of draws; none for a KPI with fewer than two pairs or when
    ``n_boot`` is 0.
    """
    groups: dict[bytes, tuple[np.ndarray, list[str]]] = {}
    for kpi, (a, b) in pairs.items():
        kept = ~(np.isnan(a) | np.isnan(b))
        groups.setdefault(kept.tobytes(), (kept, []))[1].append(kpi)
    resampled = {}
    for kept, kpis in groups.values():
        if np.count_nonzero(kept) < 2 or n_boot == 0:
            continue
        a = np.column_stack([pairs[kpi][0][kept] for kpi in kpis])
        d = np.column_stack([pairs[kpi][1][kept] for kpi in kpis]) - a
        means = resampled_means(np.hstack([a, d]), n_boot, np.random.default_rng(stream))
        for column, kpi in enumerate(kpis):
            resampled[kpi] = (means[:, column], means[:, len(kpis) + column])
    return resampled


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
    resampled: tuple[np.ndarray, np.ndarray] | None,
) -> dict[str, float | int]:
    both = ~(np.isnan(a) | np.isnan(b))
    a, b = a[both], b[both]
    d = b - a
    n = d.size
    diff = t_interval(d, confidence)
    rel, rel_low, rel_high = _relative_t_interval(a, d, confidence)
    boot_low = boot_high = rel_boot_low = rel_boot_high = np.nan
    if resampled is not None:
        # A statistic that no resample can move is its own interval (BCa would give NaN).
        d_fixed = bool(np.all(d == d[0]))
        a_fixed = bool(np.all(a == a[0]))
        a_resampled, d_resampled = resampled
        a_left_out, d_left_out = leave_one_out_means(a), leave_one_out_means(d)
        boot_low, boot_high = _bca_unless_fixed(
            diff.mean, d_resampled, d_left_out, confidence, fixed=d_fixed
        )
        if np.isfinite(rel):
            with np.errstate(invalid="ignore", divide="ignore"):
                rel_resampled = d_resampled / np.abs(a_resampled)
                rel_left_out = d_left_out / np.abs(a_left_out)
            rel_boot_low, rel_boot_high = _bca_unless_fixed(
                rel,
                rel_resampled,
                rel_left_out,
                confidence,
                fixed=d_fixed and (a_fixed or d[0] == 0),
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


def _bca_unless_fixed(
    estimate: float,
    resampled: np.ndarray,
    jackknife: np.ndarray,
    confidence: float,
    fixed: bool,
) -> tuple[float, float]:
    """The paired BCa interval of a statistic, or the statistic itself when it is ``fixed``."""
    if fixed:
        return estimate, estimate
    return bca_interval(estimate, resampled, jackknife, confidence)
