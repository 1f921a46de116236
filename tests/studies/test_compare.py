"""Comparisons on common random numbers: intervals that cover, verdicts that read right."""

from __future__ import annotations

import math

import numpy as np
import pytest

import orgsim
from orgsim.experiment.compare import compare
from orgsim.scenario.schema import Scenario

HOURS = 21 * 8


def tiny(spend: float, name: str) -> Scenario:
    """A one-month org whose lead count is Poisson with a mean known exactly."""
    return Scenario.model_validate(
        {
            "name": name,
            "calendar": {"months": 1, "warm_up_months": 0, "steady_start": False},
            "demand": {
                "leads_per_month": 300,
                "program_spend_per_month": spend,
                "content": {"enabled": False},
            },
            "teams": {"sdr": {"headcount": 1}, "ae": {"headcount": 1}},
            "followup": {"outbound": {"enabled": False}},
        }
    )


def test_paired_intervals_cover_a_difference_known_by_construction():
    """Raising spend 30% raises expected leads by 300 x (1.3^0.7 - 1): the t interval covers it ~95%."""
    low, high = tiny(60000, "base"), tiny(78000, "more spend")
    truth = 300 * (1.3**0.7 - 1)
    experiments, covered = 120, 0
    for experiment in range(experiments):
        result = compare(
            [low, high], replications=12, seed=experiment, workers=1, kpis=["leads"], n_boot=50
        )
        row = result.differences.iloc[0]
        covered += row["diff_t_low"] <= truth <= row["diff_t_high"]
    rate = covered / experiments
    standard_error = math.sqrt(0.95 * 0.05 / experiments)
    assert abs(rate - 0.95) < 3 * standard_error, rate


def test_common_random_numbers_make_identical_designs_identical():
    result = compare(
        [tiny(60000, "a"), tiny(60000, "b")],
        replications=5,
        seed=3,
        workers=1,
        kpis=["leads", "sqls"],
    )
    assert (result.differences["diff"] == 0).all()
    assert (result.differences["p_tie"] == 1).all()


def test_compare_reads_its_verdict_first_and_saves_its_tables(tmp_path):
    scenarios = [
        orgsim.load(
            "scenarios/sales_owns_inside_sales.yaml",
            {"calendar.months": 3, "calendar.warm_up_months": 0},
        ),
        orgsim.load(
            "scenarios/marketing_owns_inside_sales.yaml",
            {"calendar.months": 3, "calendar.warm_up_months": 0},
        ),
    ]
    result = compare(scenarios, replications=8, seed=1, workers=1, n_boot=100)
    first = result.verdicts()[0]
    assert first.startswith("Marketing owns inside sales (as planned)") and "cost per win" in first
    assert "cost per opportunity" in result.verdicts()[1]
    table = result.table(["cost_per_opportunity"])
    assert list(table["scenario"]) == ["Marketing owns inside sales (as planned)"]
    out = result.save(tmp_path / "cmp")
    assert {p.name for p in out.iterdir()} >= {
        "replications.csv",
        "differences.csv",
        "comparison.json",
    }
    with pytest.raises(ValueError, match="at least two"):
        compare(scenarios[:1])


def test_same_names_are_told_apart():
    result = compare(
        [tiny(60000, "x"), tiny(60000, "x")], replications=2, seed=1, workers=1, kpis=["leads"]
    )
    assert result.scenarios == ["x", "x (2)"]
    assert np.all(result.replications.groupby("scenario").size() == 2)
