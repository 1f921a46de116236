"""What each KPI means to a reader: which way is better, what to call it, how to print it.

Statistics alone cannot say whether a higher cost per opportunity is bad news;
this registry can, so P(better) and the verdicts follow the KPI's direction. A
KPI the registry does not know (a column added later) is neutral and labelled
by its column name, so nothing is claimed about it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower", "neutral"]
"""Which way is better: ``higher``, ``lower``, or ``neutral`` when neither is."""

Unit = Literal["$", "%", "hours", "months", "count", "index"]
"""How a value is printed; ``%`` KPIs are stored as fractions (0.25 is 25%)."""


@dataclass(frozen=True, slots=True)
class KPI:
    """A KPI column's reading: human label, unit and the direction that is better."""

    name: str
    label: str
    unit: Unit
    direction: Direction

    def format(self, value: float) -> str:
        """``value`` in this KPI's unit, e.g. ``$12,345``, ``23.4%``, ``3.5 h``."""
        return format_value(value, self.unit)


def format_value(value: float, unit: Unit) -> str:
    """Print ``value`` in ``unit`` with thousands separators; NaN prints as ``n/a``."""
    if math.isnan(value):
        return "n/a"
    if unit == "$":
        sign = "-" if value < 0 else ""
        digits = 2 if abs(value) < 100 else 0
        return f"{sign}${abs(value):,.{digits}f}"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "months":
        return f"{value:,.1f} months"
    if unit == "index":
        return f"{value:.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _kpi(name: str, label: str, unit: Unit, direction: Direction) -> tuple[str, KPI]:
    return name, KPI(name, label, unit, direction)


