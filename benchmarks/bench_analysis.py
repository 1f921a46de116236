"""Time and peak memory of a 5-design compare's paired analysis at 1,000 to 10,000 replications.

The replications table is synthetic, since the analysis's cost depends on the
table's shape, not its values: every KPI of the registry, each design the
baseline's values plus a shift and noise of its own on a per-replication term
all designs share (common random numbers), and NaN in a few replications of
two cost ratios, as runs with no wins leave them. ``paired_differences`` runs
as ``compare`` calls it (1,000 resamples): once timed, once under tracemalloc
for its peak memory (NumPy reports its arrays to tracemalloc). CPU time (all
threads) beside wall time, since the shared machine's load stretches the
latter; CPU time per replication is also given as a ratio to the smallest
run's, measured in the same run: 1.0 at every size is linear.

    python benchmarks/bench_analysis.py [--reps 1000 4000 10000] [--designs 5] [--kpis N]

Prints a table and writes ``benchmarks/results/analysis.json`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orgsim.analysis import paired_differences
from orgsim.kpis import KPIS

RESULTS = Path(__file__).resolve().parent / "results" / "analysis.json"
N_BOOT = 1000
"""Resamples per interval, as ``orgsim.experiment.compare`` asks for them."""
WITH_NAN = ("cost_per_win", "opportunity_sojourn_hours_mean")
NAN_SHARE = 0.005


def replications_table(designs: int, reps: int, kpis: list[str], seed: int = 1) -> pd.DataFrame:
    """``designs`` scenarios of ``reps`` replications each, paired by replication number."""
    rng = np.random.default_rng(seed)
    shared = 100 + 10 * rng.standard_normal((reps, len(kpis)))
    tables = []
    for design in range(designs):
        values = shared + design + rng.standard_normal((reps, len(kpis)))
        table = pd.DataFrame(values, columns=kpis)
        for kpi in set(WITH_NAN) & set(kpis):
            table.loc[rng.random(reps) < NAN_SHARE, kpi] = np.nan
        tables.append(table.assign(scenario=f"design {design}", replication=np.arange(reps)))
    return pd.concat(tables, ignore_index=True)


def measure(designs: int, reps: int, kpis: list[str]) -> dict[str, Any]:
    table = replications_table(designs, reps, kpis)
    start, cpu_start = time.perf_counter(), time.process_time()
    paired_differences(table, "design 0", n_boot=N_BOOT)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    tracemalloc.start()
    paired_differences(table, "design 0", n_boot=N_BOOT)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pairs = (designs - 1) * len(kpis)
    return {
        "replications": reps,
        "designs": designs,
        "kpis": len(kpis),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "cpu_seconds_per_kpi_pair": cpu_seconds / pairs,
        "peak_mb": peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--designs", type=int, default=5)
    parser.add_argument("--kpis", type=int, help="only the first N KPIs of the registry")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    load = os.getloadavg()[0]
    kpis = list(KPIS)[: args.kpis]
    paired_differences(replications_table(2, 50, kpis), "design 0", n_boot=N_BOOT)  # warm up
    records = [measure(args.designs, reps, kpis) for reps in args.reps]
    smallest = records[0]["cpu_seconds"] / records[0]["replications"]
    for record in records:
        record["cpu_seconds_per_replication_ratio"] = (
            record["cpu_seconds"] / record["replications"] / smallest
        )
    print(
        f"{'reps':>6} {'designs':>7} {'kpis':>4} {'wall s':>7} {'cpu s':>7} {'ratio':>6} {'peak MB':>8}"
    )
    for r in records:
        print(
            f"{r['replications']:>6} {r['designs']:>7} {r['kpis']:>4} {r['seconds']:7.2f} "
            f"{r['cpu_seconds']:7.2f} {r['cpu_seconds_per_replication_ratio']:6.2f} "
            f"{r['peak_mb']:8.1f}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "measured": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "n_boot": N_BOOT,
                "load_average_before": load,
                "runs": records,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
