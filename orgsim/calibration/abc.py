"""``orgsim.calibrate``: fit a scenario's uncertain parameters to a company's months by ABC-SMC.

Approximate Bayesian computation needs no likelihood, only the simulator: draw
parameters, simulate the company's months, keep the draws whose summary
statistics (``orgsim.calibration.statistics``) fall within a distance epsilon
of the actuals. Sequential Monte Carlo does this in generations, each proposed
by perturbing the last one's weighted draws, with epsilon shrinking to the
median distance of the generation before (Toni et al. 2009; Del Moral et al.
2012). The library is pyabc (the optional extra ``calibrate``); its distance is
adaptive (Prangle 2017): each statistic is divided by its median absolute
deviation over the simulations, refitted every generation, so none dominates.

Reproducible: pyabc draws its proposals from numpy's global generator, which
is seeded from the run seed for the fit and restored after it. The draws are
simulated in batches on a session's workers and accepted in the order one
core would accept them (``orgsim.calibration.sampler``), so the fit does not
depend on the number of workers. Every simulation has its own streams (the
fit's seed, the simulation's number), run by ``orgsim.calibration.runs``.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from orgsim.calibration.actuals import MonthlyActuals, read_actuals
from orgsim.calibration.identified import what_the_data_decided
from orgsim.calibration.posterior import INTERVAL, POSTERIOR_CSV, Posterior, normalized
from orgsim.calibration.priors import Prior, priors_for
from orgsim.calibration.runs import run_draws
from orgsim.calibration.statistics import (
    fitted_columns,
    no_fittable_column,
    observed_table,
    simulated_series,
    summary_statistics,
)
from orgsim.experiment import BackendName, Session
from orgsim.scenario import Scenario, load, resolved_yaml, with_overrides
from orgsim.version import __version__

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CALIBRATED_YAML = "calibrated.yaml"
CALIBRATION_JSON = "calibration.json"
BACKTEST_CSV = "backtest.csv"
BACKTEST_FIGURE = "backtest"
MARGINALS_FIGURE = "marginals"

FIT_ENTROPY = 0xCA_11_B8
"""Mixed with the run seed for the fit's simulations, so none shares streams with a plain run."""
PROPOSAL_ENTROPY = 0xAB_C5_3C
"""Mixed with the run seed for pyabc's proposals (priors and perturbation kernels)."""
PREDICTIVE_ENTROPY = 0xBAC_7E57
"""Mixed with the run seed for the back-test: which posterior draws, and their simulations."""

Progress = Callable[[int, int], None]
"""Called as ``progress(simulations_done, simulation_budget)``."""


