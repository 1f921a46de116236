"""The scenario layer writes the headline KPI out; it must be the analysis layer's one."""

from __future__ import annotations

from orgsim.analysis import HEADLINE_KPI, kpi_info
from orgsim.scenario.schema import Sensitivity


def test_sensitivity_measures_the_headline_kpi_by_default():
    assert Sensitivity().kpi == HEADLINE_KPI


def test_the_headline_kpi_is_cost_per_win_and_lower_is_better():
    kpi = kpi_info(HEADLINE_KPI)
    assert (kpi.name, kpi.unit, kpi.direction) == ("cost_per_win", "$", "lower")
