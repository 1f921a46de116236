"""Outbound dialing: a day's meetings are binomial in the dials, drawn by inversion."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from orgsim.model.outbound import binomial_quantile, meetings_booked
from orgsim.scenario.schema import Outbound


@pytest.mark.parametrize(("n", "p"), [(48, 1 / 75), (48, 0.4), (300, 0.9), (1, 0.5), (5000, 0.5)])
def test_the_inversion_is_the_binomial_quantile(n: int, p: float) -> None:
    """Same as SciPy's binomial quantile, away from ties at a cumulative probability."""
    uniforms = np.random.default_rng(1).random(500)
    expected = binom.ppf(uniforms, n, p)
    near_a_step = np.isclose(binom.cdf(expected, n, p), uniforms, rtol=0, atol=1e-9)
    ours = np.array([binomial_quantile(n, p, u) for u in uniforms])
    np.testing.assert_array_equal(ours[~near_a_step], expected[~near_a_step])


def test_edge_chances_book_nothing_or_every_dial() -> None:
    assert binomial_quantile(50, 0.0, 0.99) == 0
    assert binomial_quantile(0, 0.3, 0.99) == 0
    assert binomial_quantile(50, 1.0, 0.01) == 50


def test_a_teams_meetings_average_dials_over_dials_per_meeting() -> None:
    """Eight SDRs, six hours each, 2,000 days: the mean is n*p within 3 standard errors."""
    outbound = Outbound()
    hours, skill = [6.0] * 8, [1.0] * 8
    rng = np.random.default_rng(7)
    days = np.array([meetings_booked(hours, skill, outbound, rng) for _ in range(2000)])
    dials = 8 * int(6.0 * outbound.dials_per_hour)
    p = 1.0 / outbound.dials_per_meeting
    standard_error = np.sqrt(dials * p * (1 - p) / days.size)
    assert abs(days.mean() - dials * p) < 3 * standard_error
