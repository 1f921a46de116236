"""Scenario discovery finds a region known by construction and says what it found in numbers it can back."""

import json
import re
import sys

import numpy as np
import pandas as pd
import pytest

from orgsim.analysis.discovery import (
    Box,
    Limit,
    describe_region,
    discovery_document,
    feature_scores,
    find_regions,
    latin_hypercube,
)

SAMPLES = 400
SKILL, PENALTY = "management.sdr_manager.skill", "handoff.penalty"
RESOLUTION = 1 / SAMPLES ** (1 / 2)  # the spacing of 400 points in two dimensions


@pytest.fixture
def prim():
    return pytest.importorskip("ema_workbench.analysis.prim")


def uncertainties(samples: int = SAMPLES, seed: int = 3) -> pd.DataFrame:
    return latin_hypercube({SKILL: (0.0, 1.0), PENALTY: (0.0, 0.1)}, samples, seed)


def skill_above(points: pd.DataFrame, threshold: float, noise: float, seed: int = 5) -> np.ndarray:
    """The design wins where skill > threshold; ``noise`` of the labels flipped at random."""
    wins = points[SKILL].to_numpy() > threshold
    return wins ^ (np.random.default_rng(seed).uniform(size=wins.size) < noise)


def test_latin_hypercube_puts_one_point_in_every_slice_of_every_range():
    points = latin_hypercube({"org.sla.hours": (2.0, 4.0), PENALTY: (0.0, 0.1)}, 50, seed=1)
    assert list(points.columns) == ["org.sla.hours", PENALTY]
    for column, (low, high) in {"org.sla.hours": (2.0, 4.0), PENALTY: (0.0, 0.1)}.items():
        slices = np.floor((points[column] - low) / (high - low) * 50).astype(int)
        assert sorted(slices) == list(range(50))


def test_latin_hypercube_repeats_with_its_seed():
    ranges = {SKILL: (0.0, 1.0)}
    pd.testing.assert_frame_equal(latin_hypercube(ranges, 10, 4), latin_hypercube(ranges, 10, 4))
    assert not latin_hypercube(ranges, 10, 4).equals(latin_hypercube(ranges, 10, 5))


def test_latin_hypercube_rejects_an_empty_range():
    with pytest.raises(ValueError, match=re.escape("handoff.penalty: the range needs low < high")):
        latin_hypercube({PENALTY: (0.1, 0.1)}, 10, 0)


@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_prim_finds_the_threshold_and_leaves_the_irrelevant_parameter_free(prim, noise):
    points = uncertainties()
    (box,) = find_regions(points, [SKILL, PENALTY], skill_above(points, 0.6, noise))
    skill = box.limits[SKILL]
    assert skill.restricted_low and not skill.restricted_high
    assert abs(skill.low - 0.6) <= RESOLUTION
    assert skill.p_low < 0.05
    assert not box.limits[PENALTY].restricted
    assert list(box.restricted) == [SKILL]


def test_a_limit_that_does_not_matter_is_lifted(prim):
    # With noisy labels PRIM also peels the irrelevant penalty; its quasi-p-value lifts it again.
    points = uncertainties()
    wins = skill_above(points, 0.6, 0.1)
    (box,) = find_regions(points, [SKILL, PENALTY], wins)
    assert box.trajectory.loc[box.step, "restricted"] == 2
    assert not box.limits[PENALTY].restricted
    (kept,) = find_regions(points, [SKILL, PENALTY], wins, significance=1.0)
    assert kept.limits[PENALTY].restricted


def test_the_box_is_the_densest_step_that_keeps_the_coverage_asked_for(prim):
    points = uncertainties()
    wins = skill_above(points, 0.6, 0.1)
    # Density rises to the last step; asking for 80% coverage stops the box earlier.
    (box,) = find_regions(points, [SKILL, PENALTY], wins, min_coverage=0.8)
    eligible = box.trajectory[box.trajectory["coverage"] >= 0.8]
    assert box.step < len(box.trajectory) - 1
    assert box.trajectory.loc[box.step, "density"] == eligible["density"].max()
    assert box.coverage >= 0.8


def test_the_box_statistics_are_its_counts(prim):
    points = uncertainties()
    wins = skill_above(points, 0.6, 0.1)
    (box,) = find_regions(points, [SKILL, PENALTY], wins)
    inside = np.ones(len(points), dtype=bool)
    for name, limit in box.limits.items():
        inside &= points[name].between(limit.low, limit.high).to_numpy()
    assert box.points == inside.sum()
    assert box.wins == (inside & wins).sum()
    assert box.coverage == pytest.approx(box.wins / wins.sum())
    assert box.density == pytest.approx(box.wins / box.points)
    assert box.mass == pytest.approx(box.points / len(points))


