"""Peak memory of one replication against its lead volume: the figures behind ``orgsim.scenario.footprint``.

Two designs bracket what a lead costs: one where no lead becomes an MQL (each
lead costs its nurture-pool entry and its id), and one where every lead is an
MQL worked for 20 attempts under an SLA (each attempt adds its pre-drawn
touch, retry and contact numbers). The slope of peak bytes (tracemalloc)
over leads gives bytes per lead and, from the difference, bytes per attempt.
Two more slopes give bytes per person (all three teams grown, few leads) and
per dialed SQL (no inbound demand, outbound dialing at 20 and 10 dials a
meeting). ``footprint.py`` rounds each up. It runs in a few minutes.

    python benchmarks/bench_memory.py
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from orgsim.model import run_replication
from orgsim.scenario import Scenario, with_overrides

RESULTS = Path(__file__).resolve().parent / "results" / "memory.json"
LEADS_PER_MONTH = (2_000, 8_000, 32_000)
MONTHS = 12
ATTEMPTS = 20
DESIGNS = {
    "no_mqls": {"scoring.mql_threshold": 1.0},
    "every_lead_an_mql_20_attempts": {
        "scoring.mql_threshold": 0.0,
        "org.sla.enabled": True,
        "org.sla.min_attempts": ATTEMPTS,
        "followup.max_attempts": ATTEMPTS,
    },
}


def peak_bytes(scenario: Scenario) -> int:
    return _peak_and_kpis(scenario)[0]


def _peak_and_kpis(scenario: Scenario) -> tuple[int, dict[str, float]]:
    tracemalloc.start()
    try:
        kpis = run_replication(scenario, 1).kpis
        return tracemalloc.get_traced_memory()[1], kpis
    finally:
        tracemalloc.stop()


def _slope(
    common: dict[str, object],
    variants: list[dict[str, object]],
    count: Callable[[Scenario, dict[str, float]], float],
) -> float:
    """Peak bytes per unit of ``count`` between two variants of one design."""
    points = []
    for variant in variants:
        scenario = with_overrides(Scenario(), {**common, **variant})
        peak, kpis = _peak_and_kpis(scenario)
        points.append((count(scenario, kpis), peak))
    (low, low_peak), (high, high_peak) = points
    return (high_peak - low_peak) / (high - low)


def main() -> None:
    records = []
    slopes = {}
    for design, overrides in DESIGNS.items():
        totals, peaks = [], []
        for leads in LEADS_PER_MONTH:
            scenario = with_overrides(
                Scenario(),
                {**overrides, "calendar.months": MONTHS, "demand.leads_per_month": leads},
            )
            peak = peak_bytes(scenario)
            totals.append(leads * MONTHS)
            peaks.append(peak)
            records.append({"design": design, "leads_per_month": leads, "peak_bytes": peak})
            print(f"{design:32} {leads:>7} leads a month: peak {peak / 2**20:8.1f} MiB")
        slopes[design] = float(np.polyfit(totals, peaks, 1)[0])
    per_lead = slopes["no_mqls"]
    per_attempt = (slopes["every_lead_an_mql_20_attempts"] - per_lead) / ATTEMPTS
    per_person = _slope(
        {"calendar.months": 3, "demand.leads_per_month": 10},
        [
            {f"teams.{team}.headcount": people for team in ("sdr", "ae", "marketing")}
            for people in (1000, 4000)
        ],
        lambda scenario, kpis: 3 * scenario.teams.sdr.headcount,
    )
    per_dialed_sql = _slope(
        {"demand.enabled": False, "followup.outbound.dials_per_hour": 1000},
        [{"followup.outbound.dials_per_meeting": dials} for dials in (20, 10)],
        lambda scenario, kpis: kpis["sqls_outbound"],
    )
    print(
        f"bytes per lead {per_lead:.0f}, per attempt {per_attempt:.0f}, "
        f"per person {per_person:.0f}, per dialed SQL {per_dialed_sql:.0f}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "bytes_per_lead": per_lead,
        "bytes_per_attempt": per_attempt,
        "bytes_per_person": per_person,
        "bytes_per_dialed_sql": per_dialed_sql,
        "runs": records,
    }
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
