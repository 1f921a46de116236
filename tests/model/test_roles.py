"""Inbound and outbound as roles (roles.py): MDRs work MQLs only, SDRs prospect only, and the
reporting line reaches the role it is set for."""

from __future__ import annotations

from model_helpers import shipped

from orgsim.model import run_replication
from orgsim.model.streams import Streams

SPLIT = {"calendar.months": 3, "teams.sdr.roles.enabled": True}


def test_mdrs_only_work_mqls_and_sdrs_only_prospect():
    result = run_replication(
        shipped("sales_owns_inside_sales", SPLIT), Streams.for_replication(5, 0)
    )
    table = result.sdr_months
    mdr = table["seat"] < 2  # 0.25 x 8 seats
    assert (table["outbound_hours"][mdr] == 0).all() and table["busy_hours"][mdr].sum() > 0
    assert (table["busy_hours"][~mdr] == 0).all() and (table["outbound_hours"][~mdr] > 0).all()


def test_the_reporting_line_reaches_only_the_role_it_is_set_for():
    """Friction (AEs discount another department's SQLs) hits MDRs in marketing, not SDRs in
    sales: their outbound SQLs and opportunities are those of an all-sales split team, to the
    last one on common random numbers; with the whole team in marketing, fewer are accepted."""

    def kpis(scenario: str, overrides: dict[str, object]) -> list[dict[str, float]]:
        design = shipped(scenario, {**SPLIT, **overrides})
        return [run_replication(design, Streams.for_replication(5, i)).kpis for i in range(4)]

    all_sales = kpis("sales_owns_inside_sales", {})
    mdrs_in_marketing = kpis("mdrs_in_marketing_sdrs_in_sales", {})
    all_marketing = kpis(
        "mdrs_in_marketing_sdrs_in_sales", {"teams.sdr.roles.outbound_reports_to": "same"}
    )
    for sales, split, marketing in zip(all_sales, mdrs_in_marketing, all_marketing, strict=True):
        assert split["sqls_outbound"] == sales["sqls_outbound"] == marketing["sqls_outbound"]
        assert split["opportunities_outbound"] == sales["opportunities_outbound"]
        assert marketing["opportunities_outbound"] < split["opportunities_outbound"]
        assert split["mqls_neglected"] == 0 < sales["mqls_neglected"]