def test_a_second_box_covers_the_wins_the_first_left(prim):
    points = latin_hypercube({"x1": (0.0, 1.0), "x2": (0.0, 1.0), "x3": (0.0, 1.0)}, 600, 3)
    wins = (points["x1"] > 0.7) | (points["x2"] > 0.8)
    first, second = find_regions(points, ["x1", "x2", "x3"], wins.to_numpy(), max_boxes=3)
    assert list(first.restricted) == ["x1"]
    assert list(second.restricted) == ["x2"]
    assert abs(first.limits["x1"].low - 0.7) <= 1 / 600 ** (1 / 3)
    assert abs(second.limits["x2"].low - 0.8) <= 1 / 600 ** (1 / 3)
    assert "outside the first box where x2 ≥" in describe_region(second, "cost", "B", "lowers")


def test_no_wins_no_box(prim):
    points = uncertainties(50)
    assert find_regions(points, [SKILL, PENALTY], np.zeros(50, dtype=bool)) == []


def test_discovery_says_how_to_install_prim(monkeypatch):
    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    monkeypatch.setitem(sys.modules, "ema_workbench.analysis", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'orgsim[discover]'")):
        find_regions(uncertainties(20), [SKILL], np.ones(20, dtype=bool))


def test_feature_scores_rank_the_deciding_parameter_first():
    pytest.importorskip("sklearn")
    points = uncertainties()
    noise = np.random.default_rng(9).normal(0, 0.1, size=SAMPLES)
    difference = 0.6 - points[SKILL].to_numpy() + noise  # B is cheaper (negative) above 0.6
    scores = feature_scores(points, [PENALTY, SKILL], difference, seed=0)
    assert list(scores.index) == [SKILL, PENALTY]
    assert scores.sum() == pytest.approx(1.0)
    assert scores[SKILL] > 0.8


def test_feature_scores_are_zero_when_one_design_always_wins():
    pytest.importorskip("sklearn")
    scores = feature_scores(uncertainties(30), [SKILL, PENALTY], np.ones(30))
    assert (scores == 0).all()


def handmade_box() -> Box:
    return Box(
        limits={
            SKILL: Limit(0.7, 1.0, True, False, 1e-9, None),
            PENALTY: Limit(0.0, 0.05, False, True, None, 1e-4),
            "org.sla.hours": Limit(1.5, 3.25, True, True, 1e-3, 2e-3),
            "demand.leads": Limit(100.0, 900.0, False, False, None, None),
        },
        coverage=0.6412,
        density=0.8731,
        mass=0.3,
        points=120,
        wins=105,
        trajectory=pd.DataFrame(),
        step=7,
    )


def test_the_sentence_reads_its_numbers_from_the_box():
    box = handmade_box()
    sentence = describe_region(
        box, "cost per win", "Marketing ownership", "lowers", {SKILL: "manager skill"}
    )
    assert sentence == (
        "Marketing ownership lowers cost per win in 87% of cases where manager skill ≥ 0.7, "
        "handoff.penalty ≤ 0.05 and org.sla.hours is between 1.5 and 3.25; "
        "that region holds 64% of all cases where it wins."
    )
    density, coverage = (int(p) for p in re.findall(r"(\d+)%", sentence))
    assert (density, coverage) == (round(100 * box.density), round(100 * box.coverage))


def test_a_box_that_restricts_nothing_says_so():
    box = handmade_box()
    free = Box(
        limits={"demand.leads": box.limits["demand.leads"]},
        coverage=1.0,
        density=0.4,
        mass=1.0,
        points=400,
        wins=160,
        trajectory=pd.DataFrame(),
        step=0,
    )
    assert describe_region(free, "cost per win", "B", "lowers") == (
        "B lowers cost per win in 40% of all cases; no region of the uncertainties narrows it down."
    )


def test_the_document_is_plain_json_with_the_box_fields(prim):
    points = uncertainties()
    wins = skill_above(points, 0.6, 0.1)
    regions = {
        "Marketing ownership": find_regions(points, [SKILL, PENALTY], wins),
        "Sales ownership": find_regions(points, [SKILL, PENALTY], ~wins),
    }
    document = discovery_document(
        regions,
        kpi="cost_per_win",
        kpi_label="cost per win",
        direction="lowers",
        points=len(points),
        scores=pd.Series({SKILL: 0.9, PENALTY: 0.1}),
    )
    reread = json.loads(json.dumps(document))
    assert reread["kpi"] == "cost_per_win"
    assert [r["design"] for r in reread["regions"]] == list(regions)
    box = reread["regions"][0]["boxes"][0]
    assert {"limits", "coverage", "density", "mass", "points", "sentence", "trajectory"} <= set(box)
    assert box["limits"][SKILL]["restricted"] and not box["limits"][PENALTY]["restricted"]
    assert box["sentence"].startswith("Marketing ownership lowers cost per win in")
    sales = reread["regions"][1]["boxes"][0]
    assert sales["limits"][SKILL]["restricted_high"]
