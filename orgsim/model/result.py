"""What one replication returns: the KPIs of interface.md and a monthly table.

Column names are a contract shared by files, the API and plots: they are added
to, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONTRACT_KPIS = (
    "leads",
    "mqls",
    "sqls",
    "opportunities",
    "wins",
    "revenue",
    "lead_to_mql",
    "mql_to_sql",
    "sql_to_opportunity",
    "opportunity_to_win",
    "cost_total",
    "cost_per_opportunity",
    "cost_per_sql",
    "cost_per_win",
    "speed_to_lead_hours_median",
    "sdr_utilization",
    "ae_utilization",
    "manager_hours_sdr_planned",
    "manager_hours_sdr_spent",
    "diverted_hours",
    "content_hours",
    "sdr_exits",
)
"""The KPI columns named in interface.md."""

EXTRA_KPIS = (
    "cost_per_mql",
    "speed_to_lead_hours_p90",
    "speed_to_lead_hours_mean",
    "sqls_inbound",
    "sqls_outbound",
    "sqls_diverted",
    "sqls_padded",
    "opportunities_inbound",
    "opportunities_outbound",
    "wins_inbound",
    "wins_outbound",
    "mqls_recycled",
    "mqls_untouched",
    "mqls_neglected",
    "sqls_below_definition",
    "sla_review_hours",
    "mqls_touched_late",
    "retry_delay_hours_max",
    "touches",
    "opportunities_closed",
    "pipeline_open",
    "pipeline_open_mean",
    "opportunity_sojourn_hours_mean",
    "coaching_quality",
    "sdr_vacant_seat_months",
    "sdr_tenure_months_implied",
    "sdr_hires",
    "outbound_hours",
    "cost_demand_generation",
    "cost_programs",
    "cost_marketing",
    "cost_sdr",
    "cost_management",
    "cost_overheads",
    "cost_recruiting",
    "cost_ae",
    "events",
)
"""Further KPIs that show each mechanism acting."""

KPI_NAMES = CONTRACT_KPIS + EXTRA_KPIS

MONTHLY_COLUMNS = (
    "month",
    "leads",
    "mqls",
    "sqls",
    "sqls_inbound",
    "sqls_outbound",
    "sqls_diverted",
    "opportunities",
    "opportunities_inbound",
    "opportunities_outbound",
    "wins",
    "wins_inbound",
    "wins_outbound",
    "revenue",
    "pipeline_open",
    "content_hours",
    "diverted_hours",
    "manager_hours_sdr_planned",
    "manager_hours_sdr_spent",
    "coaching_quality",
    "sql_target",
    "scoring_noise_factor",
    "sdr_filled_seats",
    "sdr_exits",
    "sdr_seats",
    "marketers",
    "sdr_vacant_seat_months",
    "cost_total",
    "cost_demand_generation",
)
"""Columns of the monthly table (``month`` counts 1..N over the reported horizon)."""

DERIVED_MONTHLY = frozenset(
    {"month", "cost_total", "cost_demand_generation", "sdr_vacant_seat_months"}
)
"""Monthly columns computed from the others rather than counted as the model runs."""


SDR_MONTH_COLUMNS = (
    "month",
    "seat",
    "person",
    "present_hours",
    "busy_hours",
    "outbound_hours",
    "touches",
)
"""Columns of the per-SDR table: one row per SDR and reported month they were present in.

``person`` numbers everyone who held a seat (the starting team first, then hires
in order), so a seat's successive occupants tell apart; ``busy_hours`` are hours
on MQL touches, ``outbound_hours`` those left for prospecting.
"""


@dataclass(frozen=True, slots=True)
class ReplicationResult:
    """KPIs over the horizon, one row per reported month, and one per SDR and month."""

    kpis: dict[str, float]
    monthly: dict[str, np.ndarray]
    sdr_months: dict[str, np.ndarray]
