"""Designs compared over a posterior: second-order Monte Carlo, on common random numbers.

Replication i draws its parameters from the posterior (by weight, seeded),
and every design runs replication i with those parameters and the same
streams. The paired difference then holds both the luck of a replication and
what the company's data leave uncertain about its parameters; a verdict that
survives it does not rest on a parameter value the data did not pin down.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from orgsim.calibration.posterior import Posterior, read_posterior
from orgsim.calibration.runs import run_draws
from orgsim.experiment.backends import BackendName
from orgsim.experiment.compare import Comparison, _distinct_names
from orgsim.experiment.explain import Explanation, explain_plan
from orgsim.experiment.results import Results
from orgsim.experiment.session import Session
from orgsim.kpis import HEADLINE_KPI
from orgsim.scenario import Scenario, with_overrides

POSTERIOR_SOURCE = "--posterior draw"
"""How messages name a parameter value taken from the posterior."""
DRAW_ENTROPY = 0x2D_0D_E5
"""Mixed with the run seed for which posterior draw each replication takes."""


def posterior_draws(posterior: Posterior, count: int, seed: int) -> pd.DataFrame:
    """The parameters of replications 0 to ``count - 1``: resampled by weight, from the seed alone."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, DRAW_ENTROPY]))
    return posterior.sample(count, rng)


def run_over_posterior(
    design: Scenario,
    posterior: Posterior | str | os.PathLike[str],
    replications: int,
    seed: int,
    *,
    workers: int | None = 1,
    backend: BackendName = "local",
    address: str | None = None,
) -> Results:
    """``design`` with replication i under the posterior's i-th draw (from the seed), as one run.

    ``workers`` run the draws (``None``: every core), on ``backend`` (``address`` as
    :class:`~orgsim.experiment.Session`'s); the numbers do not depend on them.
    """
    [run] = _runs_over_posterior([design], posterior, replications, seed, workers, backend, address)
    return run


def compare_over_posterior(
    scenarios: Sequence[Scenario],
    posterior: Posterior | str | os.PathLike[str],
    replications: int,
    seed: int,
    *,
    confidence: float = 0.95,
    n_boot: int = 1000,
    workers: int | None = 1,
    backend: BackendName = "local",
    address: str | None = None,
) -> Comparison:
    """Every design under each replication's posterior draw, paired; the first is the baseline.

    Where the draws run is :func:`run_over_posterior`'s.
    """
    from orgsim.analysis import paired_differences, shared_replications

    if len(scenarios) < 2:
        raise ValueError("compare needs at least two scenarios")
    scenarios = _distinct_names(list(scenarios))  # as compare tells same-named designs apart
    runs = _runs_over_posterior(scenarios, posterior, replications, seed, workers, backend, address)
    table = pd.concat([run.replications for run in runs], ignore_index=True)
    differences = paired_differences(
        shared_replications(table),
        runs[0].scenario.name,
        confidence=confidence,
        n_boot=n_boot,
        seed=seed,
    )
    monthly = pd.concat([run.monthly for run in runs], ignore_index=True)
    return Comparison(tuple(runs), table, monthly, differences)


def explain_over_posterior(
    a: Scenario,
    b: Scenario,
    posterior: Posterior | str | os.PathLike[str],
    replications: int,
    seed: int,
    *,
    kpi: str = HEADLINE_KPI,
    workers: int | None = 1,
    backend: BackendName = "local",
    address: str | None = None,
) -> Explanation:
    """``orgsim.explain`` with replication i of every design under the posterior's i-th draw.

    The contributions then hold what the data leave uncertain as well as each
    replication's luck. Where the draws run is :func:`run_over_posterior`'s.
    """
    plan = explain_plan(a, b)
    runs = _runs_over_posterior(
        plan.designs, posterior, replications, seed, workers, backend, address
    )
    by_coalition = dict(zip(plan.coalitions, runs, strict=True))

    def value(coalition: frozenset[str]) -> np.ndarray:
        table = by_coalition[coalition].replications.set_index("replication")[kpi]
        return table.reindex(range(replications)).to_numpy(dtype=float)

    return plan.explanation(kpi, replications, value)


def _runs_over_posterior(
    designs: Sequence[Scenario],
    posterior: Posterior | str | os.PathLike[str],
    replications: int,
    seed: int,
    workers: int | None,
    backend: BackendName,
    address: str | None,
) -> list[Results]:
    """Each design's run, replication i under draw i in every design: common random numbers."""
    if not isinstance(posterior, Posterior):
        posterior = read_posterior(posterior)
    draws = [
        {str(key): float(value) for key, value in row.items()}
        for row in posterior_draws(posterior, replications, seed).to_dict(orient="records")
    ]
    runs = []
    with Session(workers=workers, backend=backend, address=address) as session:
        for design in designs:
            variants = [
                (with_overrides(design, draw, source=POSTERIOR_SOURCE), i)
                for i, draw in enumerate(draws)
            ]
            runs.append(_combined(design, seed, run_draws(session, variants, seed)))
    return runs


def _combined(design: Scenario, seed: int, parts: list[Results]) -> Results:
    """One design's replications, each run under its own draw, as one run of ``design``."""
    name = design.name

    def joined(tables: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat(tables, ignore_index=True).assign(scenario=name)

    return Results(
        scenario=design,
        seed=seed,
        requested=len(parts),
        replications=joined([part.replications for part in parts]),
        monthly=joined([part.monthly for part in parts]),
        failures=(),
        workers=parts[0].workers,
        backend=parts[0].backend,
        wall_time=sum(part.wall_time for part in parts),
        started_at=parts[0].started_at,
        sdr_months=joined([part.sdr_months for part in parts]),
    )