@dataclass(frozen=True, slots=True)
class Budget:
    """How much ABC may do: particles per generation, generations, simulations in all.

    The fit stops at whichever of ``generations`` and ``simulations`` comes
    first; ``predictive`` posterior draws are simulated for the back-test.
    """

    population: int = 100
    generations: int = 4
    simulations: int = 2500
    predictive: int = 100

    def __post_init__(self) -> None:
        for name in ("population", "generations", "simulations", "predictive"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")


DEFAULT_BUDGET = Budget()
"""What ``calibrate`` and ``orgsim calibrate`` may do unless told otherwise: the fit of 3
parameters to 24 months in ``benchmarks/bench_calibrate.py`` (about 1,100 simulations, under
4 minutes on two cores) covers the truth with every 90% interval, and ``bench_coverage.py``
finds the intervals' coverage near 90% at even smaller budgets. Raise them for a tighter
posterior, at about 0.3 CPU seconds a simulation."""


SPECULATION = 2
"""Draws simulated at once per worker: enough to keep every worker busy while the
slowest of a batch finishes, few enough that a generation's discarded tail is small."""


def simulate_months(
    session: Session, draws: Sequence[tuple[Scenario, int]], seed: int, columns: tuple[str, ...]
) -> list[pd.DataFrame]:
    """One simulation of each ``(scenario, number)`` as monthly actuals columns, a row per month."""
    return [simulated_series(run.monthly, columns) for run in run_draws(session, draws, seed)]


@dataclass(frozen=True, eq=False)
class Calibration:
    """A finished fit: the posterior, how it was reached, and its posterior-predictive back-test."""

    scenario: Scenario
    source: str | None
    actuals: MonthlyActuals
    actuals_sha256: str
    priors: tuple[Prior, ...]
    posterior: Posterior
    populations: pd.DataFrame
    simulations: int
    seed: int
    budget: Budget
    wall_time: float
    backtest: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Per parameter: prior range, posterior mean, median and 90% interval, and how much narrower."""
        rows = []
        for prior in self.priors:
            low, high = (self.posterior.quantile(prior.key, q) for q in INTERVAL)
            prior_width = prior.quantile(INTERVAL[1]) - prior.quantile(INTERVAL[0])  # its 90%
            rows.append(
                {
                    "parameter": prior.key,
                    "prior_low": prior.low,
                    "prior_high": prior.high,
                    "mean": self.posterior.mean(prior.key),
                    "median": self.posterior.quantile(prior.key, 0.5),
                    "ci_low": low,
                    "ci_high": high,
                    "width_vs_prior": (high - low) / prior_width,
                }
            )
        return pd.DataFrame(rows)

    def what_the_data_decided(self) -> str:
        """Which parameters the data pinned down, narrowed or left open, in one sentence."""
        summary = self.summary()
        widths = zip(summary["parameter"], summary["width_vs_prior"], strict=True)
        return what_the_data_decided(widths)

    def medians(self) -> dict[str, float | int]:
        return {p.key: p.value(self.posterior.quantile(p.key, 0.5)) for p in self.priors}

    def coverage(self) -> float:
        """The share of the actuals' known months that fall inside the back-test's 90% band."""
        inside = (self.backtest["actual"] >= self.backtest["low"]) & (
            self.backtest["actual"] <= self.backtest["high"]
        )
        return float(inside[self.backtest["actual"].notna()].mean())

    def calibrated_yaml(self, out: Path) -> str:
        """The input scenario with the posterior medians: ``extends`` it when it is a file."""
        medians = self.medians()
        if self.source is None:
            return resolved_yaml(with_overrides(self.scenario, medians, source="posterior median"))
        nested: dict[str, Any] = {}
        for key, value in medians.items():
            *parents, last = key.split(".")
            node = nested
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = value
        extends = os.path.relpath(Path(self.source).absolute(), out.absolute())
        document = {"extends": extends, "name": f"{self.scenario.name} (calibrated)", **nested}
        header = (
            "# The posterior medians of orgsim calibrate; see calibration.json for intervals.\n"
        )
        return header + yaml.safe_dump(document, sort_keys=False)

    def document(self) -> dict[str, Any]:
        """``calibration.json``: priors, posterior summaries, the SMC's course, seed and version."""
        populations = self.populations
        return {
            "scenario": self.scenario.name,
            "actuals": {
                "file": self.actuals.source,
                "sha256": self.actuals_sha256,
                "months": len(self.actuals.months),
                "first_month": str(self.actuals.months[0]),
                "columns": list(fitted_columns(self.actuals)),
            },
            "seed": self.seed,
            "version": __version__,
            "method": "ABC-SMC (pyabc), adaptive p-norm distance (p=2, MAD scales), median epsilon",
            "budget": {
                "population": self.budget.population,
                "generations": self.budget.generations,
                "simulations": self.budget.simulations,
                "predictive": self.budget.predictive,
            },
            "priors": [p.describe() for p in self.priors],
            "posterior": self.summary().to_dict(orient="records"),
            "what_the_data_decided": self.what_the_data_decided(),
            "populations": populations.to_dict(orient="records"),
            "epsilons": populations["epsilon"].tolist(),
            "acceptance_rates": populations["acceptance_rate"].tolist(),
            "simulations": self.simulations,
            "backtest_coverage_90": self.coverage(),
            "wall_time_seconds": self.wall_time,
        }

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write ``posterior.csv``, ``calibrated.yaml``, ``calibration.json``, the back-test and figures."""
        from orgsim.experiment import write_directory
        from orgsim.plots.calibration import backtest_figure, marginals_figure

        out = Path(out)
        figures = {
            BACKTEST_FIGURE: backtest_figure(self.backtest),
            MARGINALS_FIGURE: marginals_figure(self.posterior.table(), self.priors),
        }
        files: list[tuple[str, Callable[[IO[Any]], object], bool]] = [
            (POSTERIOR_CSV, lambda f: self.posterior.table().to_csv(f, index=False), False),
            (CALIBRATED_YAML, lambda f: f.write(self.calibrated_yaml(out)), False),
            (
                CALIBRATION_JSON,
                lambda f: json.dump(self.document(), f, indent=2, allow_nan=False),
                False,
            ),
            (BACKTEST_CSV, lambda f: self.backtest.to_csv(f, index=False), False),
        ]
        for name, figure in figures.items():
            for fmt in ("png", "svg"):
                files.append((f"{name}.{fmt}", _figure_writer(figure, fmt), True))
        return write_directory(out, files, force=force)


def _figure_writer(figure: Figure, fmt: str) -> Callable[[IO[Any]], object]:
    from orgsim.plots.calibration import write_figure

    return lambda handle: write_figure(figure, handle, fmt)


def calibrate(
    scenario: Scenario | str | os.PathLike[str],
    actuals: MonthlyActuals | str | os.PathLike[str],
    params: Iterable[tuple[str, float, float]],
    seed: int,
    *,
    budget: Budget = DEFAULT_BUDGET,
    progress: Progress | None = None,
    workers: int | None = 1,
    backend: BackendName = "local",
    address: str | None = None,
) -> Calibration:
    """Fit ``scenario``'s ``calibration.parameters`` and ``params`` (``(key, low, high)``,
    uniform priors that add to or replace the section's) to ``actuals``.

    ``workers`` simulate the draws (``None``: every core), on ``backend``
    (``address`` as :class:`~orgsim.experiment.Session`'s); the fit is the same
    for any number of them.

    The scenario runs for as many months as the actuals hold (its first
    simulated month is the actuals' first). The fit records the SHA-256 of the
    actuals file's bytes (of its CSV as ``write_csv`` writes it, when given a
    ``MonthlyActuals``). Raises ``ScenarioError`` for a bad parameter, bad
    actuals or actuals with nothing to fit.
    """
    import pyabc  # type: ignore[import-untyped]

    source = None if isinstance(scenario, Scenario) else os.fspath(scenario)
    base = scenario if isinstance(scenario, Scenario) else load(scenario)
    if not isinstance(actuals, MonthlyActuals):
        path, actuals = actuals, read_actuals(actuals)  # refused with a message if bad
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    else:
        text = io.StringIO()
        actuals.write_csv(text)
        digest = hashlib.sha256(text.getvalue().encode()).hexdigest()
    columns = fitted_columns(actuals)
    if not columns:
        raise no_fittable_column(actuals)
    fitting = with_overrides(base, {"calendar.months": len(actuals.months)}, source="actuals")
    priors = tuple(priors_for(fitting, params))
    observed = observed_table(actuals, columns)
    target = summary_statistics(observed, observed)
    if not target:
        raise no_fittable_column(actuals, blank=columns)
    fit_seed, proposal_seed, predictive_seed = (
        int(np.random.SeedSequence([seed, entropy]).generate_state(1)[0])
        for entropy in (FIT_ENTROPY, PROPOSAL_ENTROPY, PREDICTIVE_ENTROPY)
    )
    from orgsim.calibration.sampler import BatchModel, Draw, OrderedBatchSampler

    names = {f"p{index}": prior for index, prior in enumerate(priors)}

    def run_batch(session: Session, draws: Sequence[Draw]) -> list[dict[str, float]]:
        variants = [
            (
                with_overrides(
                    fitting,
                    {prior.key: prior.value(values[name]) for name, prior in names.items()},
                    source="calibration draw",
                ),
                number,
            )
            for values, number in draws
        ]
        return [
            summary_statistics(series, observed)
            for series in simulate_months(session, variants, fit_seed, columns)
        ]

    def done(count: int) -> None:
        if progress is not None:
            progress(min(count, budget.simulations), budget.simulations)

    prior = pyabc.Distribution(
        **{name: pyabc.RV(p.scipy()[0], *p.scipy()[1]) for name, p in names.items()}
    )
    clock = time.perf_counter()
    done(0)
    with (
        Session(workers=workers, backend=backend, address=address) as session,
        _quiet_pyabc(),
        _seeded_global_numpy(proposal_seed),
        tempfile.TemporaryDirectory(prefix="orgsim-calibrate-") as scratch,
    ):
        model = BatchModel(lambda draws: run_batch(session, draws), target, done)
        abc = pyabc.ABCSMC(
            model,
            prior,
            pyabc.AdaptivePNormDistance(p=2),
            population_size=budget.population,
            sampler=OrderedBatchSampler(model, SPECULATION * session.workers),
        )
        history = abc.new(f"sqlite:///{scratch}/abc.db", target)
        abc.run(max_nr_populations=budget.generations, max_total_nr_simulations=budget.simulations)
        frame, weights = history.get_distribution(m=0, t=history.max_t)
        populations = _populations(history.get_all_populations())
        used = {
            p.key: [p.value(draw) for draw in frame[name].to_numpy(float)]
            for name, p in names.items()
        }
        posterior = normalized(pd.DataFrame(used), weights)
        backtest = _backtest(
            session,
            fitting,
            posterior,
            priors,
            observed,
            actuals.months,
            columns,
            budget,
            predictive_seed,
        )
    return Calibration(
        scenario=base,
        source=source,
        actuals=actuals,
        actuals_sha256=digest,
        priors=priors,
        posterior=posterior,
        populations=populations,
        simulations=model.done,
        seed=seed,
        budget=budget,
        wall_time=time.perf_counter() - clock,
        backtest=backtest,
    )


def fresh_seed() -> int:
    """A seed from the operating system's entropy, for a run not given one (it is recorded)."""
    return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]


@contextmanager
def _seeded_global_numpy(seed: int) -> Iterator[None]:
    """Seed numpy's global generator (pyabc's) for the fit and give back its state after."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


@contextmanager
def _quiet_pyabc() -> Iterator[None]:
    """pyabc logs each generation at INFO on its own handler; the caller has ``progress``."""
    logger = logging.getLogger("ABC")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _populations(table: pd.DataFrame) -> pd.DataFrame:
    """Generation, epsilon, samples, accepted particles and acceptance rate.

    pyabc's t = -1 is the prior sample that set the first epsilon and the
    distance's scales: ``generation`` 0 here, with no epsilon and nothing accepted.
    """
    table = table.sort_values("t").reset_index(drop=True)
    first = table["t"] < 0
    samples = table["samples"].astype(int)
    accepted = table["particles"].fillna(0).astype(int).where(~first, 0)
    return pd.DataFrame(
        {
            "generation": table["t"].astype(int) + 1,
            "epsilon": pd.Series(table["epsilon"].where(~first), dtype=object).where(~first, None),
            "samples": samples,
            "accepted": accepted,
            "acceptance_rate": pd.Series(accepted / samples, dtype=object).where(~first, None),
            "wall_time_seconds": table["wall_time"].astype(float),
        }
    )


def _backtest(
    session: Session,
    scenario: Scenario,
    posterior: Posterior,
    priors: tuple[Prior, ...],
    observed: pd.DataFrame,
    months: pd.PeriodIndex,
    columns: tuple[str, ...],
    budget: Budget,
    seed: int,
) -> pd.DataFrame:
    """Per column and month: the actual, and the 5th, 50th and 95th percentiles of the
    posterior predictive (each draw's own simulation)."""
    rng = np.random.default_rng(seed)
    draws = posterior.sample(budget.predictive, rng)
    variants = [
        (
            with_overrides(
                scenario,
                {prior.key: prior.value(row[prior.key]) for prior in priors},
                source="posterior draw",
            ),
            index,
        )
        for index, row in enumerate(draws.to_dict(orient="records"))
    ]
    series = simulate_months(session, variants, seed, columns)
    stacked = np.stack([table.to_numpy(float) for table in series])  # draw, month, column
    low, median, high = np.quantile(stacked, [INTERVAL[0], 0.5, INTERVAL[1]], axis=0)
    actuals = observed.to_numpy(float)
    rows = []
    for c, name in enumerate(columns):
        for m, month in enumerate(months):
            actual = actuals[m, c]
            rows.append(
                {
                    "column": name,
                    "month": str(month),
                    "actual": None if np.isnan(actual) else float(actual),
                    "low": float(low[m, c]),
                    "median": float(median[m, c]),
                    "high": float(high[m, c]),
                }
            )
    return pd.DataFrame(rows)
