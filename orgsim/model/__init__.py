"""The SimPy model of one replication: one module per mechanism, wired in ``replication``."""

from orgsim.model.replication import run_replication
from orgsim.model.result import (
    CONTRACT_KPIS,
    KPI_NAMES,
    MONTHLY_COLUMNS,
    SDR_MONTH_COLUMNS,
    ReplicationResult,
)
from orgsim.model.streams import MONTH_PURPOSES, REPLICATION_PURPOSES, Streams

__all__ = [
    "CONTRACT_KPIS",
    "KPI_NAMES",
    "MONTHLY_COLUMNS",
    "MONTH_PURPOSES",
    "REPLICATION_PURPOSES",
    "SDR_MONTH_COLUMNS",
    "ReplicationResult",
    "Streams",
    "run_replication",
]