KPIS: dict[str, KPI] = dict(
    [
        # Funnel volumes and revenue: more is better.
        _kpi("leads", "leads", "count", "higher"),
        _kpi("mqls", "MQLs", "count", "higher"),
        _kpi("sqls", "SQLs", "count", "higher"),
        _kpi("opportunities", "opportunities", "count", "higher"),
        _kpi("wins", "wins", "count", "higher"),
        _kpi("revenue", "revenue", "$", "higher"),
        _kpi("sqls_inbound", "inbound SQLs", "count", "higher"),
        _kpi("sqls_outbound", "outbound SQLs", "count", "higher"),
        # Conversion rates: a higher share moves on.
        _kpi("lead_to_mql", "lead-to-MQL rate", "%", "higher"),
        _kpi("mql_to_sql", "MQL-to-SQL rate", "%", "higher"),
        _kpi("sql_to_opportunity", "SQL-to-opportunity rate", "%", "higher"),
        _kpi("opportunity_to_win", "opportunity-to-win rate", "%", "higher"),
        # Costs: less is better.
        _kpi("cost_total", "total cost", "$", "lower"),
        _kpi("cost_per_mql", "cost per MQL", "$", "lower"),
        _kpi("cost_per_sql", "cost per SQL", "$", "lower"),
        _kpi("cost_per_opportunity", "cost per opportunity", "$", "lower"),
        _kpi("cost_per_win", "cost per win", "$", "lower"),
        _kpi("cost_demand_generation", "demand-generation cost", "$", "lower"),
        _kpi("cost_programs", "program cost", "$", "lower"),
        _kpi("cost_marketing", "marketing cost", "$", "lower"),
        _kpi("cost_sdr", "SDR cost", "$", "lower"),
        _kpi("cost_management", "management cost", "$", "lower"),
        _kpi("cost_overheads", "overhead cost", "$", "lower"),
        _kpi("cost_recruiting", "recruiting cost", "$", "lower"),
        _kpi("cost_ae", "AE cost", "$", "lower"),
        # Leads left waiting or dropped, SDR time lost, seats lost: less is better.
        _kpi("speed_to_lead_hours_median", "median speed to lead", "hours", "lower"),
        _kpi("speed_to_lead_hours_p90", "90th-percentile speed to lead", "hours", "lower"),
        _kpi("speed_to_lead_hours_mean", "mean speed to lead", "hours", "lower"),
        _kpi("mqls_untouched", "untouched MQLs", "count", "lower"),
        _kpi("opportunities_inbound", "opportunities from MQLs", "count", "higher"),
        _kpi("opportunities_outbound", "opportunities from SDR prospecting", "count", "higher"),
        _kpi("wins_inbound", "wins from MQLs", "count", "higher"),
        _kpi("wins_outbound", "wins from SDR prospecting", "count", "higher"),
        _kpi("opportunities_ae_sourced", "opportunities AEs sourced", "count", "higher"),
        _kpi("opportunities_partner", "opportunities from partners", "count", "higher"),
        _kpi("wins_ae_sourced", "wins AEs sourced", "count", "higher"),
        _kpi("wins_partner", "wins from partners", "count", "higher"),
        _kpi("revenue_all_sources", "revenue, all sources", "$", "higher"),
        _kpi("cost_per_win_all_sources", "cost per win, all sources", "$", "lower"),
        _kpi("ae_review_hours", "AE hours on rejected SQLs", "hours", "lower"),
        _kpi("ae_exits", "AE exits", "count", "lower"),
        _kpi("ae_hires", "AE hires", "count", "lower"),
        _kpi("ae_vacant_seat_months", "vacant AE seat-months", "months", "lower"),
        _kpi("pipeline_sdr_sourced_share", "SDR-sourced share of pipeline", "%", "neutral"),
        _kpi("mqls_neglected", "MQLs a sales-run team never worked", "count", "lower"),
        _kpi(
            "sqls_below_definition",
            "qualified leads below the SLA's SQL definition",
            "count",
            "neutral",
        ),
        _kpi("sla_review_hours", "SDR and manager hours on SLA reviews", "hours", "neutral"),
        _kpi("mqls_touched_late", "MQLs first touched after the SLA window", "count", "lower"),
        _kpi("retry_delay_hours_max", "longest wait of a due retry", "hours", "lower"),
        _kpi("sqls_diverted", "diverted SQLs", "count", "lower"),
        _kpi("sqls_padded", "padded SQLs", "count", "lower"),
        _kpi("diverted_hours", "marketer hours diverted to dialing", "hours", "lower"),
        _kpi("sdr_exits", "SDR exits", "count", "lower"),
        _kpi("sdr_hires", "SDR hires", "count", "lower"),
        _kpi("sdr_vacant_seat_months", "vacant SDR seat-months", "months", "lower"),
        # Coaching, tenure and marketing's own output: more is better.
        _kpi("coaching_quality", "coaching quality", "index", "higher"),
        _kpi("sdr_tenure_months_implied", "implied SDR tenure", "months", "higher"),
        _kpi("content_hours", "marketing content hours", "hours", "higher"),
        # Loads, plans and flows where neither way is better in itself.
        _kpi("sdr_utilization", "SDR utilization", "%", "neutral"),
        _kpi("ae_utilization", "AE utilization", "%", "neutral"),
        _kpi("manager_hours_sdr_planned", "manager hours planned for SDRs", "hours", "neutral"),
        _kpi("manager_hours_sdr_spent", "manager hours spent on SDRs", "hours", "neutral"),
        _kpi("mqls_recycled", "recycled MQLs", "count", "neutral"),
        _kpi("touches", "touches", "count", "neutral"),
        _kpi("opportunities_closed", "opportunities closed", "count", "neutral"),
        _kpi("pipeline_open", "open pipeline", "count", "neutral"),
        _kpi("pipeline_open_mean", "time-average open pipeline", "count", "neutral"),
        _kpi(
            "opportunity_sojourn_hours_mean", "mean time an opportunity is open", "hours", "neutral"
        ),
        _kpi("outbound_hours", "SDR outbound hours", "hours", "neutral"),
        _kpi("events", "simulation events", "count", "neutral"),
    ]
)
"""Every KPI of ``orgsim.model.result.KPI_NAMES``, keyed by column name."""

HEADLINE_KPI = "cost_per_win"
"""The KPI verdicts, reports, the workshop and ``explain`` lead with unless told otherwise.

Cost per win, not cost per opportunity: cost per opportunity divides the cost of
demand generation by opportunities, so a design that passes more, weaker SQLs
(padding, month-end diversion, a low bar for an SQL) can lower it while closing
nothing more. Cost per win divides the total cost, the AEs' hours spent on the
deals that lose included, by the deals that close, so junk raises it: a CFO can
accept it as the price of a customer. Cost per opportunity is still reported,
second; a command's ``--kpi`` (or a scenario's ``sensitivity.kpi``) picks another.
"""


def kpi_info(name: str) -> KPI:
    """The registry entry of ``name``; an unknown column is a neutral count labelled by its name."""
    return KPIS.get(name) or KPI(name, name, "count", "neutral")
