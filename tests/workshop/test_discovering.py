"""Discovery on the engine's batches finds what ``orgsim discover`` finds, boxes and limits included.

The real model on a test's few points gives boxes that restrict nothing, so
here a stand-in makes marketing ownership win exactly where the contact lift
is above 0.15 (as ``tests/studies/test_discover.py`` does for the command),
and the workshop's discovery must find that box, with the numbers the
command finds from the same seed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import numpy as np
import pytest

import orgsim
from orgsim.model import ReplicationResult, Streams, run_replication
from orgsim.scenario import Scenario
from orgsim.scenario.schema import Sensitivity
from orgsim.workshop import discovering
from orgsim.workshop.engine import Engine

from .conftest import SCENARIOS

pytest.importorskip("ema_workbench.analysis.prim", reason="needs the 'discover' extra")

LIFT = "policies.multichannel.contact_lift"
IRRELEVANT = "demand.content.lead_elasticity"
RANGES = {LIFT: (0.0, 0.3), IRRELEVANT: (0.2, 0.8)}
THRESHOLD = 0.15
POINTS = 40
SEED = 11


@functools.cache
def tables() -> ReplicationResult:
    return run_replication(orgsim.load(SCENARIOS / "sales_owns_inside_sales.yaml"), 0)


def known_region(scenario: Scenario, streams: Streams) -> ReplicationResult:
    """Cost per win 50,000 + 5,000 z + 20 e, plus 10,000 (0.15 - lift) for marketing ownership.

    ``z`` is common to both designs (common random numbers), ``e`` each design's own.
    """
    common = streams.skill.normal()
    replication = int(streams.months.spawn_key[0])
    marketing = scenario.org.inside_sales_reports_to == "marketing"
    own = np.random.default_rng([replication, int(marketing)]).normal()
    value = 50_000 + 5_000 * common + 20 * own
    if marketing:
        value += 10_000 * (THRESHOLD - scenario.policies.multichannel.contact_lift)
    result = tables()
    return ReplicationResult(
        {**result.kpis, "cost_per_win": value}, result.monthly, result.sdr_months
    )


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = Engine(1, model=known_region)
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture(scope="module")
def sides() -> tuple[Scenario, Scenario]:
    sensitivity = Sensitivity(parameters=RANGES)
    return tuple(  # type: ignore[return-value]
        orgsim.load(
            SCENARIOS / f"{owner}_owns_inside_sales.yaml", {"calendar.months": 1}
        ).model_copy(update={"sensitivity": sensitivity})
        for owner in ("sales", "marketing")
    )


def test_the_workshops_discovery_finds_the_commands_box_at_the_known_threshold(
    engine, sides, monkeypatch
):
    monkeypatch.setattr(discovering, "POINTS", POINTS)
    a, b = sides
    running = discovering.start(engine, a, b, SEED, other=a.name)
    assert running.job.finished.wait(120) and running.error is None
    answer = running.answer()
    direct = orgsim.discover(
        a, b, samples=POINTS, replications=discovering.REPLICATIONS, seed=SEED, workers=1,
        model=known_region,
    )  # fmt: skip

    assert running.points_done() == POINTS
    assert answer["other"] == a.name and [r["design"] for r in answer["regions"]] == [
        a.name,
        b.name,
    ]
    assert answer["sentence"] == direct.sentences_by_design()[a.name][0]
    document = direct.document()
    for shown, region in zip(answer["regions"][::-1], document["regions"][::-1], strict=True):
        assert shown["design"] == region["design"]
        assert shown["wins"] == document["wins"][region["design"]]
        [page_box], [box] = shown["boxes"], region["boxes"]
        assert {key: page_box[key] for key in ("coverage", "density", "mass", "points")} == {
            key: box[key] for key in ("coverage", "density", "mass", "points")
        }
        assert list(page_box["limits"]) == [LIFT]  # the irrelevant parameter is left free
        assert page_box["limits"][LIFT]["low"] == box["limits"][LIFT]["low"]
        assert page_box["limits"][LIFT]["high"] == box["limits"][LIFT]["high"]
    [marketing_box] = answer["regions"][1]["boxes"]
    assert marketing_box["limits"][LIFT]["restricted_low"]
    assert abs(marketing_box["limits"][LIFT]["low"] - THRESHOLD) <= 0.02
    assert "multichannel contact lift ≥ 0.1" in answer["regions"][1]["sentences"][0]
    assert answer["plotted"] == direct.most_important(2)


def test_a_held_lever_is_not_sampled_and_one_parameter_draws_no_figure(engine, sides, monkeypatch):
    monkeypatch.setattr(discovering, "POINTS", 12)
    a, b = sides
    running = discovering.start(engine, a, b, SEED, held=[IRRELEVANT, "teams.sdr.headcount"])
    assert running.held == (IRRELEVANT,)  # a held key the scenarios do not vary is not named
    assert list(running.plan.ranges) == [LIFT]
    assert running.job.finished.wait(120)
    answer = running.answer()
    assert list(answer["parameters"]) == [LIFT] and answer["plotted"] == []
    # No verdict to go against: the design that wins at fewer points leads.
    assert answer["regions"][0]["wins"] <= answer["regions"][1]["wins"]
