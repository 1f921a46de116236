"""Time of one replication on one core, and the events it simulates: the baseline, and the
costliest shipped design (an SLA's six attempts per MQL triple the SDR touches), which sets
the workshop's pace.

Every run's cost is this figure times the replications over the workers, so
model changes should be measured here first. Wall times on a shared machine are
noisy, so each scenario is also counted in instructions by Valgrind
(``cachegrind --cache-sim=no``) in a child process: the instructions of a run
with replications minus those of the same process without, so start-up and
loading cancel. Beside them, issue 19's floor: one bare SimPy timeout per event
(its instructions counted the same way, times the replication's events), plus
the random draws the replication needs: every call the replication makes to its
generators (method and arguments, recorded in a child process), replayed on one
generator with nothing else around them.

It measures the orgsim it imports: this checkout's pure Python when installed
editable (``pip install -e .``), or the compiled build ``pip install .`` makes.

    python benchmarks/bench_replication.py [--reps 50] [--instruction-reps 2] [--no-instructions]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy
from valgrind import BUILD, HOME
from valgrind import count as valgrind_count

import orgsim
from orgsim.model import Streams, run_replication

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = (
    ROOT / "scenarios" / "sales_owns_inside_sales.yaml",
    ROOT / "scenarios" / "marketing_owns_inside_sales_with_sla.yaml",
)
RESULTS = Path(__file__).resolve().parent / "results" / f"replication_{BUILD}.json"
FLOOR_EVENTS = 100_000
"""Bare SimPy timeouts counted for the floor's instructions per event."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--instruction-reps", type=int, default=2)
    parser.add_argument("--no-instructions", action="store_true", help="skip Valgrind")
    parser.add_argument("--child", nargs=2, metavar=("SCENARIO", "REPS"))
    parser.add_argument("--floor-child", type=int, metavar="EVENTS")
    parser.add_argument("--record-child", nargs=3, metavar=("SCENARIO", "REPS", "CALLS"))
    parser.add_argument("--replay-child", nargs=2, metavar=("CALLS", "REPLAY"))
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), int(args.child[1]), args.seed)
        return
    if args.floor_child is not None:
        _floor_child(args.floor_child)
        return
    if args.record_child:
        _record_child(
            Path(args.record_child[0]),
            int(args.record_child[1]),
            args.seed,
            Path(args.record_child[2]),
        )
        return
    if args.replay_child:
        _replay_child(Path(args.replay_child[0]), args.replay_child[1] == "1")
        return

    records = [_measure(path, args.reps, args.seed) for path in SCENARIOS]
    valgrind = shutil.which("valgrind")
    if valgrind and not args.no_instructions:
        floor = _floor_instructions(valgrind)
        for path, record in zip(SCENARIOS, records, strict=True):
            record.update(_count_instructions(valgrind, path, args.instruction_reps, args.seed))
            draws = _draw_instructions(valgrind, path, args.instruction_reps, args.seed)
            events = record["instructions_per_replication"] / record["instructions_per_event"]
            record["floor_instructions_per_event"] = floor
            record["instructions_over_event_floor"] = record["instructions_per_event"] / floor
            record["draw_instructions_per_replication"] = draws
            record["floor_instructions_per_replication"] = events * floor + draws
            record["instructions_over_floor"] = (
                record["instructions_per_replication"]
                / record["floor_instructions_per_replication"]
            )
            print(
                f"{path.name}: {record['instructions_per_replication'] / 1e6:,.0f} M instructions "
                f"per replication, {record['instructions_per_event']:,.0f} per event; "
                f"{record['instructions_over_floor']:.2f}x the floor of "
                f"{record['floor_instructions_per_replication'] / 1e6:,.0f} M "
                f"({floor:,.0f} a bare event, {draws / 1e6:,.0f} M of draws); "
                f"{record['instructions_over_event_floor']:.2f}x the events' floor alone",
                flush=True,
            )
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
        "build": BUILD,
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


