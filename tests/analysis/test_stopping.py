"""The sequential rule adds replications until the interval is narrow enough, and no further."""

import math

import numpy as np
import pytest
from scipy import stats

from orgsim.analysis.stopping import relative_half_width, replications_needed


def cost_per_opportunity(mean: float = 2000.0, sd: float = 400.0):
    """A draw function that gives replication i the same value however batches are cut."""
    calls: list[tuple[int, int]] = []

    def draw(start: int, count: int) -> np.ndarray:
        calls.append((start, count))
        return np.array(
            [np.random.default_rng([5, i]).normal(mean, sd) for i in range(start, start + count)]
        )

    return draw, calls


def test_relative_half_width_is_the_t_half_width_over_the_mean():
    x = np.array([9.0, 10.0, 11.0, 12.0])
    half = stats.t.ppf(0.975, 3) * stats.sem(x)
    assert relative_half_width(x) == pytest.approx(half / x.mean())


def test_relative_half_width_cannot_be_met_around_a_zero_mean():
    assert relative_half_width([-1.0, 1.0]) == math.inf


def test_it_stops_at_the_first_batch_that_meets_the_target():
    draw, _ = cost_per_opportunity()
    result = replications_needed(draw, 0.02, min_replications=30, batch_size=25)
    # About (1.96 * 400 / (0.02 * 2000))^2 = 384 are needed. The sample sd at n ~ 384 is off
    # by 1/sqrt(2n) ~ 3.6% (one sd), so n by ~7%: within 3 sd, 21%, plus one batch past it.
    needed = (stats.norm.ppf(0.975) * 400 / (0.02 * 2000)) ** 2
    assert result.converged
    assert 0.79 * needed <= result.replications <= 1.21 * needed + 25
    assert result.relative_half_width <= 0.02
    assert relative_half_width(result.values[: result.replications - 25]) > 0.02
    assert result.relative_half_width == relative_half_width(result.values)


def test_it_reports_every_replication_it_drew_in_order():
    draw, calls = cost_per_opportunity()
    result = replications_needed(draw, 0.02, min_replications=30, batch_size=25)
    assert calls[0] == (0, 30)
    assert all(start == sum(c for _, c in calls[:i]) for i, (start, _) in enumerate(calls))
    assert result.replications == len(result.values) == sum(c for _, c in calls)
    np.testing.assert_array_equal(result.values, draw(0, result.replications))
    assert result.interval.n == result.replications


def test_an_easy_target_stops_at_the_minimum():
    draw, calls = cost_per_opportunity()
    result = replications_needed(draw, 0.5, min_replications=40)
    assert (result.replications, result.converged, calls) == (40, True, [(0, 40)])


def test_it_never_runs_past_the_maximum_and_says_it_did_not_converge():
    draw, calls = cost_per_opportunity()
    result = replications_needed(
        draw, 0.001, min_replications=30, max_replications=120, batch_size=50
    )
    assert (result.replications, result.converged) == (120, False)
    assert calls == [(0, 30), (30, 50), (80, 40)]
    assert result.relative_half_width > 0.001


def test_nan_replications_are_left_out_of_the_precision():
    def draw(start: int, count: int) -> np.ndarray:
        values = np.full(count, 100.0) + np.arange(start, start + count) % 3
        values[::10] = np.nan
        return values

    result = replications_needed(draw, 0.05, min_replications=30)
    assert result.converged
    assert result.interval.n_missing == 3


def test_a_draw_of_the_wrong_length_is_an_error():
    with pytest.raises(ValueError, match=r"draw\(0, 30\) returned 29 values"):
        replications_needed(lambda start, count: np.ones(count - 1), 0.1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": 0.0}, "target relative half-width must be positive"),
        ({"target": 0.1, "min_replications": 1}, "need 2 <= min_replications"),
        (
            {"target": 0.1, "min_replications": 50, "max_replications": 40},
            "need 2 <= min_replications",
        ),
        ({"target": 0.1, "batch_size": 0}, "batch_size must be at least 1"),
        ({"target": 0.1, "confidence": 95}, "confidence must be between 0 and 1"),
    ],
)
def test_settings_that_cannot_work_are_rejected(kwargs, message):
    draw, _ = cost_per_opportunity()
    with pytest.raises(ValueError, match=message):
        replications_needed(draw, **kwargs)
