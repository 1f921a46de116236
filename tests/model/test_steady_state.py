"""The reported months start from a steady state: month 1 looks like the same month a year later."""

from __future__ import annotations

import numpy as np
import pytest
from model_helpers import monthly, shipped

REPLICATIONS = 60
STAGES = ("mqls", "sqls", "opportunities", "wins")


@pytest.fixture(scope="module")
def baseline_months():
    """Thirteen reported months of the baseline (month 13 is month 1's calendar month a year on)."""
    return monthly(shipped("sales_owns_inside_sales", {"calendar.months": 13}), REPLICATIONS)


@pytest.fixture(scope="module")
def cold_months():
    """The same, started cold: empty nurture and pipeline, no warm-up (a bias of a third: few reps)."""
    overrides = {
        "calendar.months": 13,
        "calendar.warm_up_months": 0,
        "calendar.steady_start": False,
    }
    return monthly(shipped("sales_owns_inside_sales", overrides), 10)


def first_vs_a_year_later(months: list[dict[str, np.ndarray]], stage: str) -> float:
    """Paired z of month 13 minus month 1, per replication.

    Each replication gives one difference; they are independent across
    replications, so the SE of their mean is sd / sqrt(replications).
    """
    diff = np.array([m[stage][12] - m[stage][0] for m in months])
    return float(diff.mean() / (diff.std(ddof=1) / np.sqrt(diff.size)))


@pytest.mark.parametrize("stage", STAGES)
def test_first_reported_month_agrees_with_the_same_month_a_year_later(baseline_months, stage):
    assert abs(first_vs_a_year_later(baseline_months, stage)) < 3, stage


@pytest.mark.parametrize("stage", ("mqls", "wins"))
def test_a_cold_start_fails_the_same_test(cold_months, stage):
    """The test can fail: started cold, month 1 has empty nurture and no closing deals."""
    assert first_vs_a_year_later(cold_months, stage) > 3, stage
