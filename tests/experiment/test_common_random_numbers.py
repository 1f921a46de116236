"""Replication i of every scenario draws the same random numbers, so differences are paired."""

from __future__ import annotations

import pandas as pd

import orgsim

PAIRS = 30

PAIRED_VARIANCE_RATIO_LIMIT = 0.25
"""Largest var(paired differences) / var(unpaired differences) accepted as "well below".

The ratio is 1 - correlation when both scenarios vary alike, so 0.25 asks pairing
to cut the variance at least fourfold (correlation above 0.75). For SQLs the
ratio measured 0.04 to 0.07 over three seeds at 40 pairs; a ratio of two sample
variances with 29 degrees of freedom each stays within a factor 2.7 of its true
value 99% of the time (F quantile), so 0.07 x 2.7 = 0.19 leaves room below 0.25.
"""


def test_pairing_removes_most_of_the_variance_of_a_difference(baseline, baseline_path):
    spend = baseline.demand.program_spend_per_month
    richer = orgsim.load(baseline_path, {"demand.program_spend_per_month": spend * 1.1})

    a = orgsim.simulate(baseline, replications=PAIRS, seed=7, workers=1).replications
    b = orgsim.simulate(richer, replications=PAIRS, seed=7, workers=1).replications

    paired = (b["sqls"] - a["sqls"]).var(ddof=1)
    unpaired = a["sqls"].var(ddof=1) + b["sqls"].var(ddof=1)
    # Measured at seed 7 with 30 pairs: paired / unpaired = 0.030 (a 33-fold reduction).
    assert paired / unpaired < PAIRED_VARIANCE_RATIO_LIMIT


def test_same_seed_same_numbers_other_seed_other_numbers(quarter):
    first = orgsim.simulate(quarter, replications=3, seed=11, workers=1).replications
    again = orgsim.simulate(quarter, replications=3, seed=11, workers=1).replications
    other = orgsim.simulate(quarter, replications=3, seed=12, workers=1).replications

    pd.testing.assert_frame_equal(first, again, check_exact=True)
    assert not first["leads"].equals(other["leads"])


def test_a_replication_does_not_depend_on_how_many_run(quarter):
    few = orgsim.simulate(quarter, replications=2, seed=3, workers=1).replications
    more = orgsim.simulate(quarter, replications=5, seed=3, workers=1).replications

    pd.testing.assert_frame_equal(few, more.iloc[:2], check_exact=True)
