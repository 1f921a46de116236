"""Speed of ``orgsim calibrate``: simulations per second of a fit, against plain ``simulate`` in the same run.

The issue's case: 3 parameters fitted to 24 months of synthetic actuals of the
baseline, on 1 worker and on every core (the fit is the same on any number:
``orgsim.calibration.sampler``). Its rate on one worker is compared with
``simulate`` on one worker in the same process and minute: the ratio is the
cost of ABC's bookkeeping plus running each simulation as its own task; the
wall time on more workers says how the fit scales with them.

    python benchmarks/bench_calibrate.py [--population N] [--generations N] [--simulations N] [--workers 1 2]

The budget defaults to ``orgsim calibrate``'s.

Prints a table and writes ``benchmarks/results/calibrate.json``. On a shared
machine, read the per-CPU-second rates: wall-clock rates move with the load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orgsim  # noqa: E402
from orgsim.calibration import synthesize  # noqa: E402
from orgsim.calibration.abc import DEFAULT_BUDGET, Budget, calibrate  # noqa: E402
from orgsim.experiment import Session  # noqa: E402

BASELINE = ROOT / "scenarios" / "sales_owns_inside_sales.yaml"
RESULTS = Path(__file__).resolve().parent / "results" / "calibrate.json"
MONTHS = 24
PARAMS = [
    ("demand.leads_per_month", 1000.0, 3000.0),
    ("scoring.mql_threshold", 0.4, 0.7),
    ("selling.win_rate", 0.1, 0.4),
]
TRUTH_SEED = 2026


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=DEFAULT_BUDGET.population)
    parser.add_argument("--generations", type=int, default=DEFAULT_BUDGET.generations)
    parser.add_argument("--simulations", type=int, default=DEFAULT_BUDGET.simulations)
    parser.add_argument("--plain", type=int, default=60, help="replications of plain simulate")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1], help="worker counts"
    )
    args = parser.parse_args()
    args.workers = sorted({1, *args.workers})  # one worker is the baseline of the speed-up
    scenario = orgsim.load(BASELINE, {"calendar.months": MONTHS})
    load_before = os.getloadavg()[0]
    actuals = synthesize(scenario, TRUTH_SEED).actuals

    start, cpu = time.perf_counter(), time.process_time()
    orgsim.simulate(scenario, replications=args.plain, seed=1, workers=1)
    plain_rate = args.plain / (time.perf_counter() - start)
    plain_cpu_rate = args.plain / (time.process_time() - cpu)
    start = time.perf_counter()
    with Session(workers=1) as session:
        session.simulate_each([(scenario, i) for i in range(args.plain // 3)], seed=2)
    one_at_a_time_rate = (args.plain // 3) / (time.perf_counter() - start)

    budget = Budget(args.population, args.generations, args.simulations)
    walls = {}
    for workers in args.workers:
        start, cpu = time.perf_counter(), time.process_time()
        fit = calibrate(scenario, actuals, PARAMS, seed=7, budget=budget, workers=workers)
        walls[workers] = time.perf_counter() - start
        if workers == 1:
            fit_cpu = time.process_time() - cpu
    fit_wall = walls[min(walls)]
    truth = {key: orgsim.scenario.settings.setting(scenario, key) for key, _, _ in PARAMS}
    summary = fit.summary()
    covered = {
        row.parameter: bool(row.ci_low <= truth[row.parameter] <= row.ci_high)
        for row in summary.itertuples()
    }
    report = {
        "scenario": BASELINE.name,
        "months": MONTHS,
        "parameters": [key for key, _, _ in PARAMS],
        "budget": vars(args),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
        "plain_simulate_replications_per_second": plain_rate,
        "one_replication_runs_per_second": one_at_a_time_rate,
        "fit_wall_seconds": fit_wall,
        "fit_wall_seconds_by_workers": walls,
        "speedup_by_workers": {workers: fit_wall / wall for workers, wall in walls.items()},
        "fit_cpu_seconds": fit_cpu,
        "plain_simulate_replications_per_cpu_second": plain_cpu_rate,
        "fit_simulations_per_cpu_second": (fit.simulations + budget.predictive) / fit_cpu,
        "fit_simulations": fit.simulations + budget.predictive,
        "fit_simulations_per_second": (fit.simulations + budget.predictive) / fit_wall,
        "ratio_to_plain_simulate": (fit.simulations + budget.predictive) / fit_wall / plain_rate,
        "generations": fit.populations.to_dict(orient="records"),
        "posterior": summary.to_dict(orient="records"),
        "truth": truth,
        "truth_in_90_interval": covered,
        "backtest_coverage_90": fit.coverage(),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(summary.to_string(index=False))
    print(fit.populations.to_string(index=False))
    for key in (
        "plain_simulate_replications_per_second",
        "one_replication_runs_per_second",
        "fit_simulations_per_second",
        "ratio_to_plain_simulate",
        "fit_wall_seconds",
    ):
        print(f"{key}: {report[key]:.3f}")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
