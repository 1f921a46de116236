"""Coverage of ``orgsim calibrate``'s 90% credible intervals, over synthetic companies whose truth is known.

Each company's true parameters are drawn from the prior (so the check is
simulation-based calibration: for the exact posterior, the truth falls inside
the 90% interval 90% of the time); its months are one replication of the small
test company with those parameters; the fit has the test suite's budget. ABC
at a finite epsilon is over-dispersed, so coverage at or above 90% is expected;
well below 90% (more than 2 binomial SE) would mean overconfident intervals.

    python benchmarks/bench_coverage.py [--companies 20]

Prints a table and writes ``benchmarks/results/coverage.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orgsim  # noqa: E402
from orgsim.calibration import MonthlyActuals, synthesize  # noqa: E402
from orgsim.calibration.abc import Budget, calibrate  # noqa: E402

COMPANY = ROOT / "tests" / "calibration" / "companies" / "small_company.yaml"
RESULTS = Path(__file__).resolve().parent / "results" / "coverage.json"
PRIORS = [("demand.leads_per_month", 150.0, 600.0), ("scoring.mql_threshold", 0.4, 0.7)]
COLUMNS = ["leads", "mqls", "sqls"]
BUDGET = Budget(population=20, generations=4, simulations=300, predictive=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    rows = []
    start = time.perf_counter()
    for company in range(args.companies):
        truth = {key: float(rng.uniform(low, high)) for key, low, high in PRIORS}
        scenario = orgsim.load(COMPANY, truth)
        months = synthesize(scenario, seed=1000 + company).actuals
        actuals = MonthlyActuals(months.table[COLUMNS], f"company {company}")
        fit = calibrate(orgsim.load(COMPANY), actuals, PRIORS, seed=company, budget=BUDGET)
        for row in fit.summary().itertuples():
            inside = bool(row.ci_low <= truth[row.parameter] <= row.ci_high)
            rows.append(
                {
                    "company": company,
                    "parameter": row.parameter,
                    "truth": truth[row.parameter],
                    "ci_low": row.ci_low,
                    "ci_high": row.ci_high,
                    "width_vs_prior": row.width_vs_prior,
                    "inside": inside,
                    "simulations": fit.simulations,
                }
            )
        print(f"company {company}: {[r['inside'] for r in rows[-len(PRIORS) :]]}", flush=True)
    wall = time.perf_counter() - start
    per_parameter = {}
    for key, _, _ in PRIORS:
        inside = [row["inside"] for row in rows if row["parameter"] == key]
        share = sum(inside) / len(inside)
        per_parameter[key] = {
            "coverage": share,
            "binomial_se_at_90": math.sqrt(0.9 * 0.1 / len(inside)),
            "companies": len(inside),
            "mean_width_vs_prior": float(
                np.mean([row["width_vs_prior"] for row in rows if row["parameter"] == key])
            ),
        }
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "load_average_after": os.getloadavg()[0],
        "budget": {
            "population": BUDGET.population,
            "generations": BUDGET.generations,
            "simulations": BUDGET.simulations,
        },
        "wall_seconds": wall,
        "coverage": per_parameter,
        "fits": rows,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(per_parameter, indent=2))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
