"""Time of one replication on one core, and the events it simulates: the baseline, and the
costliest shipped design (an SLA's six attempts per MQL triple the SDR touches), which sets
the workshop's pace.

Every run's cost is this figure times the replications over the workers, so
model changes should be measured here first.

    python benchmarks/bench_replication.py [--reps 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import orgsim
from orgsim.model import Streams, run_replication

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = (
    ROOT / "scenarios" / "sales_owns_inside_sales.yaml",
    ROOT / "scenarios" / "marketing_owns_inside_sales_with_sla.yaml",
)
RESULTS = Path(__file__).resolve().parent / "results" / "replication.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    records = [_measure(path, args.reps, args.seed) for path in SCENARIOS]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(records, indent=2) + "\n")


def _measure(path: Path, reps: int, seed: int) -> dict[str, float | str | int]:
    scenario = orgsim.load(path)
    run_replication(scenario, Streams.for_replication(seed, reps))  # warm caches
    seconds, events = [], []
    for i in range(reps):
        streams = Streams.for_replication(seed, i)
        start = time.perf_counter()
        result = run_replication(scenario, streams)
        seconds.append(time.perf_counter() - start)
        events.append(result.kpis["events"])

    record = {
        "scenario": path.name,
        "replications": reps,
        "ms_per_replication_mean": 1000 * statistics.fmean(seconds),
        "ms_per_replication_median": 1000 * statistics.median(seconds),
        "ms_per_replication_min": 1000 * min(seconds),
        "events_per_replication_mean": statistics.fmean(events),
        "microseconds_per_event": 1e6 * sum(seconds) / sum(events),
    }
    print(
        f"{path.name}: {record['ms_per_replication_mean']:.1f} ms per replication "
        f"(median {record['ms_per_replication_median']:.1f}, min {record['ms_per_replication_min']:.1f}) "
        f"over {reps}; {record['events_per_replication_mean']:,.0f} events per replication, "
        f"{record['microseconds_per_event']:.1f} us per event",
        flush=True,
    )
    return record


if __name__ == "__main__":
    main()
