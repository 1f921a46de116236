"""Priors from the scenario's calibration section, in its distribution syntax, and from --param."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import orgsim
from orgsim.calibration.priors import priors_for
from orgsim.scenario import ScenarioError
from orgsim.scenario.distributions import Beta, Uniform

HERE = Path(__file__).parent
COMPANY = HERE / "companies" / "small_company.yaml"
BETA = {"dist": "beta", "mean": 0.55, "sd": 0.05}


def company(parameters: dict[str, object]) -> orgsim.Scenario:
    return orgsim.load(COMPANY, {"calibration.parameters": parameters})


def test_the_section_gives_its_priors_and_a_param_replaces_one() -> None:
    scenario = company(
        {
            "scoring.mql_threshold": BETA,
            "teams.sdr.headcount": {"dist": "uniform", "low": 1, "high": 4},
        }
    )
    from_section = {p.key: p for p in priors_for(scenario, [])}
    threshold = from_section["scoring.mql_threshold"]
    assert isinstance(threshold.distribution, Beta)
    a, b = threshold.distribution.shape
    assert threshold.quantile(0.05) == pytest.approx(stats.beta(a, b).ppf(0.05))
    assert threshold.density(np.array([0.55]))[0] == pytest.approx(stats.beta(a, b).pdf(0.55))
    assert from_section["teams.sdr.headcount"].integer
    replaced = {p.key: p for p in priors_for(scenario, [("scoring.mql_threshold", 0.4, 0.7)])}
    assert replaced["scoring.mql_threshold"].distribution == Uniform(low=0.4, high=0.7)
    assert replaced.keys() == from_section.keys()


def test_an_unbounded_prior_is_refused_when_the_scenario_loads() -> None:
    with pytest.raises(ScenarioError, match=r"a prior needs a bounded range.*not lognormal"):
        company({"scoring.mql_threshold": {"dist": "lognormal", "median": 0.5, "sigma": 0.2}})


def test_a_prior_reaching_values_the_key_refuses_names_the_section() -> None:
    scenario = company({"scoring.mql_threshold": {"dist": "uniform", "low": 0.4, "high": 1.5}})
    with pytest.raises(ScenarioError, match=r"calibration\.parameters") as raised:
        priors_for(scenario, [])
    assert "scoring.mql_threshold" in str(raised.value)


def test_a_fit_from_the_section_alone_records_its_beta_prior(tmp_path: Path) -> None:
    from orgsim.calibration.abc import Budget, calibrate
    from orgsim.calibration.actuals import read_actuals

    pytest.importorskip("pyabc")
    scenario = company({"scoring.mql_threshold": BETA})
    actuals = read_actuals(HERE / "companies" / "small_actuals.csv")
    fit = calibrate(scenario, actuals, [], 3, budget=Budget(4, 1, 40, 2))
    [prior] = fit.priors
    assert prior.describe() == {"parameter": "scoring.mql_threshold", **BETA}
    draws = fit.posterior.table()["scoring.mql_threshold"]
    assert ((draws > 0) & (draws < 1)).all()
    fit.save(tmp_path / "fit")
    assert (tmp_path / "fit" / "calibration.json").read_text().count('"dist": "beta"') == 1
