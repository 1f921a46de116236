"""What one replication returns: its KPIs (named by the registry, ``orgsim.kpis``), a monthly
table and a per-SDR table.

Column names are a contract shared by files, the API and plots: they are added
to, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orgsim import kpis as registry

KPI_NAMES = registry.KPI_NAMES
"""Every KPI a replication returns: the registry's (``orgsim.kpis``), in file order."""

CONTRACT_KPIS = registry.CONTRACT_KPIS
"""The KPI columns named in interface.md."""

MONTHLY_COLUMNS = registry.MONTHLY_COLUMNS
"""Columns of the monthly table: the registry's (``orgsim.kpis``)."""

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
