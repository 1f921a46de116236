"""Every KPI in its possible range, or the replication fails and says why.

A ratio whose denominator is zero (no opportunity closed, no MQL touched) has no
value: it is NaN, by definition, and only the KPIs listed here may be. Anything
else out of range (a utilization above 1, a negative count, an infinite sum of
money) is a defect or a scenario the model cannot represent, and a replication
that produced it is reported as failed rather than averaged in silence.
"""

from __future__ import annotations

import math

UNDEFINED_WHEN = {
    "lead_to_mql": "no lead arrived",
    "mql_to_sql": "no MQL arrived",
    "sql_to_opportunity": "no SQL was booked",
    "opportunity_to_win": "no opportunity closed",
    "cost_per_opportunity": "no opportunity was accepted",
    "cost_per_sql": "no SQL was booked",
    "cost_per_win": "no deal was won",
    "cost_per_win_all_sources": "no deal was won",
    "pipeline_sdr_sourced_share": "no opportunity was opened",
    "cost_per_mql": "no MQL arrived",
    "speed_to_lead_hours_median": "no MQL was touched",
    "speed_to_lead_hours_p90": "no MQL was touched",
    "speed_to_lead_hours_mean": "no MQL was touched",
    "sdr_utilization": "no SDR was at work",
    "ae_utilization": "there is no AE, or selling is switched off (no limit on open deals)",
    "opportunity_sojourn_hours_mean": "no opportunity closed",
    "sdr_tenure_months_implied": "no SDR left",
}
"""KPIs that are NaN when the replication produced nothing to divide by, and when that is."""

COST_KPIS_PREFIX = "cost_"
"""With ``costs.enabled: false`` every cost KPI is NaN: costs are not computed."""

AT_MOST_ONE = frozenset(
    {
        "sql_to_opportunity",
        "opportunity_to_win",
        "sdr_utilization",
        "ae_utilization",
        "coaching_quality",
    }
)
"""Shares that cannot exceed 1; every other KPI is a non-negative, finite count, sum or time."""


class ImpossibleKpi(ValueError):
    """A replication produced a KPI outside its possible range."""


def check_kpis(kpis: dict[str, float], costs_enabled: bool) -> None:
    """Raise :class:`ImpossibleKpi` naming every KPI that has no possible value."""
    problems = []
    for name, value in kpis.items():
        if math.isnan(value):
            if name in UNDEFINED_WHEN or (not costs_enabled and name.startswith(COST_KPIS_PREFIX)):
                continue
            problems.append(f"{name} is NaN")
        elif not math.isfinite(value) or value < 0:
            problems.append(f"{name} = {value!r}, expected a finite value >= 0")
        elif name in AT_MOST_ONE and value > 1:
            problems.append(f"{name} = {value!r}, expected a share between 0 and 1")
    if problems:
        raise ImpossibleKpi("impossible KPI values: " + "; ".join(problems))
