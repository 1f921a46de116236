"""Input that would cost without bound is refused early, with a message naming the limit."""

from __future__ import annotations

import contextlib
import math
import os
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from orgsim.experiment import session as runner
from orgsim.model import run_replication
from orgsim.scenario import Scenario, ScenarioError, load, with_overrides
from orgsim.scenario import loader as loader_module
from orgsim.scenario.distributions import (
    MAX_SIGMA,
    MIN_BETA_SD,
    Beta,
    Exponential,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
)
from orgsim.scenario.document import MAX_SCENARIO_BYTES, Document
from orgsim.scenario.errors import Origin, describe_value
from orgsim.scenario.footprint import check_fits, replication_bytes
from orgsim.scenario.loader import MAX_EXTENDS_DEPTH
from orgsim.scenario.merge import merge


def problems(name: str, overrides: dict[str, Any] | None = None) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(name, overrides)
    return [str(problem) for problem in caught.value.problems]


def load_in_thread(name: str) -> list[str]:
    """``problems(name)`` from a thread given 20 s, so a blocking open fails instead of hanging."""
    found: list[list[str]] = []
    thread = threading.Thread(target=lambda: found.append(problems(name)), daemon=True)
    thread.start()
    thread.join(timeout=20)
    return found[0] if found else ["still reading after 20 s"]


# --------------------------------------------------------------------------- files


