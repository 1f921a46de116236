"""When would the other design win? ``orgsim discover`` on the app's warm pool, on demand.

Discovery runs both sides of a step at :data:`POINTS` sampled sets of the
uncertain assumptions (the scenarios' ``sensitivity`` ranges), so like explain
(:mod:`orgsim.workshop.explaining`) it is not started by a lever change: the
facilitator asks for it with a button once the verdict is in. It runs as a
live job on the engine, so a lever change or a new step cancels its queued
batches at once; the batches already run stay in the cache, so asking again
resumes where it stopped.

The points come from ``orgsim discover``'s own plan
(:func:`~orgsim.experiment.discover.discovery_plan`) with the step's seed, and
every point's paired KPI goes through its own analysis
(:meth:`~orgsim.experiment.discover.DiscoveryPlan.discovery`), so the page's
sentence is the one ``orgsim discover A B --samples 64 --reps 2 --seed SEED``
prints for the two sides as the levers set them. A setting the room moved on
a lever is the room's choice, not an uncertain assumption: it is held where
the room set it rather than sampled.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from orgsim.analysis.discovery import INSTALL_HINT
from orgsim.experiment.discover import (
    Discovery,
    DiscoveryPlan,
    discovery_plan,
    shared_ranges,
)
from orgsim.kpis import KPI_NAMES
from orgsim.scenario import Scenario
from orgsim.workshop.engine import Engine, Job, batches

POINTS = 64
"""Latin-hypercube points: ``orgsim discover``'s default, the fewest at which PRIM, peeling 5%
of the points a step, still has a dozen steps to choose a box from."""

REPLICATIONS = 2
"""Replications per point and design: a point only needs the sign of the paired difference,
and on common random numbers two pairs give it for all but the closest calls (which PRIM's
density absorbs); 64 points × 2 designs × 2 = 256 runs, about a minute on two cores for the
deck's 24 months, against the 10 per point ``orgsim discover`` spends by default."""


class CannotDiscover(ValueError):
    """The step gives discovery nothing to do; the message says why, for the page."""


@dataclass
class Discovering:
    """A discovery in progress: its plan, its job, and the discovery once every batch is in.

    Sides ``2 * point`` and ``2 * point + 1`` of the job are A and B at
    ``point``. ``held`` names the lever settings held at the room's values;
    ``other`` is the design the step's verdict does not favour, whose
    sentence answers the button's question (None: the verdict is not known).
    """

    plan: DiscoveryPlan
    job: Job
    held: tuple[str, ...] = ()
    other: str | None = None
    _discovery: Discovery | None = None
    _error: str | None = None
    _answer: dict[str, Any] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def points(self) -> int:
        return len(self.plan.sample)

    @property
    def runs(self) -> int:
        return len(self.job.scenarios) * self.job.replications

    @property
    def error(self) -> str | None:
        return self.job.error or self._error

    def points_done(self) -> int:
        """Points whose two designs have every replication in."""
        full = len(batches(self.job.replications))
        sides = self.job.batches
        return sum(
            len(sides[2 * point]) == full and len(sides[2 * point + 1]) == full
            for point in range(self.points)
        )

    def discovery(self) -> Discovery | None:
        """The winner at every point and PRIM's boxes, once every batch is in; else None."""
        if not self.job.finished.is_set() or self.job.error is not None:
            return None
        with self._lock:
            if self._discovery is None and self._error is None:
                column = KPI_NAMES.index(self.plan.kpi)
                outcomes = []
                try:
                    for point in range(self.points):
                        paired = pd.DataFrame(
                            {
                                "a": self.job.kpi_values(2 * point, column),
                                "b": self.job.kpi_values(2 * point + 1, column),
                            }
                        ).dropna()
                        outcomes.append(self.plan.outcome(point, paired))
                    self._discovery = self.plan.discovery(
                        outcomes, self.job.replications, wall_time=self.job.wall_time
                    )
                except ValueError as error:  # the KPI undefined at a point: said in plain words
                    self._error = str(error)
            return self._discovery

    def answer(self) -> dict[str, Any] | None:
        """What the page shows once done: the sentence first, then each design's boxes.

        ``sentence`` is the first sentence of :attr:`other` (else of the
        design that wins at fewer points); ``regions`` lists that design
        first, each with its count of winning points, its sentences and its
        boxes; a box's ``limits`` are the parameters it restricts, with the
        words its sentence uses. ``plotted`` are the two parameters the
        figure shows (none with a single parameter: no figure).
        """
        discovery = self.discovery()
        if discovery is None:
            return None
        if self._answer is None:
            document = discovery.document()
            wins = document["wins"]
            other = self.other if self.other in wins else min(wins, key=wins.__getitem__)
            sentences = discovery.sentences_by_design()
            regions = [
                {
                    "design": region["design"],
                    "wins": wins[region["design"]],
                    "sentences": sentences[region["design"]],
                    "boxes": [_box(box, discovery.labels) for box in region["boxes"]],
                }
                for region in sorted(document["regions"], key=lambda r: r["design"] != other)
            ]
            self._answer = {
                "sentence": regions[0]["sentences"][0],
                "other": other,
                "regions": regions,
                "kpi": discovery.kpi,
                "parameters": discovery.labels,
                "plotted": discovery.most_important(2) if len(discovery.parameters) > 1 else [],
            }
        return self._answer


