"""Turn a finished replication's tallies into the KPIs and the monthly table."""

from __future__ import annotations

import numpy as np

from orgsim.model.costs import MonthCosts, ratio
from orgsim.model.lead_sources import source_column, source_columns
from orgsim.model.result import DERIVED_MONTHLY, MONTHLY_COLUMNS, ReplicationResult
from orgsim.model.tallies import ReplicationTally
from orgsim.model.validity import check_kpis


def summarize(rep: ReplicationTally) -> ReplicationResult:
    """The KPIs over the reported months (warm-up left out), the monthly and the per-SDR tables."""
    clock = rep.clock
    reported = slice(clock.warm_up_months, clock.total_months)
    book = {name: np.asarray(values[reported], dtype=float) for name, values in rep.book.items()}
    total = {name: float(values.sum()) for name, values in book.items()}
    costs_on = rep.scenario.costs.enabled
    parts = {part: total[f"cost_{part}"] for part in MonthCosts.parts()}
    costs = MonthCosts(**parts)
    demand_cost = costs.demand_generation if costs_on else float("nan")
    total_cost = costs.total if costs_on else float("nan")

    start_hour = clock.month_start(clock.warm_up_months)
    ages = rep.desk.first_touch_ages
    ages = ages[rep.desk.first_touch_arrivals >= start_hour] if ages.size else ages
    floor = rep.floor
    ae_working = _reported_area(rep.book["ae_working_area"], clock.warm_up_months)
    ae_slots = _reported_area(rep.book["ae_slot_area"], clock.warm_up_months)
    sql_sourced = total["opportunities"]
    pipeline = sql_sourced + total["opportunities_ae_sourced"] + total["opportunities_partner"]
    all_wins = total["wins"] + total["wins_ae_sourced"] + total["wins_partner"]

    kpis = {
        "leads": total["leads"],
        "mqls": total["mqls"],
        "sqls": total["sqls"],
        "opportunities": total["opportunities"],
        "wins": total["wins"],
        "revenue": total["revenue"],
        "lead_to_mql": ratio(total["mqls"], total["leads"]),
        "mql_to_sql": ratio(total["sqls_inbound"], total["mqls"]),
        "sql_to_opportunity": ratio(total["opportunities"], total["sqls"]),
        "opportunity_to_win": ratio(total["wins"], total["opportunities_closed"]),
        "cost_total": total_cost,
        "cost_per_opportunity": ratio(demand_cost, total["opportunities"]),
        "cost_per_sql": ratio(demand_cost, total["sqls"]),
        "cost_per_win": ratio(total_cost, total["wins"]),
        "speed_to_lead_hours_median": float(np.median(ages)) if ages.size else float("nan"),
        "sdr_utilization": ratio(total["sdr_busy_hours"], total["sdr_present_hours"]),
        # min: on a floor full all along, the two time-integrals differ in the last bit only
        "ae_utilization": min(ratio(ae_working, ae_slots), 1.0)
        if rep.scenario.selling.enabled
        else float("nan"),  # no limit on open deals: nothing to be a share of
        "manager_hours_sdr_planned": total["manager_hours_sdr_planned"],
        "manager_hours_sdr_spent": total["manager_hours_sdr_spent"],
        "diverted_hours": total["diverted_hours"],
        "content_hours": total["content_hours"],
        "sdr_exits": total["sdr_exits"],
        "cost_per_mql": ratio(demand_cost, total["mqls"]),
        "speed_to_lead_hours_p90": float(np.quantile(ages, 0.9)) if ages.size else float("nan"),
        "speed_to_lead_hours_mean": float(ages.mean()) if ages.size else float("nan"),
        "sqls_inbound": total["sqls_inbound"],
        "sqls_outbound": total["sqls_outbound"],
        "sqls_diverted": total["sqls_diverted"],
        "sqls_padded": total["sqls_padded"],
        **{
            f"{stage}_{source}": total[f"{stage}_{source}"]
            for stage in ("opportunities", "wins")
            for source in ("inbound", "outbound")
        },
        **{
            f"{stage}_{source}": total[f"{stage}_{source}"]
            for stage in ("opportunities", "wins")
            for source in ("ae_sourced", "partner")
        },
        "revenue_all_sources": total["revenue"] + total["revenue_other_sources"],
        "cost_per_win_all_sources": ratio(total_cost, all_wins),
        "pipeline_sdr_sourced_share": ratio(
            total["opportunities_inbound"] + total["opportunities_outbound"], pipeline
        ),
        "ae_review_hours": total["ae_review_hours"],
        "ae_exits": total["ae_exits"],
        "ae_hires": total["ae_hires"],
        "ae_vacant_seat_months": rep.seats.open_seat_months - total["ae_filled_seats"],
        "mqls_recycled": total["mqls_recycled"],
        "mqls_untouched": total["mqls_untouched"],
        "mqls_neglected": float(rep.desk.neglected),
        "sqls_below_definition": float(rep.desk.below_definition),
        "sla_review_hours": total["sla_review_hours"],
        "pipeline_value": total["pipeline_value"],
        "manager_selling_hours": total["manager_selling_hours"],
        "sdr_pulled_hours": total["sdr_pulled_hours"],
        "sdr_content_hours": total["sdr_content_hours"],
        "mqls_touched_late": float(
            np.count_nonzero(ages > rep.scenario.org.sla.response_window_hours)
        ),
        "retry_delay_hours_max": rep.desk.retry_delay_max,
        "touches": total["touches"],
        "opportunities_closed": total["opportunities_closed"],
        "pipeline_open": float(book["pipeline_open"][-1]),
        "pipeline_open_mean": floor.area_in_system / clock.end,
        "opportunity_sojourn_hours_mean": ratio(floor.sojourn_hours, float(floor.closed)),
        "coaching_quality": float(book["coaching_quality"].mean()),
        "sdr_vacant_seat_months": total["sdr_seats"] - total["sdr_filled_seats"],
        "sdr_tenure_months_implied": ratio(total["sdr_filled_seats"], total["sdr_exits"]),
        "sdr_hires": total["sdr_hires"],
        "outbound_hours": total["outbound_hours"],
        "cost_demand_generation": demand_cost,
        **{f"cost_{part}": (value if costs_on else float("nan")) for part, value in parts.items()},
        "events": float(rep.events),
    }

    monthly = {"month": np.arange(1, clock.months + 1, dtype=float)}
    monthly.update({c: book[c] for c in MONTHLY_COLUMNS if c not in DERIVED_MONTHLY})
    by_month = MonthCosts(**{part: book[f"cost_{part}"] for part in MonthCosts.parts()})
    unknown = np.full(clock.months, np.nan)
    monthly["cost_demand_generation"] = by_month.demand_generation if costs_on else unknown
    monthly["cost_total"] = by_month.total if costs_on else unknown
    monthly["sdr_vacant_seat_months"] = book["sdr_seats"] - book["sdr_filled_seats"]
    monthly.update({column: book[column] for column in source_columns(rep.scenario.demand)})
    for name, source in rep.scenario.demand.sources.items():  # reported_source_columns' costs
        monthly[source_column("cost_programs", name)] = book["cost_programs"] * source.spend_share
    check_kpis(kpis, costs_on)
    return ReplicationResult(kpis=kpis, monthly=monthly, sdr_months=_sdr_months(rep))


def _reported_area(monthly_running_area: list[float], warm_up_months: int) -> float:
    """A running time-integral booked at each month's close, over the reported months."""
    before = monthly_running_area[warm_up_months - 1] if warm_up_months else 0.0
    return float(monthly_running_area[-1] - before)


def _sdr_months(rep: ReplicationTally) -> dict[str, np.ndarray]:
    """The per-SDR table over the reported months, ``month`` counted 1..N like the monthly table."""
    table = {name: np.asarray(values, dtype=float) for name, values in rep.sdr_months.items()}
    reported = table["month"] >= rep.clock.warm_up_months
    table = {name: values[reported] for name, values in table.items()}
    table["month"] = table["month"] - rep.clock.warm_up_months + 1
    return table
