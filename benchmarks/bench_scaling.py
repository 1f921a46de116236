"""Cost per event as the org grows and as the horizon lengthens, as ratios to the baseline.

The baseline scenario at 1x, 4x, 16x and 64x its size (demand, program spend,
every team's headcount and the SQL target scaled together) over 12 months, and
at 1x over 36 and 60 months. A model that scales linearly costs the same per
event at every size and horizon (issue 19's target: 64x within 1.2x of 1x).

Two figures per configuration, each a ratio to the 1x figure of the same run:
* instructions per event, counted by Valgrind (``cachegrind --cache-sim=no``) in
  a child process: the instructions of a run with replications minus those of
  the same process without, so start-up and loading cancel; immune to the
  shared machine's noise, and skipped when Valgrind is absent;
* wall time per event, in this process: the configurations take turns, round
  after round, and each figure is the median over rounds, so a burst of load
  elsewhere spreads over all of them.

    python benchmarks/bench_scaling.py [--reps 32] [--rounds 3] [--no-instructions]

Prints a table and writes ``benchmarks/results/scaling.json``.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import shutil
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from valgrind import count as valgrind_count

import orgsim
from orgsim.model import Streams, run_replication
from orgsim.scenario import Scenario, with_overrides

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "sales_owns_inside_sales.yaml"
RESULTS = Path(__file__).resolve().parent / "results" / "scaling.json"

SCALED = (
    "demand.leads_per_month",
    "demand.program_spend_per_month",
    "demand.reference_spend_per_month",
    "policies.sql_target.monthly",
    "teams.marketing.headcount",
    "teams.sdr.headcount",
    "teams.ae.headcount",
)
"""What grows with the org: scaled together, so every part of the funnel keeps its load.

The reference spend grows with the spend, or the spend elasticity would make
leads grow as the scale to the power 1.7; the one SDR manager stays one.
"""

CONFIGURATIONS = ((1, 12), (4, 12), (16, 12), (64, 12), (1, 36), (1, 60))
"""(scale, months); the first is the reference of every ratio."""

INSTRUCTION_REPS = 4
"""Replications' worth of baseline work counted under Valgrind per configuration."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=32, help="1x replications per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-instructions", action="store_true", help="skip Valgrind")
    parser.add_argument("--child", nargs=3, type=int, metavar=("SCALE", "MONTHS", "REPS"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child, seed=args.seed)
        return

    load = os.getloadavg()[0]
    base = orgsim.load(BASELINE)
    records = [_describe(base, scale, months) for scale, months in CONFIGURATIONS]
    _measure_wall(base, records, args.reps, args.rounds, args.seed)
    valgrind = shutil.which("valgrind")
    if valgrind and not args.no_instructions:
        for record in records:
            record.update(_count_instructions(valgrind, record, args.seed))
    _add_ratios(records)
    _print(records)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "measured": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "load_average_before": load,
                "configurations": records,
            },
            indent=2,
        )
        + "\n"
    )


def scaled(base: Scenario, scale: int, months: int) -> Scenario:
    """``base`` with everything in ``SCALED`` times ``scale``, over ``months`` months."""
    overrides: dict[str, Any] = {
        key: functools.reduce(getattr, key.split("."), base) * scale for key in SCALED
    }
    overrides["calendar.months"] = months
    return with_overrides(base, overrides, source="bench_scaling")


def _work(scale: int, months: int) -> float:
    """A configuration's size in baseline replications."""
    return scale * months / CONFIGURATIONS[0][1]


def _replications(total: int, scale: int, months: int) -> int:
    return max(1, math.ceil(total / _work(scale, months)))


def _describe(base: Scenario, scale: int, months: int) -> dict[str, Any]:
    scenario = scaled(base, scale, months)
    return {
        "scale": scale,
        "months": months,
        "leads_per_month": scenario.demand.leads_per_month,
        "sdrs": scenario.teams.sdr.headcount,
        "aes": scenario.teams.ae.headcount,
    }


