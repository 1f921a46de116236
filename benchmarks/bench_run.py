"""Wall time of ``orgsim run`` on the baseline: 1 worker, 2 workers and a Dask LocalCluster of 2.

Each configuration runs as a user would run it, ``python -m orgsim run`` in a
fresh process, so the figures include interpreter start-up, worker start-up
and writing the results. Parallel efficiency is T(1 worker) / (k x T(k workers)).
The replications tables of all configurations must be identical, byte for byte.

    python benchmarks/bench_run.py [--reps 1000]

Prints a table and writes ``benchmarks/results/run.json``. Run it on a quiet
machine (load average below 1): other work on the cores shows up as lost
efficiency.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "sales_owns_inside_sales.yaml"
RESULTS = Path(__file__).resolve().parent / "results" / "run.json"
CONFIGURATIONS = (("local", 1), ("local", 2), ("dask", 2))


def time_run(backend: str, workers: int, replications: int, seed: int, out: Path) -> dict:
    """One ``orgsim run`` in a fresh process: its wall time and the simulation's own."""
    command = [sys.executable, "-m", "orgsim", "run", str(BASELINE), "--reps", str(replications)]
    command += ["--seed", str(seed), "--workers", str(workers), "--backend", backend]
    command += ["--out", str(out), "--format", "json"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    load = os.getloadavg()[0]
    cpu_before = _children_cpu_seconds()
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - start
    cpu = _children_cpu_seconds() - cpu_before
    summary = json.loads((out / "summary.json").read_text())
    return {
        "backend": backend,
        "workers": workers,
        "load_average_before": load,
        "command_wall_seconds": wall,
        "simulate_wall_seconds": summary["wall_time_seconds"],
        "replications_per_second": replications / wall,
        "cpu_seconds": cpu,
    }


def _children_cpu_seconds() -> float:
    """CPU time of finished child processes and their own children (pool and Dask workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    load_before = os.getloadavg()
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for backend, workers in CONFIGURATIONS:
            out = Path(scratch) / f"{backend}-{workers}"
            runs.append(time_run(backend, workers, args.reps, args.seed, out))
            runs[-1]["replications_csv"] = (out / "replications.csv").read_bytes()
        identical = len({run.pop("replications_csv") for run in runs}) == 1
    single, single_simulate = runs[0]["command_wall_seconds"], runs[0]["simulate_wall_seconds"]
    for run in runs:
        run["parallel_efficiency"] = single / (run["workers"] * run["command_wall_seconds"])
        run["simulate_efficiency"] = single_simulate / (
            run["workers"] * run["simulate_wall_seconds"]
        )

    print(
        f"orgsim run {BASELINE.name} --reps {args.reps}  (load average before: {load_before[0]:.2f})"
    )
    print(
        f"{'backend':<8}{'workers':>8}{'wall s':>9}{'reps/s':>9}{'efficiency':>12}"
        f"{'simulate s':>12}{'efficiency':>12}{'CPU s':>8}{'load':>7}"
    )
    for run in runs:
        print(
            f"{run['backend']:<8}{run['workers']:>8}{run['command_wall_seconds']:>9.1f}"
            f"{run['replications_per_second']:>9.1f}{run['parallel_efficiency']:>12.0%}"
            f"{run['simulate_wall_seconds']:>12.1f}{run['simulate_efficiency']:>12.0%}"
            f"{run['cpu_seconds']:>8.1f}{run['load_average_before']:>7.2f}"
        )
    print("wall: the whole command; simulate: orgsim.simulate alone (start workers, run tasks);")
    print("CPU s: CPU time of the command and its workers; load: 1-minute load average before")
    print(f"replications tables identical across configurations: {identical}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "scenario": BASELINE.name,
        "replications": args.reps,
        "seed": args.seed,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before[0],
        "load_average_after": os.getloadavg()[0],
        "tables_identical": identical,
        "runs": runs,
    }
    RESULTS.write_text(json.dumps(record, indent=2) + "\n")
    if not identical:
        sys.exit("replications tables differ between configurations")


if __name__ == "__main__":
    main()
