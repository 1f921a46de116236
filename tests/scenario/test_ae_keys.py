"""The AE keys (2.8a-c of docs/model.md) are checked like every other: file, line, key, expectation."""

from __future__ import annotations

import pytest

from orgsim.scenario import ScenarioError, load


def test_bad_ae_and_pipeline_values_name_file_line_key_and_expectation(write) -> None:
    write(
        "x.yaml",
        """\
        teams:
          ae:
            work: {hours_per_opportunity: 0, selling_share: 1.5}
            attrition: {monthly_rate: -0.1}
        selling:
          partner: {per_mnth: 10}
          ae_sourced: {per_ae_per_month: -1}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load("x.yaml")
    assert str(caught.value).splitlines() == [
        "x.yaml:3 teams.ae.work.selling_share: must be between 0 and 1, got 1.5",
        "x.yaml:3 teams.ae.work.hours_per_opportunity: must be more than 0, got 0",
        "x.yaml:4 teams.ae.attrition.monthly_rate: must be between 0 and 1, got -0.1",
        "x.yaml:6 selling.partner.per_mnth: unknown key 'per_mnth'; did you mean 'per_month'?",
        "x.yaml:7 selling.ae_sourced.per_ae_per_month: must be at least 0, got -1",
    ]