def test_a_fifo_is_refused_without_waiting_for_a_writer(write) -> None:
    os.mkfifo("pipe.yaml")
    write("x.yaml", "extends: pipe.yaml\n")
    try:
        assert load_in_thread("pipe.yaml") == ["pipe.yaml: is a pipe (FIFO), not a scenario file"]
        assert load_in_thread("x.yaml") == [
            "x.yaml:1 extends: is a pipe (FIFO), not a scenario file: 'pipe.yaml' "
            "(extends chain: x.yaml -> pipe.yaml)"
        ]
    finally:  # release a reader a broken version left blocked
        with contextlib.suppress(OSError):
            os.close(os.open("pipe.yaml", os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_before_a_byte_is_read(write) -> None:
    write("x.yaml", "extends: /dev/zero\n")
    assert load_in_thread("/dev/zero") == ["/dev/zero: is a device, not a scenario file"]


def test_a_file_over_the_size_cap_is_refused(write) -> None:
    write("big.yaml", "name: big\n" + "# padding\n" * (MAX_SCENARIO_BYTES // 10))
    assert problems("big.yaml") == [
        "big.yaml: larger than 1 MiB, the most a scenario (with the files it extends) may hold"
    ]


def test_an_extends_chain_shares_one_size_budget(write) -> None:
    half = "# padding\n" * (MAX_SCENARIO_BYTES // 20 + 10)
    write("parent.yaml", "name: parent\n" + half)
    write("child.yaml", "extends: parent.yaml\n" + half)
    assert problems("child.yaml") == [
        "child.yaml:1 extends: larger than 1 MiB, the most a scenario (with the files it "
        "extends) may hold: 'parent.yaml' (extends chain: child.yaml -> parent.yaml)"
    ]


def chain(write, files: int) -> str:
    for index in range(1, files):
        write(f"f{index:02d}.yaml", f"extends: f{index + 1:02d}.yaml\n")
    write(f"f{files:02d}.yaml", "name: the root\n")
    return "f01.yaml"


def test_an_extends_chain_of_the_maximum_depth_loads(write) -> None:
    assert load(chain(write, MAX_EXTENDS_DEPTH)).name == "the root"


def test_an_extends_chain_one_file_deeper_is_refused(write) -> None:
    found = problems(chain(write, MAX_EXTENDS_DEPTH + 1))
    assert len(found) == 1
    assert found[0].startswith(
        f"f{MAX_EXTENDS_DEPTH:02d}.yaml:1 extends: a chain of more than 16 files: f01.yaml -> "
    )


def test_following_a_chain_resolves_each_file_once(write, monkeypatch) -> None:
    """The cycle check is a set look-up: resolving every earlier link again was quadratic."""
    calls: list[str] = []
    realpath = os.path.realpath
    monkeypatch.setattr(
        loader_module.os.path, "realpath", lambda path: calls.append(path) or realpath(path)
    )
    load(chain(write, MAX_EXTENDS_DEPTH))
    assert len(calls) <= 2 * MAX_EXTENDS_DEPTH


class CountingOrigins(dict):  # type: ignore[type-arg]
    """Origins that count how often they are walked."""

    walks = 0

    def items(self):  # type: ignore[override]
        CountingOrigins.walks += 1
        return super().items()


def test_merging_walks_each_layers_origins_a_bounded_number_of_times() -> None:
    """One walk per layer, not one per key the layer above leaves alone (quadratic)."""
    keys = {f"k{index}": index for index in range(500)}
    parent = Document(dict(keys), CountingOrigins({(key,): Origin("p.yaml", 1) for key in keys}))
    CountingOrigins.walks = 0
    merged = merge(parent, Document({"name": "child"}, {("name",): Origin("c.yaml", 1)}))
    assert CountingOrigins.walks <= 2
    assert merged.origins[("k7",)] == Origin("p.yaml", 1)
    assert merged.origins[("name",)] == Origin("c.yaml", 1)


def test_an_extends_through_a_symlink_loop_is_a_message(write) -> None:
    os.symlink("loop_b.yaml", "loop_a.yaml")
    os.symlink("loop_a.yaml", "loop_b.yaml")
    write("x.yaml", "extends: loop_a.yaml\n")
    assert problems("x.yaml") == [
        "x.yaml:1 extends: cannot read: Too many levels of symbolic links: 'loop_a.yaml' "
        "(extends chain: x.yaml -> loop_a.yaml)"
    ]


def test_an_extends_with_a_nul_byte_is_a_message(write) -> None:
    write("x.yaml", 'extends: "parent\\0.yaml"\n')
    assert problems("x.yaml") == [
        "x.yaml:1 extends: must be the path of another scenario file, got 'parent\\x00.yaml'"
    ]


# --------------------------------------------------------------------------- aliases


def laughs(levels: int, key: str = "a") -> str:
    lines = [f"{key}0: &{key}0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for level in range(1, levels + 1):
        items = ", ".join([f"*{key}{level - 1}"] * 10)
        lines.append(f"{key}{level}: &{key}{level} [{items}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_it_is_expanded(write) -> None:
    write("x.yaml", laughs(5))
    assert problems("x.yaml") == [
        "x.yaml:5 a4: more than 100,000 values once aliases (*name) are expanded; "
        "a whole scenario has a few hundred"
    ]


def test_a_description_that_aliases_a_bomb_is_refused(write) -> None:
    write("x.yaml", laughs(3, "i") + "description: [" + ", ".join(["*i3"] * 10) + "]\n")
    assert problems("x.yaml") == [
        "x.yaml:5 description: more than 100,000 values once aliases (*name) are expanded; "
        "a whole scenario has a few hundred"
    ]


def test_aliases_that_expand_to_little_still_load(write) -> None:
    write("x.yaml", "skill: &skill {dist: lognormal, median: 1, sigma: 0.2}\n")
    write("y.yaml", "teams:\n  sdr: {skill: &s {dist: lognormal, median: 1, sigma: 0.2}}\n")
    with open("y.yaml", "a", encoding="utf-8") as file:
        file.write("  ae: {skill: *s}\n")
    scenario = load("y.yaml")
    assert scenario.teams.ae.skill == scenario.teams.sdr.skill == Lognormal(median=1, sigma=0.2)


def test_a_recursive_anchor_is_a_message(write) -> None:
    write("x.yaml", "name: x\ndescription: &me [*me]\n")
    assert problems("x.yaml") == [
        "x.yaml:2: an alias names a value that contains the alias itself (a recursive anchor)"
    ]


def test_an_integer_too_long_for_any_setting_is_refused_at_its_line(write) -> None:
    write("x.yaml", "name: x\nseed: " + "1" * 5000 + "\n")
    assert problems("x.yaml") == [
        "x.yaml:2: YAML syntax error: an integer 5000 characters long; no setting needs more "
        "than 100 digits at column 7"
    ]


class Tripwire(list):  # type: ignore[type-arg]
    """A long list that fails the test if anything reads past its first 100 items."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        for index, item in enumerate(super().__iter__()):
            assert index < 100, "rendered past the head of the value"
            yield item


def test_a_message_renders_only_the_head_of_a_huge_value() -> None:
    huge = Tripwire(range(10**6))
    assert describe_value(huge) == describe_value(list(range(100)))
    assert describe_value({"k": huge}) == describe_value({"k": list(range(100))})
    assert describe_value("x" * 10**6) == "'" + "x" * 56 + "..."


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"demand.fit": {"dist": "beta", "mean": 0.3, "sd": 1e-300}},
            "demand.fit.sd: must be at least 1e-06, got 1e-300; a narrower beta is a constant",
        ),
        (
            {"teams.sdr.skill": {"dist": "gamma", "mean": 1e-300, "sd": 1e300}},
            "teams.sdr.skill.sd: must be between 1e-12 and 1e+12, got 1e+300; beyond any real",
        ),
        (
            {"selling.cycle_days": {"dist": "triangular", "low": 0, "mode": 9, "high": 1.7e308}},
            "selling.cycle_days.high: must be between -1e+12 and 1e+12, got 1.7e+308",
        ),
        (
            {"teams.sdr.headcount": 1e24},
            "teams.sdr.headcount: must be between 0 and 10,000, got 1e+24; larger teams are "
            "outside what the model was built for",
        ),
        ({"demand.spend_elasticity": 1000}, "demand.spend_elasticity: must be between 0 and 5"),
        (
            {"demand.leads_per_month": 1e15},
            "demand.leads_per_month: must be more than 0 and at most 1,000,000",
        ),
        (
            {"selling.deal_size": {"dist": "lognormal", "median": 25000, "sigma": 1000}},
            "selling.deal_size.sigma: must be between 0 and 5, got 1000",
        ),
        (
            {"sensitivity.kpi": "cost_per_opp"},
            "sensitivity.kpi: unknown KPI 'cost_per_opp'; did you mean 'cost_per_opportunity'?",
        ),
        (
            {"sensitivity.kpi": "nope"},
            "sensitivity.kpi: unknown KPI 'nope'; expected one of: leads,",
        ),
        ({"replications": 10**9}, "replications: must be between 1 and 100,000"),
        (
            {"teams.sdr.work.inbound_check_interval_hours": 1e-300},
            "must be 0 (at once) or at least 1/60 (a minute), got 1e-300",
        ),
        (
            {"demand.leads_per_month": 10**6, "org.sla.enabled": True, "org.sla.min_attempts": 20},
            "GiB of memory, more than the 4.0 GiB a replication may use",
        ),
    ],
)
def test_values_whose_draws_overflow_or_make_no_sense_are_refused(
    overrides: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        with_overrides(Scenario(), overrides)
    assert any(
        expected in problem.message or expected in str(problem) for problem in caught.value.problems
    ), [str(problem) for problem in caught.value.problems]


def test_a_real_large_org_is_within_the_bounds() -> None:
    """5,000 SDRs and AEs with 100,000 leads a month is a real org: it validates."""
    big = {
        "teams.sdr.headcount": 5000,
        "teams.ae.headcount": 5000,
        "teams.marketing.headcount": 1000,
        "demand.leads_per_month": 100_000,
    }
    assert with_overrides(Scenario(), big).teams.sdr.headcount == 5000


def bound(model: type, name: str, kind: str) -> float:
    """The ``kind`` (``ge``/``le``) bound the schema puts on ``model.name``."""
    values = [
        getattr(item, kind) for item in model.model_fields[name].metadata if hasattr(item, kind)
    ]
    return values[-1]


def test_draws_at_every_distributions_extremes_are_finite() -> None:
    """The bounds are where they are so that a million draws, and their sum, stay finite."""
    largest = bound(Lognormal, "median", "le")
    smallest = bound(Lognormal, "median", "ge")
    assert bound(Lognormal, "sigma", "le") == MAX_SIGMA
    assert bound(Beta, "sd", "ge") == MIN_BETA_SD
    extremes = [
        Lognormal(median=largest, sigma=MAX_SIGMA),
        Lognormal(median=smallest, sigma=MAX_SIGMA),
        Beta(mean=0.5, sd=MIN_BETA_SD),
        Beta(mean=0.5, sd=0.4999999),
        Gamma(mean=smallest, sd=largest),
        Gamma(mean=largest, sd=smallest),
        Exponential(mean=largest),
        Triangular(low=-largest, mode=0, high=largest),
        Uniform(low=-largest, high=largest),
    ]
    rng = np.random.default_rng(18)
    for dist in extremes:
        draws = dist.sample(rng, 10**6)
        assert np.isfinite(draws).all(), dist
        assert np.isfinite(draws.sum()), dist


# --------------------------------------------------------------------------- memory


def test_the_memory_estimate_errs_high() -> None:
    """A replication where every lead is an MQL worked 20 times peaks below its estimate."""
    scenario = with_overrides(
        Scenario(),
        {
            "calendar.months": 2,
            "demand.leads_per_month": 3000,
            "scoring.mql_threshold": 0.0,
            "org.sla.enabled": True,
            "org.sla.min_attempts": 20,
            "followup.max_attempts": 20,
        },
    )
    tracemalloc.start()
    try:
        run_replication(scenario, 1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < replication_bytes(scenario) < 4 * peak


def test_the_memory_estimate_grows_with_spend() -> None:
    base = Scenario()
    doubled = with_overrides(base, {"demand.program_spend_per_month": 120_000})
    assert replication_bytes(doubled) > replication_bytes(base)


def test_replications_at_once_that_cannot_fit_are_refused_with_a_worker_count() -> None:
    scenario = Scenario()
    need = replication_bytes(scenario)
    check_fits(scenario, 4, math.ceil(4 * need))
    with pytest.raises(ScenarioError) as caught:
        check_fits(scenario, 4, math.ceil(2.5 * need))
    assert "use --workers 2 or fewer" in str(caught.value)


def never_run(*args: object) -> object:
    raise AssertionError("a replication ran although the run cannot fit in memory")


def test_a_run_that_cannot_fit_stops_before_any_replication(monkeypatch) -> None:
    class Tiny:
        available = 1 << 20

    monkeypatch.setattr(runner.psutil, "virtual_memory", lambda: Tiny())
    with pytest.raises(ScenarioError, match="is available; use a smaller scenario"):
        runner.simulate(Scenario(), replications=2, seed=1, workers=1, model=never_run)
