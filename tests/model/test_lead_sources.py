"""Lead sources: each source's leads, funnel and spend are reported apart and add up to the whole."""

from __future__ import annotations

import numpy as np
import pytest
from model_helpers import build, monthly
from pydantic import ValidationError

from orgsim.model.lead_sources import SOURCE_STAGES

SOURCES = {
    "content": {"share": 0.3, "spend_share": 0.2, "fit": {"dist": "beta", "mean": 0.4, "sd": 0.1}},
    "paid": {"share": 0.7, "spend_share": 0.8, "fit": {"dist": "beta", "mean": 0.2, "sd": 0.1}},
}
SHORT = {"calendar.months": 6, "calendar.warm_up_months": 2, "demand.sources": SOURCES}


@pytest.fixture(scope="module")
def months():
    return monthly(build(SHORT), 4)


def test_sources_add_up_to_the_totals(months):
    """Leads and first-time MQLs of all sources are the totals; the rest, the inbound funnel."""
    for m in months:
        for stage, total in (("leads", "leads"), ("mqls", "mqls"), ("sqls", "sqls_inbound")):
            np.testing.assert_array_equal(m[f"{stage}_content"] + m[f"{stage}_paid"], m[total])
        for stage in ("opportunities", "wins"):
            both = m[f"{stage}_content"] + m[f"{stage}_paid"]
            np.testing.assert_array_equal(both, m[f"{stage}_inbound"])
        np.testing.assert_allclose(m["cost_programs_content"], 0.2 * 60000)
        assert set(SOURCE_STAGES) <= {name.removesuffix("_paid") for name in m}


def test_each_source_brings_its_share_of_leads(months):
    """Leads of a source are binomial(leads, share): SE sqrt(n share (1 - share)) over all months."""
    leads = sum(m["leads"].sum() for m in months)
    content = sum(m["leads_content"].sum() for m in months)
    assert abs(content - 0.3 * leads) < 3 * np.sqrt(leads * 0.3 * 0.7)


def test_a_fitter_source_turns_more_leads_into_mqls(months):
    """Fit 0.4 against 0.2 under a 0.55 bar: far apart, many SEs (binomial, thousands of leads)."""
    rate = {
        name: sum(m[f"mqls_{name}"].sum() for m in months)
        / sum(m[f"leads_{name}"].sum() for m in months)
        for name in SOURCES
    }
    assert rate["content"] > 2 * rate["paid"], rate


def test_no_sources_means_no_source_columns():
    assert not any(
        name.startswith("leads_") for name in monthly(build(SHORT | {"demand.sources": {}}), 1)[0]
    )


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ({"paid": {"share": 0.5, "spend_share": 1.0}}, "share must add up to 1"),
        ({"Paid Search": {"share": 1.0, "spend_share": 1.0}}, "snake_case"),
        ({"inbound": {"share": 1.0, "spend_share": 1.0}}, "already a KPI"),
    ],
)
def test_bad_sources_are_refused_naming_the_key(sources, message):
    with pytest.raises(ValidationError, match=message) as error:
        build({"demand.sources": sources})
    assert "demand.sources" in str(error.value)


def test_the_run_tables_carry_the_sources_columns():
    """``simulate``'s monthly table (monthly.csv) has each source's columns, as the model gives them."""
    import orgsim

    table = orgsim.simulate(build(SHORT), 2, 3, workers=1).monthly
    direct = monthly(build(SHORT), 1, seed=3)[0]
    rows = table[table["replication"] == 0]
    np.testing.assert_array_equal(rows["wins_paid"], direct["wins_paid"])
    np.testing.assert_array_equal(rows["cost_programs_content"], direct["cost_programs_content"])