def _measure_wall(
    base: Scenario, records: list[dict[str, Any]], reps: int, rounds: int, seed: int
) -> None:
    scenarios = [scaled(base, record["scale"], record["months"]) for record in records]
    run_replication(scenarios[0], Streams.for_replication(seed, reps))  # warm caches
    per_event: list[list[float]] = [[] for _ in records]
    events: list[list[float]] = [[] for _ in records]
    for _ in range(rounds):
        for record, scenario, costs, counts in zip(
            records, scenarios, per_event, events, strict=True
        ):
            seconds, round_events = 0.0, 0.0
            for i in range(max(2, _replications(reps, record["scale"], record["months"]))):
                start = time.perf_counter()
                result = run_replication(scenario, Streams.for_replication(seed, i))
                seconds += time.perf_counter() - start
                round_events += result.kpis["events"]
                counts.append(result.kpis["events"])
            costs.append(seconds / round_events)
    for record, costs, counts in zip(records, per_event, events, strict=True):
        record["events_per_replication"] = statistics.fmean(counts)
        record["wall_us_per_event"] = 1e6 * statistics.median(costs)
        record["wall_us_per_event_rounds"] = [1e6 * cost for cost in costs]


def _count_instructions(valgrind: str, record: dict[str, Any], seed: int) -> dict[str, Any]:
    """Instructions per event of ``record``'s configuration, from two Valgrind runs."""
    scale, months = record["scale"], record["months"]
    reps = _replications(INSTRUCTION_REPS, scale, months)
    setup, _ = _valgrind_child(valgrind, scale, months, 0, seed)
    total, events = _valgrind_child(valgrind, scale, months, reps, seed)
    return {
        "instruction_replications": reps,
        "instructions_per_replication": (total - setup) / reps,
        "instructions_per_event": (total - setup) / events,
    }


def _valgrind_child(
    valgrind: str, scale: int, months: int, reps: int, seed: int
) -> tuple[int, float]:
    """(instructions executed, events simulated) by a child running ``reps`` replications."""
    arguments = ["--seed", str(seed), "--child", str(scale), str(months), str(reps)]
    return valgrind_count(valgrind, __file__, arguments)


def _child(scale: int, months: int, reps: int, seed: int) -> None:
    """Run under Valgrind: the same set-up whatever ``reps``, then ``reps`` replications."""
    base = orgsim.load(BASELINE)
    scenario = scaled(base, scale, months)
    run_replication(scaled(base, 1, 1), Streams.for_replication(seed, 10**6))  # lazy imports
    events = sum(
        run_replication(scenario, Streams.for_replication(seed, i)).kpis["events"]
        for i in range(reps)
    )
    print(json.dumps({"events": events}))


def _add_ratios(records: list[dict[str, Any]]) -> None:
    reference = records[0]
    for record in records:
        for figure, ratio in (
            ("wall_us_per_event", "wall_ratio"),
            ("instructions_per_event", "instructions_ratio"),
        ):
            if figure in record:
                record[ratio] = record[figure] / reference[figure]


def _print(records: list[dict[str, Any]]) -> None:
    print(
        f"{'scale':>5} {'months':>6} {'events':>10} {'us/event':>9} {'ratio':>6} "
        f"{'instr/event':>12} {'ratio':>6}"
    )
    for r in records:
        instructions = (
            f"{r['instructions_per_event']:12,.0f} {r['instructions_ratio']:6.2f}"
            if "instructions_per_event" in r
            else f"{'-':>12} {'-':>6}"
        )
        print(
            f"{r['scale']:>5} {r['months']:>6} {r['events_per_replication']:10,.0f} "
            f"{r['wall_us_per_event']:9.2f} {r['wall_ratio']:6.2f} {instructions}"
        )


if __name__ == "__main__":
    main()
