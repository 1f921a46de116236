"""Time from a lever change to the first and to the final update of the running workshop app.

A room waits on this: the issue's target is at least 100 replications shown
within 3 seconds of a change. Measured as the page does it: POST the levers,
long-poll the job (each answer is held until there is news), load the
distributions figure as the page does (one at a time, again when the sample
has quadrupled unless the final view is due within a second, and for the
final view), then the funnel and the monthly band. "First" and "final" are the first and the final distributions figure
in hand; "all figures" adds the other two. Step by step through the deck:
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
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from orgsim.scenario.settings import setting
from orgsim.workshop import load_deck, running

ROOT = Path(__file__).resolve().parents[1]
DECK = ROOT / "scenarios" / "decks" / "workshop.yaml"
RESULTS = Path(__file__).resolve().parent / "results" / "workshop.json"
LEVER = "management.sdr_manager.time.planned_share"
SHARES = tuple(round(0.05 * k, 2) for k in range(1, 21))
"""Planned shares the lever moves to (the slider's grid), each used once so each run is new."""


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


class _Figures:
    """The page's figure loading: one distributions image at a time, the latest wanted;
    the funnel and the monthly band once the final distributions image is in."""

    def __init__(self, base: str, start: float) -> None:
        self.base, self.start = base, start
        self.times: dict[str, float] = {}
        self._wanted: str | None = None
        self._final: dict[str, str] | None = None
        self._news = threading.Condition()
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._thread.start()

    def want(self, url: str, final: dict[str, str] | None) -> None:
        with self._news:
            self._wanted, self._final = url, final
            self._news.notify()

    def wait(self) -> dict[str, float]:
        self._thread.join(timeout=120)
        return self.times

    def _load(self) -> None:
        loaded = None
        while True:
            with self._news:
                self._news.wait_for(lambda: self._wanted is not None or self._final is not None)
                url, final = self._wanted, self._final
                self._wanted = None
            if url is not None and url != loaded:
                _get(self.base + url.lstrip("/"))
                loaded = url
                self.times.setdefault("first", time.perf_counter() - self.start)
            if final is not None and loaded == final["distributions"]:
                self.times["final"] = time.perf_counter() - self.start
                others = [
                    threading.Thread(target=_get, args=(self.base + final[name].lstrip("/"),))
                    for name in ("funnel", "monthly")
                ]
                for thread in others:
                    thread.start()
                for thread in others:
                    thread.join()
                self.times["all"] = time.perf_counter() - self.start
                return


def _redraw(view: dict[str, Any], figure_shown: int, start: float) -> bool:
    """The page's rule: the sample has quadrupled and the final figure is over a second away."""
    elapsed = time.perf_counter() - start
    remaining = elapsed * (view["total"] - view["shown"]) / view["shown"]
    return figure_shown == 0 or (view["shown"] >= 4 * figure_shown and remaining > 1)


def _update_times(base: str, step: int, levers: dict[str, Any]) -> dict[str, float]:
    """Seconds to the first figure, to the final one and to all final figures, as the page
    loads them (``orgsim/workshop/page.html``), and the replications shown."""
    body = json.dumps({"step": step, "levers": levers}).encode()
    request = urllib.request.Request(f"{base}api/run", body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        job = json.load(response)["job"]
    figures = _Figures(base, start)
    seen, figure_shown = -1, 0
    while True:
        view = json.loads(_get(f"{base}api/job/{job}?after={seen}"))
        seen = view["arrived"]
        if view["shown"] >= 2 and (view["done"] or _redraw(view, figure_shown, start)):
            figure_shown = view["shown"]
            figures.want(
                view["figures"]["distributions"], view["figures"] if view["done"] else None
            )
        if view["done"]:
            return {**figures.wait(), "shown": view["shown"]}


def _step_times(base: str, step: int, shares: list[float]) -> dict[str, Any]:
    cold = _update_times(base, step, {})
    warm = [_update_times(base, step, {LEVER: share}) for share in shares]
    return {
        "step": step,
        "replications": warm[0]["shown"],
        **{f"cold_{key}_s": cold[key] for key in ("first", "final", "all")},
        **{
            f"warm_{key}_s_median": statistics.median(w[key] for w in warm)
            for key in ("first", "final", "all")
        },
        "warm_runs": [{f"{key}_s": w[key] for key in ("first", "final", "all")} for w in warm],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, nargs="*", help="deck steps (default: all)")
    args = parser.parse_args()
    deck = load_deck(DECK)
    steps = args.steps if args.steps else range(len(deck.steps))
    # A share some scenario of the deck already has would be a run the cache answers.
    taken = {setting(scenario, LEVER) for sides in deck.scenarios for scenario in sides}
    fresh = [share for share in SHARES if share not in taken]
    if args.repeats * len(steps) > len(fresh):
        parser.error(f"at most {len(fresh)} lever changes in all (steps x repeats)")
    shares = iter(fresh)
    with running(deck, workers=2) as base:
        time.sleep(3)  # the workers' start, as a facilitator's first minute hides it
        records = []
        for step in steps:
            record = _step_times(base, step, [next(shares) for _ in range(args.repeats)])
            records.append({"title": deck.steps[step].title, **record})
            print(
                f"step {step}: lever change -> first update {record['warm_first_s_median']:.2f} s, "
                f"final ({record['replications']} replications) "
                f"{record['warm_final_s_median']:.2f} s, all figures "
                f"{record['warm_all_s_median']:.2f} s (median of {args.repeats}); "
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
