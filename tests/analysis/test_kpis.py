"""The KPI registry says which way is better and prints values the way a reader expects."""

import math

import pytest

from orgsim.analysis.kpis import KPIS, format_value, kpi_info
from orgsim.model.result import KPI_NAMES


def test_registry_describes_exactly_the_model_kpis():
    assert set(KPIS) == set(KPI_NAMES)


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