def _count_instructions(valgrind: str, path: Path, reps: int, seed: int) -> dict[str, float]:
    """Instructions per replication and per event of ``path``, from two Valgrind runs."""
    setup, _ = _valgrind(valgrind, ["--child", str(path), "0"], seed)
    total, events = _valgrind(valgrind, ["--child", str(path), str(reps)], seed)
    return {
        "instruction_replications": reps,
        "instructions_per_replication": (total - setup) / reps,
        "instructions_per_event": (total - setup) / events,
    }


def _draw_instructions(valgrind: str, path: Path, reps: int, seed: int) -> float:
    """Instructions per replication of ``path``'s random draws, replayed alone."""
    with tempfile.TemporaryDirectory() as scratch:
        calls = Path(scratch) / "calls.pickle"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--seed",
                str(seed),
                "--record-child",
                str(path),
                str(reps),
                str(calls),
            ],
            check=True,
            env={**os.environ, "PYTHONPATH": str(HOME)},
        )
        setup, _ = _valgrind(valgrind, ["--replay-child", str(calls), "0"], seed)
        total, _ = _valgrind(valgrind, ["--replay-child", str(calls), "1"], seed)
    return (total - setup) / reps


def _floor_instructions(valgrind: str) -> float:
    """Instructions of one bare SimPy timeout and its step, start-up subtracted."""
    setup, _ = _valgrind(valgrind, ["--floor-child", "0"], 0)
    total, events = _valgrind(valgrind, ["--floor-child", str(FLOOR_EVENTS)], 0)
    return (total - setup) / events


def _valgrind(valgrind: str, arguments: list[str], seed: int) -> tuple[int, float]:
    """(instructions executed, events simulated) by this script run as a child under Valgrind."""
    return valgrind_count(valgrind, __file__, ["--seed", str(seed), *arguments])


def _child(path: Path, reps: int, seed: int) -> None:
    """Run under Valgrind: the same set-up whatever ``reps``, then ``reps`` replications."""
    scenario = orgsim.load(path)
    # A whole replication first: a shorter one leaves first-time costs (lazy imports) in the
    # replications counted, 480 M instructions in the SLA design's.
    run_replication(scenario, Streams.for_replication(seed, 10**6))
    events = sum(
        run_replication(scenario, Streams.for_replication(seed, i)).kpis["events"]
        for i in range(reps)
    )
    print(json.dumps({"events": events}))


def _record_child(path: Path, reps: int, seed: int, calls: Path) -> None:
    """Not under Valgrind: record every generator call of ``reps`` replications of ``path``.

    The model makes its generators as ``np.random.Generator`` (``orgsim.model.streams``);
    here that name is a subclass that notes each method call, with its arguments.
    """
    recorded: list[tuple[str, tuple[object, ...], dict[str, object]]] = []

    class Recording(np.random.Generator):
        def __getattribute__(self, name: str) -> object:
            found = super().__getattribute__(name)
            if name.startswith("_") or not callable(found):
                return found

            def noted(*args: object, **kwargs: object) -> object:
                recorded.append((name, args, kwargs))
                return found(*args, **kwargs)

            return noted

    np.random.Generator = Recording  # type: ignore[misc]
    scenario = orgsim.load(path)
    for i in range(reps):
        run_replication(scenario, Streams.for_replication(seed, i))
    calls.write_bytes(pickle.dumps(recorded))


def _replay_child(calls: Path, replay: bool) -> None:
    """Run under Valgrind: load the recorded calls, and with ``replay`` make them all again."""
    recorded = pickle.loads(calls.read_bytes())
    generator = np.random.Generator(np.random.PCG64(0))
    if replay:
        for name, args, kwargs in recorded:
            getattr(generator, name)(*args, **kwargs)
    print(json.dumps({"events": len(recorded)}))


def _floor_child(events: int) -> None:
    """Run under Valgrind: ``events`` bare SimPy timeouts, each stepped by ``Environment.run``."""
    env = simpy.Environment()

    def ticks() -> object:
        for _ in range(events):
            yield env.timeout(1.0)

    env.run(env.process(ticks()))
    print(json.dumps({"events": max(events, 1)}))


if __name__ == "__main__":
    main()
