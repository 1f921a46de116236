"""The KPI registry names what the model returns and the docs list, says which way is better, and
prints values the way a reader expects."""

import math
import re
from pathlib import Path

import pytest

from orgsim.kpis import (
    HEADLINE_KPI,
    KPIS,
    LEADING_KPIS,
    REPORT_KPIS,
    VERDICT_KPIS,
    format_value,
    kpi_info,
    screen_kpis,
)
from orgsim.model import run_replication
from orgsim.scenario import load

ROOT = Path(__file__).resolve().parents[2]
BETTER = {"higher": "higher", "lower": "lower", "neither": "neutral"}


def _docs_kpi_table() -> dict[str, tuple[str, str, bool]]:
    """docs/model.md's KPI table: name -> (unit, direction, contract)."""
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("### The KPI table", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| ([^|]+) \| ([^|]+) \| ([^|]*) \|", section, re.M)
    table = {
        name: (unit.strip(), BETTER[better.strip()], contract.strip() == "yes")
        for name, unit, better, contract in rows
    }
    assert len(table) == len(rows), "a KPI appears twice in the docs' table"
    return table


def test_a_replication_returns_exactly_the_registrys_kpis_in_its_order():
    scenario = load(
        ROOT / "scenarios" / "marketing_owns_inside_sales_with_sla.yaml",
        {"calendar.months": 2, "calendar.warm_up_months": 0},
    )
    assert list(run_replication(scenario, 1).kpis) == list(KPIS)


def test_the_docs_kpi_table_lists_every_kpi_with_the_registrys_unit_and_direction():
    documented = _docs_kpi_table()
    assert list(documented) == list(KPIS)
    for name, kpi in KPIS.items():
        assert documented[name] == (kpi.unit, kpi.direction, kpi.contract), name


def test_interface_md_names_exactly_the_contract_kpis():
    interface = ROOT.parent / "shared" / "design" / "interface.md"  # ../shared beside the clone
    if not interface.exists():
        pytest.skip("the shared design documents are not beside this checkout")
    text = interface.read_text(encoding="utf-8")
    listed = text.split("KPI column names, used across files", 1)[1].split("More may be added", 1)[
        0
    ]
    contract = {name for name, kpi in KPIS.items() if kpi.contract}
    assert set(re.findall(r"`([a-z0-9_]+)`", listed)) == contract


def test_registry_entries_are_keyed_by_their_own_name():
    assert all(kpi.name == name for name, kpi in KPIS.items())


def test_cost_per_opportunity_is_dollars_and_lower_is_better():
    kpi = kpi_info("cost_per_opportunity")
    assert (kpi.label, kpi.unit, kpi.direction) == ("cost per opportunity", "$", "lower")


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("wins", "higher"),
        ("revenue", "higher"),
        ("mql_to_sql", "higher"),
        ("cost_total", "lower"),
        ("speed_to_lead_hours_median", "lower"),
        ("sdr_exits", "lower"),
        ("sdr_utilization", "neutral"),
    ],
)
def test_direction_follows_what_the_business_wants(name, direction):
    assert kpi_info(name).direction == direction


def test_unknown_kpi_is_neutral_and_labelled_by_its_column():
    kpi = kpi_info("new_column_added_later")
    assert (kpi.label, kpi.direction) == ("new_column_added_later", "neutral")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12345.4, "$", "$12,345"),
        (-1200.0, "$", "-$1,200"),
        (42.5, "$", "$42.50"),
        (0.234, "%", "23.4%"),
        (3.54, "hours", "3.5 h"),
        (2.26, "months", "2.3 months"),
        (1234.0, "count", "1,234"),
        (12.37, "count", "12.4"),
        (0.8123, "index", "0.81"),
        (math.nan, "$", "n/a"),
    ],
)
def test_values_print_in_their_unit(value, unit, text):
    assert format_value(value, unit) == text


def test_a_kpi_formats_with_its_own_unit():
    assert kpi_info("revenue").format(1_500_000) == "$1,500,000"


def test_diverted_hours_are_called_marketers_hours_not_sdrs():
    """They count marketers pulled off content to dial at month end (2.9), not SDR time."""
    label = kpi_info("diverted_hours").label
    assert "marketer" in label and "SDR" not in label


def test_every_screen_leads_with_the_headline_then_cost_per_opportunity():
    assert LEADING_KPIS[0] == HEADLINE_KPI
    for screen in ("table", "verdicts", "report", "workshop"):
        assert screen_kpis(screen)[:2] == LEADING_KPIS, screen


def test_the_report_pairs_every_kpi_it_states_a_verdict_on():
    assert set(VERDICT_KPIS) <= set(REPORT_KPIS)
