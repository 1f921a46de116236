"""Scenario discovery finds a winning region known by construction, and its command keeps the contract."""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import orgsim
from orgsim.analysis.discovery import latin_hypercube
from orgsim.cli import main
from orgsim.experiment.discover import DISCOVERY_JSON, POINTS_CSV, discover
from orgsim.experiment.study_seeds import study_seed
from orgsim.model import ReplicationResult, Streams, run_replication
from orgsim.scenario import Scenario

pytest.importorskip("ema_workbench.analysis.prim", reason="needs the 'discover' extra")

SALES = "scenarios/sales_owns_inside_sales.yaml"
MARKETING = "scenarios/marketing_owns_inside_sales.yaml"
SHORT = {"calendar.months": 1}
LIFT = "policies.multichannel.contact_lift"
IRRELEVANT = "demand.content.lead_elasticity"
RANGES = {LIFT: (0.0, 0.3), IRRELEVANT: (0.2, 0.8)}
THRESHOLD = 0.15
"""Marketing ownership wins exactly where the contact lift is above this, by construction."""
SLOPE = 10_000.0
OWN_NOISE_SD = 20.0
SAMPLES, REPLICATIONS = 60, 2


@functools.cache
def tables() -> ReplicationResult:
    """One month of the real model: the tables a stand-in hands back beside its own KPI."""
    return run_replication(orgsim.load(SALES, SHORT), 0)


def known_region(scenario: Scenario, streams: Streams) -> ReplicationResult:
    """The real model's tables, with cost per win replaced by a known function of the contact lift.

    cost per win = 50,000 + 5,000 z + 20 e + (marketing-owned: 10,000 (0.15 - lift)):
    z is common to both designs (drawn first from the replication's arrival
    stream, as common random numbers give it), e is each design's own.
    """
    common = streams.skill.normal()
    replication = int(streams.months.spawn_key[0])
    marketing = scenario.org.inside_sales_reports_to == "marketing"
    own = np.random.default_rng([replication, int(marketing)]).normal()
    result = tables()
    lift = scenario.policies.multichannel.contact_lift
    value = 50_000 + 5_000 * common + OWN_NOISE_SD * own
    if marketing:
        value += SLOPE * (THRESHOLD - lift)
    return ReplicationResult(
        {**result.kpis, "cost_per_win": value}, result.monthly, result.sdr_months
    )


@pytest.fixture(scope="module")
def found() -> orgsim.experiment.discover.Discovery:
    a, b = (orgsim.load(path, SHORT) for path in (SALES, MARKETING))
    return discover(
        a, b, samples=SAMPLES, replications=REPLICATIONS, seed=11, parameters=RANGES,
        workers=1, model=known_region,
    )  # fmt: skip


def test_prim_recovers_the_threshold_where_the_winner_flips_and_leaves_the_irrelevant_parameter_free(
    found,
):
    """The box's edge lies within 0.02 of 0.15, the known flip.

    Why 0.02: a Latin hypercube of 60 points leaves 0.005 of lift between
    neighbours; PRIM peels 5% of the box per step, about 1.5 points (0.0075 of
    lift) near the edge; and the paired difference's noise is the design's own
    only (z cancels): SD 20 * sqrt(2 / 2 replications) = 20, which is 0.002 of
    lift at the slope of 10,000, so points mislabelled by noise lie within
    3 SD = 0.006 of the flip. 0.005 + 0.0075 + 0.006 < 0.02.
    """
    sales, marketing = found.designs
    [box_b] = found.regions[marketing]
    limit = box_b.limits[LIFT]
    assert limit.restricted_low and not limit.restricted_high
    assert abs(limit.low - THRESHOLD) <= 0.02
    assert not box_b.limits[IRRELEVANT].restricted
    assert box_b.density >= 0.9 and box_b.coverage >= 0.9
    [box_a] = found.regions[sales]
    assert box_a.limits[LIFT].restricted_high and not box_a.limits[LIFT].restricted_low
    assert abs(box_a.limits[LIFT].high - THRESHOLD) <= 0.02
    assert not box_a.limits[IRRELEVANT].restricted
    assert found.most_important(1) == [LIFT]
    assert "multichannel contact lift ≥ 0.1" in found.sentences()[1]


def test_the_labels_are_the_sign_of_the_paired_difference_and_common_noise_cancels(found):
    points = found.points
    # The difference is the construction's, 10,000 (0.15 - lift), plus the own noise's mean over
    # 2 pairs (SD 20): within 5 SD = 100 at every one of the 60 points (the common 5,000 z cancels).
    expected = SLOPE * (THRESHOLD - points[LIFT])
    assert (points["difference"] - expected).abs().max() < 5 * OWN_NOISE_SD
    marketing_wins = points["winner"] == found.designs[1]
    assert (marketing_wins == (points["difference"] < 0)).all()
    assert (points["pairs"] == REPLICATIONS).all()


def test_discovery_repeats_from_its_seed_and_another_seed_samples_elsewhere():
    a, b = (orgsim.load(path, SHORT) for path in (SALES, MARKETING))
    first, again = (
        discover(a, b, samples=10, replications=1, seed=5, parameters=RANGES, workers=1,
                 model=known_region)
        for _ in range(2)
    )  # fmt: skip
    pd.testing.assert_frame_equal(again.points, first.points)
    assert again.document()["regions"] == first.document()["regions"]
    elsewhere = latin_hypercube(RANGES, 10, study_seed(6, "discover.sample"))
    assert not np.allclose(elsewhere[LIFT], first.points[LIFT])


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


TINY = ["--samples", "10", "--reps", "2", "--seed", "3", "--workers", "1",
        "--set", "calendar.months=2"]  # fmt: skip


def test_discover_command_writes_the_contract_files(tmp_path):
    out = tmp_path / "discovery"
    result = invoke(
        "discover", SALES, MARKETING, *TINY, "--param", f"{LIFT}=0:0.3",
        "--param", "org.sla.compliance=0.6:1", "--out", str(out), "--plots",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads((out / DISCOVERY_JSON).read_text())
    assert document["kpi"] == "cost_per_win" and document["points"] == 10
    assert [region["design"] for region in document["regions"]] == document["designs"]
    for region in document["regions"]:
        for box in region["boxes"]:
            assert {"limits", "coverage", "density", "mass", "points", "sentence"} <= set(box)
            assert set(box["limits"]) == {LIFT, "org.sla.compliance"}
            assert 0 < box["mass"] <= 1 and 0 <= box["coverage"] <= 1
    points = pd.read_csv(out / POINTS_CSV)
    assert len(points) == 10
    assert {LIFT, "a_mean", "b_mean", "difference", "difference_se", "winner"} <= set(points)
    assert np.allclose(points["b_mean"] - points["a_mean"], points["difference"])
    assert (out / "discovery_regions.png").stat().st_size > 0
    assert sum(document["wins"].values()) == 10
    assert len(document["sentences"]) >= 2
    assert "lowers cost per win" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kpi", "cost_per_wins"], "unknown KPI 'cost_per_wins'"),
        (["--kpi", "sdr_utilization"], "neither better higher nor lower"),
        (["--param", f"{LIFT}=0"], "expected KEY=LO:HI"),
        (["--param", "policies.multichannel.contact_lif=0:0.3"], "contact_lif"),
        (["--param", f"{LIFT}=0.3:0"], "low < high"),
    ],
)
def test_discover_rejects_bad_input_with_exit_2_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "never"
    result = invoke("discover", SALES, MARKETING, *TINY, *args, "--out", str(out))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()
