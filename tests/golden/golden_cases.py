"""Golden back-tests: a few replications of every shipped scenario, stored and compared exactly.

Every optimization claims "results identical"; these files hold it to that. A
change that alters results regenerates them (``python tests/golden/regenerate.py``)
in a commit of its own that says why.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import orgsim
from orgsim.model import run_replication
from orgsim.model.streams import Streams

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
STORE = Path(__file__).resolve().parent / "store"
SEED = 2026
REPLICATIONS = 3


def simulate(path: Path) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """KPI rows and monthly rows of replications 0..REPLICATIONS-1 of the shipped scenario."""
    scenario = orgsim.load(path)
    kpi_rows, monthly_rows = [], []
    for replication in range(REPLICATIONS):
        result = run_replication(scenario, Streams.for_replication(SEED, replication))
        kpi_rows.append({"replication": replication, **result.kpis})
        months = len(result.monthly["month"])
        for i in range(months):
            row = {name: float(values[i]) for name, values in result.monthly.items()}
            monthly_rows.append({"replication": replication, **row})
    return kpi_rows, monthly_rows


def store_paths(path: Path) -> tuple[Path, Path]:
    return STORE / f"{path.stem}.kpis.csv", STORE / f"{path.stem}.monthly.csv"


def write_rows(path: Path, rows: list[dict[str, float]]) -> None:
    """One row per replication (or replication and month); floats as repr, which round-trips."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: repr(float(value)) for key, value in row.items()} for row in rows)


def read_rows(path: Path) -> list[dict[str, float]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [{key: float(value) for key, value in row.items()} for row in csv.DictReader(handle)]


def same(stored: float, now: float) -> bool:
    """Equal to the last bit, with NaN equal to NaN."""
    return stored == now or (math.isnan(stored) and math.isnan(now))