def _box(box: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """A box of ``discovery.json`` for the page: its restricted limits, its numbers, its sentence."""
    limits = {
        key: {
            "label": labels.get(key, key),
            **{side: limit[side] for side in ("low", "high", "restricted_low", "restricted_high")},
        }
        for key, limit in box["limits"].items()
        if limit["restricted"]
    }
    numbers = {name: box[name] for name in ("coverage", "density", "mass", "points", "wins")}
    return {"sentence": box["sentence"], "limits": limits, **numbers}


def sampled_ranges(
    a: Scenario, b: Scenario, held: Collection[str] = ()
) -> dict[str, tuple[float, float]]:
    """The ranges discovery samples: both files' ``sensitivity`` ranges but the ``held`` keys.

    ``CannotDiscover`` if the files declare different ranges for a key, or
    none is left to sample.
    """
    try:
        ranges = shared_ranges(a, b)
    except ValueError as error:
        raise CannotDiscover(str(error)) from None
    if not ranges:
        raise CannotDiscover(
            f"{a.name!r} and {b.name!r} declare no sensitivity ranges (sensitivity.parameters "
            "is empty), so there is no uncertain assumption to vary: give the step's scenario "
            "files ranges to ask when the other design would win"
        )
    left = {key: bounds for key, bounds in ranges.items() if key not in held}
    if not left:
        raise CannotDiscover(
            "every assumption the scenarios let vary is set on a lever the room moved: "
            "reset a lever to let discovery vary it"
        )
    return left


def discover_cost(a: Scenario, b: Scenario) -> str:
    """What asking when the other design would win runs, in words, for its button;
    ``CannotDiscover`` if the step has nothing to sample."""
    ranges = sampled_ranges(a, b)
    runs = POINTS * 2 * REPLICATIONS
    return (
        f"{POINTS} samples of {len(ranges)} assumptions × 2 designs × {REPLICATIONS} replications "
        f"= {runs:,} runs; a lever change stops it, asking again resumes it"
    )


def start(
    engine: Engine,
    a: Scenario,
    b: Scenario,
    seed: int,
    held: Collection[str] = (),
    other: str | None = None,
) -> Discovering:
    """Start discovering where A and where B wins on ``engine`` with the step's seed (a live run).

    ``held`` are the keys the room set on levers (not sampled); ``other`` the
    design whose sentence leads. ``CannotDiscover`` if there is nothing to
    sample, or PRIM is not installed (the ``discover`` extra).
    """
    if any(importlib.util.find_spec(name) is None for name in ("ema_workbench", "sklearn")):
        raise CannotDiscover(INSTALL_HINT)
    ranges = sampled_ranges(a, b, held)
    plan = discovery_plan(a, b, samples=POINTS, seed=seed, parameters=ranges)
    designs = [design for point in range(POINTS) for design in plan.designs(point)]
    kept = tuple(key for key in held if key in shared_ranges(a, b))
    return Discovering(plan, engine.start(designs, seed, REPLICATIONS), kept, other)
