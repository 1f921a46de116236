"""Why the two sides of a step differ: ``orgsim explain`` on the app's warm pool, on demand.

Explain runs 2^groups designs (256 for the deck's ownership steps), so it is
not started by a lever change: the facilitator asks for it with a button once
the verdict is in. It runs as a live job on the engine, batch by batch, with
:data:`REPLICATIONS` per design, so a lever change or a new step cancels its
queued batches at once and the room is never kept waiting behind it; the
batches already run stay in the cache, so asking again resumes where it
stopped. Its two end designs are the step's own sides, already in the cache.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from orgsim.analysis import HEADLINE_KPI
from orgsim.experiment.explain import (
    ExplainPlan,
    Explanation,
    explain_plan,
)
from orgsim.kpis import KPI_NAMES
from orgsim.scenario import Scenario
from orgsim.workshop.engine import Engine, Job

REPLICATIONS = 10
"""Replications per design: few, because there are 2^groups designs (2,560 replications for
eight groups); common random numbers keep the contributions' intervals usable all the same."""


@dataclass
class Explaining:
    """An explain run in progress: its plan, its job, and the explanation once every batch is in."""

    plan: ExplainPlan
    job: Job
    kpi: str = HEADLINE_KPI
    _explanation: Explanation | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def designs(self) -> int:
        return len(self.plan.designs)

    def explanation(self) -> Explanation | None:
        """Each group's contribution, once every design has all its replications; else None."""
        if not self.job.finished.is_set() or self.job.error is not None:
            return None
        with self._lock:
            if self._explanation is None:
                column = KPI_NAMES.index(self.kpi)
                values = {
                    coalition: self.job.kpi_values(side, column)
                    for side, coalition in enumerate(self.plan.coalitions)
                }
                self._explanation = self.plan.explanation(
                    self.kpi, self.job.replications, values.__getitem__
                )
            return self._explanation


def explain_cost(a: Scenario, b: Scenario) -> str:
    """What explaining B - A runs, in words, for the button that starts it."""
    designs = len(explain_plan(a, b).designs)
    return (
        f"{designs} designs × {REPLICATIONS} replications = {designs * REPLICATIONS:,} runs; "
        "a lever change stops it, asking again resumes it"
    )


def start(engine: Engine, a: Scenario, b: Scenario, seed: int) -> Explaining:
    """Start explaining B - A on ``engine`` with the step's seed (a live run: cancellable)."""
    plan = explain_plan(a, b)
    return Explaining(plan, engine.start(plan.designs, seed, REPLICATIONS))
