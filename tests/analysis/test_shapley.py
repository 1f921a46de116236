"""Shapley contributions add up to the whole difference and share interactions fairly."""

import math
from collections import Counter

import numpy as np
import pytest
from scipy import stats

from orgsim.analysis.shapley import (
    MAX_GROUPS,
    contributions_table,
    shapley_contributions,
    total_contribution,
)

GROUPS = ("coaching", "diversion", "friction", "sla")
REPLICATIONS = 40


@pytest.fixture(scope="module")
def effects() -> dict[str, np.ndarray]:
    """Per-replication effect of switching each group alone (the SLA switch changes nothing)."""
    rng = np.random.default_rng(12)
    return {
        "coaching": rng.normal(300, 40, REPLICATIONS),
        "diversion": rng.normal(150, 30, REPLICATIONS),
        "friction": rng.normal(-50, 20, REPLICATIONS),
        "sla": np.zeros(REPLICATIONS),
    }


def interacting_value(effects: dict[str, np.ndarray]):
    """Cost per opportunity with coaching and diversion compounding, seen per replication."""
    base = np.random.default_rng(13).normal(2000, 200, REPLICATIONS)

    def value(switched: frozenset[str]) -> np.ndarray:
        result = base + sum(effects[g] for g in switched)
        if {"coaching", "diversion"} <= switched:
            result = result + 0.5 * effects["coaching"]
        return result

    return value


def test_additive_effects_come_back_as_each_groups_own_effect(effects):
    def value(switched: frozenset[str]) -> np.ndarray:
        return 1000 + sum((effects[g] for g in switched), np.zeros(REPLICATIONS))

    contributions = shapley_contributions(GROUPS, value)
    for group in GROUPS:
        np.testing.assert_allclose(contributions[group].values, effects[group], atol=1e-9)


def test_an_interaction_is_split_equally_between_the_groups_that_make_it():
    def value(switched: frozenset[str]) -> float:
        return 3.0 if {"coaching", "diversion"} <= switched else 0.0

    contributions = shapley_contributions(GROUPS, value)
    assert contributions["coaching"].mean == pytest.approx(1.5, abs=1e-12)
    assert contributions["diversion"].mean == pytest.approx(1.5, abs=1e-12)
    assert contributions["friction"].mean == 0.0


def test_a_group_that_changes_nothing_contributes_exactly_zero(effects):
    contributions = shapley_contributions(GROUPS, interacting_value(effects))
    assert np.all(contributions["sla"].values == 0.0)
    assert contributions["sla"].mean == 0.0


def test_contributions_sum_to_the_total_difference_in_every_replication(effects):
    value = interacting_value(effects)
    contributions = shapley_contributions(GROUPS, value)
    total = value(frozenset(GROUPS)) - value(frozenset())
    summed = np.sum([c.values for c in contributions.values()], axis=0)
    np.testing.assert_allclose(summed, total, rtol=1e-13, atol=1e-9)
    np.testing.assert_allclose(total_contribution(contributions).values, total, rtol=1e-13)


def test_each_subset_is_evaluated_exactly_once(effects):
    calls: Counter[frozenset[str]] = Counter()
    value = interacting_value(effects)

    def counted(switched: frozenset[str]) -> np.ndarray:
        calls[switched] += 1
        return value(switched)

    shapley_contributions(GROUPS, counted)
    assert len(calls) == 2 ** len(GROUPS)
    assert set(calls.values()) == {1}


def test_each_contribution_has_the_t_interval_of_its_replications(effects):
    contribution = shapley_contributions(GROUPS, interacting_value(effects))["coaching"]
    x = contribution.values
    low, high = stats.t.interval(0.95, x.size - 1, loc=x.mean(), scale=stats.sem(x))
    assert contribution.n == REPLICATIONS
    np.testing.assert_allclose([contribution.ci_low, contribution.ci_high], [low, high])


def test_the_coaching_share_of_the_interaction_shows_in_its_contribution(effects):
    contributions = shapley_contributions(GROUPS, interacting_value(effects))
    expected = effects["coaching"] + 0.25 * effects["coaching"]
    np.testing.assert_allclose(contributions["coaching"].values, expected, rtol=1e-12)


def test_a_scalar_value_gives_scalar_contributions_without_an_interval():
    contribution = shapley_contributions(["coaching"], lambda s: 2.0 if s else 1.0)["coaching"]
    assert (contribution.n, contribution.mean) == (1, 1.0)
    assert math.isnan(contribution.ci_low) and math.isnan(contribution.ci_high)


def test_a_nan_replication_is_left_out_of_the_interval_and_counted(effects):
    def value(switched: frozenset[str]) -> np.ndarray:
        result = np.ones(REPLICATIONS) * len(switched)
        result[0] = np.nan
        return result

    contribution = shapley_contributions(GROUPS, value)["coaching"]
    assert contribution.n == REPLICATIONS - 1
    assert contribution.mean == pytest.approx(1.0)


def test_the_table_lists_groups_in_order():
    contributions = shapley_contributions(GROUPS, lambda s: np.full(3, float(len(s))))
    table = contributions_table(contributions)
    assert list(table.columns) == ["group", "n", "mean", "ci_low", "ci_high"]
    assert list(table.group) == list(GROUPS)
    np.testing.assert_allclose(table["mean"], 1.0)


def test_groups_must_be_distinct_and_few():
    with pytest.raises(ValueError, match="distinct"):
        shapley_contributions(["coaching", "coaching"], lambda s: 0.0)
    with pytest.raises(ValueError, match=f"need 1 to {MAX_GROUPS} groups"):
        shapley_contributions([f"g{i}" for i in range(MAX_GROUPS + 1)], lambda s: 0.0)


def test_values_must_have_one_shape_across_subsets():
    with pytest.raises(ValueError, match="different shapes"):
        shapley_contributions(["coaching"], lambda s: np.zeros(3 if s else 4))
