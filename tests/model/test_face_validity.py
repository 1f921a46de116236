"""The directions the articles claim, each tested on common random numbers.

Each test states the claim, runs two designs that differ only in it, and asserts
the paired mean difference is more than three standard errors in that direction.
"""

from __future__ import annotations

import numpy as np
from model_helpers import build, monthly, paired_z, replicate, shipped

N = 30


def test_less_coaching_coverage_lowers_sqls():
    """'If you don't give it the time it needs, results will suffer' (first article)."""
    full = replicate(build({"calendar.months": 6}), N)
    short = replicate(
        build({"calendar.months": 6, "management.sdr_manager.time.planned_share": 0.1}), N
    )
    assert paired_z(full["sqls"], short["sqls"]) < -3


def test_a_sales_manager_outperforms_a_marketing_manager_at_equal_time():
    """'Sales management is a skill that few marketers have' (first article)."""
    sales = replicate(build({"calendar.months": 6}), N)
    marketing = replicate(
        build({"calendar.months": 6, "management.sdr_manager.background": "marketing"}), N
    )
    assert paired_z(sales["sqls"], marketing["sqls"]) < -3


def test_diversion_raises_that_months_sqls_and_lowers_later_months_leads():
    """Designers dialing in the last week book SQLs now and cost leads later (second article)."""
    without = monthly(shipped("marketing_owns_inside_sales_as_it_turns_out"), N)
    with_diversion = monthly(shipped("marketing_owns_inside_sales_with_diversion"), N)
    diverted_month_sqls, later_leads = [], []
    for base, pushed in zip(without, with_diversion, strict=True):
        diverted = np.flatnonzero(pushed["diverted_hours"] > 0)
        assert diverted.size, "the deck's diversion scenario should divert in some month"
        first = diverted[0]
        diverted_month_sqls.append(pushed["sqls"][first] - base["sqls"][first])
        later_leads.append(pushed["leads"][first + 2 :].sum() - base["leads"][first + 2 :].sum())
    for differences, sign in ((diverted_month_sqls, 1), (later_leads, -1)):
        values = np.asarray(differences, dtype=float)
        z = values.mean() / (values.std(ddof=1) / np.sqrt(values.size))
        assert sign * z > 3, (sign, values.mean(), z)


def test_an_sla_raises_sql_acceptance():
    """'Once everyone signs off on it, nobody can complain about the leads' (second article)."""
    without = replicate(build({"calendar.months": 6}), N)
    with_sla = replicate(build({"calendar.months": 6, "org.sla.enabled": True}), N)
    assert paired_z(without["sql_to_opportunity"], with_sla["sql_to_opportunity"]) > 3


def test_slower_first_touch_lowers_mql_to_sql():
    """Contact and qualification odds fall with a lead's age (MIT/InsideSales 2007; HBR 2011)."""
    fast = replicate(
        build({"calendar.months": 6, "teams.sdr.work.inbound_check_interval_hours": 0}), N
    )
    slow = replicate(
        build({"calendar.months": 6, "teams.sdr.work.inbound_check_interval_hours": 16}), N
    )
    assert paired_z(fast["speed_to_lead_hours_median"], slow["speed_to_lead_hours_median"]) > 3
    assert paired_z(fast["mql_to_sql"], slow["mql_to_sql"]) < -3


def test_diversion_is_impossible_when_inside_sales_reports_to_sales():
    """Only an owner who commands marketers can pull them off their work (second article)."""
    overrides = {
        "calendar.months": 4,
        "policies.end_of_month_diversion.enabled": True,
        "policies.sql_target.monthly": 10_000,
    }
    sales = replicate(build(overrides), 10)
    marketing = replicate(build({**overrides, "org.inside_sales_reports_to": "marketing"}), 10)
    assert (sales["diverted_hours"] == 0).all() and (sales["sqls_diverted"] == 0).all()
    assert (marketing["diverted_hours"] > 0).all()
