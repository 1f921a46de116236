"""The paired bootstrap in O(n) is scipy's BCa on the same resamples, computed from sums."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from orgsim.analysis import bootstrap
from orgsim.analysis.bootstrap import bca_interval, leave_one_out_means, resampled_means
from orgsim.analysis.paired import paired_differences

N_BOOT = 999


def mean_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(b - a, axis=axis)


def relative_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(b - a, axis=axis) / np.abs(np.mean(a, axis=axis))


def scipy_bca(statistic, a: np.ndarray, b: np.ndarray, seed: object) -> tuple[float, float]:
    """scipy's paired BCa interval, its resamples drawn from a generator of ``seed``."""
    interval = stats.bootstrap(
        (a, b),
        statistic,
        n_resamples=N_BOOT,
        paired=True,
        vectorized=True,
        method="BCa",
        random_state=np.random.default_rng(seed),
    ).confidence_interval
    return interval.low, interval.high


def skewed_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Skewed, correlated pairs: BCa's bias and acceleration corrections both matter."""
    rng = np.random.default_rng(n)
    a = rng.gamma(2.0, 10.0, n)
    return a, a * rng.lognormal(0.1, 0.3, n)


# From a dozen pairs up: with fewer, resamples that repeat the sample itself are common, and
# whether one falls below the estimate (BCa's bias) is decided by rounding, in scipy as here.
@pytest.mark.parametrize("n", [12, 20, 40, 300])
def test_intervals_of_a_mean_difference_and_a_ratio_of_means_are_scipys_bca(n: int) -> None:
    a, b = skewed_pairs(n)
    d = b - a
    means = resampled_means(np.column_stack([a, d]), N_BOOT, np.random.default_rng(5))
    a_left_out, d_left_out = leave_one_out_means(a), leave_one_out_means(d)
    diff = bca_interval(d.mean(), means[:, 1], d_left_out, 0.95)
    rel = bca_interval(
        d.mean() / abs(a.mean()),
        means[:, 1] / np.abs(means[:, 0]),
        d_left_out / np.abs(a_left_out),
        0.95,
    )
    np.testing.assert_allclose(diff, scipy_bca(mean_difference, a, b, 5), rtol=1e-9)
    np.testing.assert_allclose(rel, scipy_bca(relative_difference, a, b, 5), rtol=1e-9)


def test_paired_differences_quotes_scipys_bca_on_the_scenarios_stream() -> None:
    a, b = skewed_pairs(60)
    replications = pd.concat(
        [
            pd.DataFrame({"scenario": name, "replication": np.arange(60), "revenue": values})
            for name, values in (("A", a), ("B", b))
        ]
    )
    row = paired_differences(replications, "A", n_boot=N_BOOT, seed=3).iloc[0]
    stream = [3, zlib.crc32(b"B")]
    np.testing.assert_allclose(
        [row.diff_boot_low, row.diff_boot_high],
        scipy_bca(mean_difference, a, b, stream),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        [row.rel_boot_low, row.rel_boot_high],
        scipy_bca(relative_difference, a, b, stream),
        rtol=1e-9,
    )


def test_leave_one_out_means_are_the_means_without_each_row() -> None:
    values = np.random.default_rng(1).normal(size=(7, 3))
    expected = [np.delete(values, i, axis=0).mean(axis=0) for i in range(7)]
    np.testing.assert_allclose(leave_one_out_means(values), expected, rtol=1e-13)


def test_batches_of_resamples_leave_the_resampled_means_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = np.random.default_rng(2).normal(size=(50, 4))
    whole = resampled_means(values, 101, np.random.default_rng(9))
    monkeypatch.setattr(bootstrap, "RESAMPLE_CELLS", 3 * 50)  # 34 batches, the last of 2
    batched = resampled_means(values, 101, np.random.default_rng(9))
    np.testing.assert_allclose(batched, whole, rtol=1e-13)


def test_a_statistic_whose_jackknife_does_not_vary_has_no_bca_interval() -> None:
    """As scipy's: the acceleration is 0 / 0."""
    resampled = np.random.default_rng(3).normal(size=N_BOOT)
    assert np.isnan(bca_interval(0.0, resampled, np.ones(10), 0.95)).all()


def test_resamples_equal_to_the_estimate_count_half_below_it() -> None:
    """As scipy's: a symmetric distribution with mass at the estimate has no bias to correct."""
    tail = np.linspace(1.0, 2.0, 300)
    resampled = np.concatenate([-tail, np.zeros(399), tail])
    low, high = bca_interval(0.0, resampled, np.array([-1.0, 1.0]), 0.95)
    assert low == pytest.approx(-high) and low < 0
