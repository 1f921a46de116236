"""Time from a lever change to the first and to the final update of the running workshop app.

A room waits on this: the issue's target is at least 100 replications shown
within 3 seconds of a change. Measured as the page does it: POST the levers,
long-poll the job (each answer is held until there is news), fetch the
figure of the first and of the final view. Step by step through the deck:
"new step" opens it (the sides earlier steps have not run yet run now);
"lever change" then moves the manager's planned share to values not run
before, so only the changed side runs, 100 replications of it.

    python benchmarks/bench_workshop.py [--repeats 3] [--steps 2 4]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import urllib.request
from pathlib import Path
from typing import Any

from orgsim.workshop import load_deck, running

ROOT = Path(__file__).resolve().parents[1]
DECK = ROOT / "scenarios" / "decks" / "workshop.yaml"
RESULTS = Path(__file__).resolve().parent / "results" / "workshop.json"
SHARES = tuple(round(0.05 * k, 2) for k in range(1, 21))
"""Planned shares the lever moves to (the slider's grid), each used once so each run is new."""


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def _update_times(base: str, step: int, levers: dict[str, Any]) -> tuple[float, float, int]:
    """Seconds to the first view with a figure, to the final one, and the replications shown."""
    body = json.dumps({"step": step, "levers": levers}).encode()
    request = urllib.request.Request(f"{base}api/run", body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        job = json.load(response)["job"]
    first, seen = None, -1
    while True:
        view = json.loads(_get(f"{base}api/job/{job}?after={seen}"))
        seen = view["arrived"]
        if view["shown"] >= 2 and first is None:
            _get(base + view["figures"]["distributions"].lstrip("/"))
            first = time.perf_counter() - start
        if view["done"]:
            _get(base + view["figures"]["distributions"].lstrip("/"))
            return first or 0.0, time.perf_counter() - start, view["shown"]


def _step_times(base: str, step: int, shares: list[float]) -> dict[str, Any]:
    cold = _update_times(base, step, {})
    warm = [
        _update_times(base, step, {"management.sdr_manager.time.planned_share": share})
        for share in shares
    ]
    return {
        "step": step,
        "replications": warm[0][2],
        "cold_first_s": cold[0],
        "cold_final_s": cold[1],
        "warm_first_s_median": statistics.median(w[0] for w in warm),
        "warm_final_s_median": statistics.median(w[1] for w in warm),
        "warm_runs": [{"first_s": w[0], "final_s": w[1]} for w in warm],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, nargs="*", help="deck steps (default: all)")
    args = parser.parse_args()
    deck = load_deck(DECK)
    steps = args.steps if args.steps else range(len(deck.steps))
    if args.repeats * len(steps) > len(SHARES):
        parser.error(f"at most {len(SHARES)} lever changes in all (steps x repeats)")
    shares = iter(SHARES)
    with running(deck, workers=2) as base:
        time.sleep(3)  # the workers' start, as a facilitator's first minute hides it
        records = []
        for step in steps:
            record = _step_times(base, step, [next(shares) for _ in range(args.repeats)])
            records.append({"title": deck.steps[step].title, **record})
            print(
                f"step {step}: lever change -> first update {record['warm_first_s_median']:.2f} s, "
                f"final ({record['replications']} replications) "
                f"{record['warm_final_s_median']:.2f} s (median of {args.repeats}); "
                f"new step, both sides: first {record['cold_first_s']:.2f} s, "
                f"final {record['cold_final_s']:.2f} s",
                flush=True,
            )
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cpus, load {load:.1f}")
    summary = {"deck": DECK.name, "cpus": os.cpu_count(), "load_average_1min": load}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({**summary, "steps": records}, indent=2) + "\n")


if __name__ == "__main__":
    main()
