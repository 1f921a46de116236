"""``orgsim.optimize``: the best design within reach of a few levers, chosen with a stated guarantee.

A search (optuna's TPE when the ``optimize`` extra is installed, else a Latin
hypercube) tries lever settings, each on the same replications (common random
numbers). The best trial *observed* is usually a lucky one, so the best few
feasible trials are then re-run on fresh replications by Kim and Nelson's
ranking-and-selection procedure (:mod:`orgsim.analysis.selection`), which picks
one that is the best, or within δ of it, with a stated confidence; the winner's
KPI constraints are checked on those replications, with their probability.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from orgsim.analysis.selection import (
    Constraint,
    ConstraintCheck,
    Selection,
    check_constraint,
    kn_select,
)
from orgsim.experiment.backends import BackendName
from orgsim.experiment.output import OutputFile, write_directory
from orgsim.experiment.search import Lever, Search, proposals, search_method, typed_values
from orgsim.experiment.session import Session
from orgsim.experiment.study_seeds import resolve_seed, study_seed
from orgsim.experiment.tasks import ReplicationModel
from orgsim.kpis import kpi_info
from orgsim.model import KPI_NAMES, run_replication
from orgsim.scenario import Scenario, load, resolved_yaml, with_overrides
from orgsim.version import __version__

OPTIMIZATION_JSON = "optimization.json"
TRIALS_CSV = "trials.csv"
WINNER_YAML = "winner.yaml"
INITIAL = 10
"""KN's first replications of every candidate (its n0), which estimate the paired variances."""
CONSTRAINT_REPLICATIONS = 30
"""Fewest replications of the winner a constraint is checked on: 29 all met show 90% at 95%."""
TRIAL_REPLICATIONS = 10
"""Replications of each trial when not told: the search ranks trials, KN decides."""
RELATIVE_DELTA = 0.05
"""The default indifference zone: 5% of the best candidate's mean in the search."""


class ReplicationFailedError(RuntimeError):
    """A replication raised: KN pairs designs replication by replication and cannot skip one."""


TrialsDone = Callable[[int, int], None]
"""Called as ``progress(trials_done, budget)`` before the first trial and after each."""


@dataclass(frozen=True, eq=False)
class Optimization:
    """The search's trials, the candidates it passed on, KN's selection and the winner's checks.

    ``trials`` has one row per trial: ``trial``, the lever keys, ``state``
    (``complete``, or ``undefined`` when the KPI was undefined in every
    replication), the KPI's mean and standard error, each constraint KPI's
    mean, ``feasible`` (the means meet every constraint) and ``candidate``.
    ``winner`` is None when no candidate was shown to meet the constraints.
    """

    kpi: str
    levers: tuple[Lever, ...]
    constraints: tuple[Constraint, ...]
    search: str
    trials: pd.DataFrame
    candidates: dict[str, dict[str, Any]]
    selection: Selection | None
    checks: dict[str, list[ConstraintCheck]]
    winner: str | None
    scenario: Scenario
    source: str | None
    overrides: dict[str, Any]
    seed: int
    replications: int
    wall_time: float

    @property
    def winning_values(self) -> dict[str, Any] | None:
        return None if self.winner is None else self.candidates[self.winner]

    @property
    def sentence(self) -> str:
        """What a person reads first: the winner, its guarantee and its constraints' probabilities."""
        if self.winner is None:
            if not self.candidates:
                return "No trial of the search met the constraints on average: nothing to select."
            return "No candidate was shown to meet the constraints: no winner."
        values = ", ".join(
            f"{key} = {value:g}" for key, value in self.candidates[self.winner].items()
        )
        guarantee = (
            self.selection.guarantee_in(kpi_info(self.kpi).format)
            if self.selection is not None
            else f"{self.winner} was the only candidate: no guarantee against others."
        )
        checks = "; ".join(check.sentence for check in self.checks.get(self.winner, []))
        return f"{values}. {guarantee}" + (f" It {checks}." if checks else "")

    def document(self) -> dict[str, Any]:
        """The content of ``optimization.json``: the answer first, then how it was found."""
        selection = self.selection
        return {
            "kpi": self.kpi,
            "minimize": True,
            "sentence": self.sentence,
            "winner": None
            if self.winner is None
            else {"candidate": self.winner, "values": self.winning_values, "scenario": WINNER_YAML},
            "search": self.search,
            "budget": len(self.trials),
            "levers": [
                {"key": lever.key, "low": lever.low, "high": lever.high, "integer": lever.integer}
                for lever in self.levers
            ],
            "constraints": [str(constraint) for constraint in self.constraints],
            "candidates": [
                {"candidate": name, "values": values} for name, values in self.candidates.items()
            ],
            "selection": None
            if selection is None
            else {
                "selected": selection.selected,
                "guarantee": selection.guarantee_in(kpi_info(self.kpi).format),
                "delta": selection.delta,
                "confidence": selection.confidence,
                "concluded": selection.concluded,
                "means": selection.means,
                "replications": selection.replications,
                "stages": [
                    {"replications": stage.replications, "survivors": list(stage.survivors)}
                    for stage in selection.stages
                ],
                "observations": selection.observations,
            },
            "constraint_checks": {
                name: [
                    {
                        "constraint": str(check.constraint),
                        "met": check.met,
                        "replications": check.replications,
                        "probability": check.probability,
                        "low": check.low,
                        "high": check.high,
                        "confidence": check.confidence,
                        "required": check.required,
                        "feasible": check.feasible,
                    }
                    for check in checks
                ]
                for name, checks in self.checks.items()
            },
            "seed": self.seed,
            "replications": self.replications,
            "orgsim_version": __version__,
            "wall_time_seconds": self.wall_time,
        }

    def winner_yaml(self, directory: Path) -> str:
        """The winner as a scenario file in ``directory``: it extends the input and sets the levers.

        Without an input file (a Scenario built in code) it is the resolved
        scenario with the levers set, so it still runs on its own.
        """
        values = self.winning_values
        if values is None:
            raise ValueError("no winner to write")
        name = f"{self.scenario.name}, optimized"
        header = f"# orgsim optimize: the selected design. {self.sentence}\n"
        if self.source is None:
            winner = with_overrides(self.scenario, {**values, "name": name}, source="optimize")
            return header + resolved_yaml(winner)
        extends = os.path.relpath(Path(self.source).resolve(), directory.resolve())
        settings: dict[str, Any] = {"extends": extends, "name": name}
        for key, value in {**self.overrides, **values}.items():
            _set_nested(settings, key, value)
        return header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)

    def files(self, out: str | os.PathLike[str]) -> list[OutputFile]:
        """``optimization.json``, ``trials.csv`` and (if there is one) the winner's YAML for ``out``."""
        text = json.dumps(self.document(), indent=2, allow_nan=False) + "\n"
        files: list[OutputFile] = [
            (OPTIMIZATION_JSON, lambda f: f.write(text), False),
            (TRIALS_CSV, lambda f: self.trials.to_csv(f, index=False), False),
        ]
        if self.winner is not None:
            winner = self.winner_yaml(Path(out))
            files.append((WINNER_YAML, lambda f: f.write(winner), False))
        return files

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write :meth:`files` into ``out``, all or nothing."""
        return write_directory(Path(out), self.files(out), force=force)


def optimize(
    scenario: Scenario | str | os.PathLike[str],
    levers: Sequence[Lever],
    minimize: str,
    constraints: Sequence[Constraint] = (),
    budget: int = 30,
    replications: int = TRIAL_REPLICATIONS,
    seed: int | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    candidates: int = 5,
    delta: float | None = None,
    confidence: float = 0.95,
    required: float = 0.5,
    search: Search = "auto",
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: TrialsDone | None = None,
    model: ReplicationModel = run_replication,
) -> Optimization:
    """Search ``levers`` for the lowest mean ``minimize`` under ``constraints``; select the winner by KN.

    ``budget`` trials of ``replications`` each; the ``candidates`` best
    feasible ones go to KN with indifference zone ``delta`` (default 5% of the
    best's mean) at ``confidence``. A candidate is a winner only if each
    constraint holds in at least a share ``required`` of its replications,
    shown at ``confidence`` (at least 30 fresh replications); one that is not
    is dropped and KN decides among the rest. ``search`` "auto" uses TPE when
    optuna is installed. ``scenario`` as a path is loaded with ``overrides``.
    """
    source = None if isinstance(scenario, Scenario) else os.fspath(scenario)
    base = scenario if isinstance(scenario, Scenario) else load(scenario, overrides)
    _check_request(base, levers, minimize, constraints, budget, replications, candidates, delta)
    method = search_method(search)
    run_seed = resolve_seed(seed, base.seed)
    kpis = [minimize, *dict.fromkeys(c.kpi for c in constraints if c.kpi != minimize)]
    clock = time.perf_counter()
    session = Session(seed=run_seed, workers=workers, backend=backend, address=address, model=model)
    with session:
        evaluated: dict[tuple[Any, ...], pd.DataFrame] = {}

        def evaluate(values: dict[str, Any]) -> pd.DataFrame:
            point = tuple(values.values())
            if point not in evaluated:  # a repeated point gives the same replications: run it once
                variant = with_overrides(base, values, source="optimize")
                evaluated[point] = _replications(session, variant, kpis, range(replications))
            return evaluated[point]

        rows = _search(method, levers, evaluate, minimize, constraints, budget, run_seed, progress)
        trials = pd.DataFrame(rows)
        chosen = _candidates(trials, levers, minimize, candidates)
        trials = trials.assign(candidate=trials["trial"].isin([v[0] for v in chosen.values()]))
        values = {name: spec for name, (_, spec) in chosen.items()}
        variants = {
            name: with_overrides(base, spec, source="optimize") for name, spec in values.items()
        }
        draws = _Draws(session, variants, kpis, replications)
        if delta is None and chosen:
            delta = RELATIVE_DELTA * abs(float(trials.loc[trials["candidate"], minimize].min()))
        selection, winner, checks = _select(
            draws, minimize, constraints, delta or 0.0, confidence, required
        )
    return Optimization(
        kpi=minimize,
        levers=tuple(levers),
        constraints=tuple(constraints),
        search=method,
        trials=trials,
        candidates=values,
        selection=selection,
        checks=checks,
        winner=winner,
        scenario=base,
        source=source,
        overrides=dict(overrides or {}),
        seed=run_seed,
        replications=replications,
        wall_time=time.perf_counter() - clock,
    )


def _check_request(
    base: Scenario,
    levers: Sequence[Lever],
    minimize: str,
    constraints: Sequence[Constraint],
    budget: int,
    replications: int,
    candidates: int,
    delta: float | None,
) -> None:
    """Every name and number the search will use, checked before anything runs."""
    for kpi in [minimize, *(c.kpi for c in constraints)]:
        if kpi not in KPI_NAMES:
            raise ValueError(f"unknown KPI {kpi!r}; expected one of {', '.join(KPI_NAMES)}")
    if not levers:
        raise ValueError("optimize needs at least one lever to vary")
    if len({lever.key for lever in levers}) != len(levers):
        raise ValueError("each key may be varied once")
    for lever in levers:  # both ends must make a valid scenario (a ScenarioError names the key)
        for end in (lever.low, lever.high):
            with_overrides(base, {lever.key: int(end) if lever.integer else end}, source="--vary")
    if budget < 1 or candidates < 1:
        raise ValueError(f"budget and candidates must be at least 1, got {budget} and {candidates}")
    if replications < 2:
        raise ValueError(f"a trial needs at least 2 replications for its error, got {replications}")
    if delta is not None and not (math.isfinite(delta) and delta > 0):
        raise ValueError(f"the indifference zone delta must be positive, got {delta}")


def _search(
    method: str,
    levers: Sequence[Lever],
    evaluate: Callable[[dict[str, Any]], pd.DataFrame],
    kpi: str,
    constraints: Sequence[Constraint],
    budget: int,
    seed: int,
    progress: TrialsDone | None,
) -> list[dict[str, Any]]:
    """Run ``budget`` trials; one row each, as :class:`Optimization` describes ``trials``."""
    rows = []
    if progress is not None:
        progress(0, budget)
    for number, (values, tell) in enumerate(
        proposals(method, levers, budget, study_seed(seed, "optimize.search"))
    ):
        table = evaluate(values)
        means = {name: float(table[name].mean()) for name in table.columns}  # NaN: no value at all
        complete = not math.isnan(means[kpi])
        excess = [_excess(constraint, means[constraint.kpi]) for constraint in constraints]
        feasible = complete and all(value <= 0 for value in excess)
        tell(means[kpi] if complete else None, excess)
        se = table[kpi].std(ddof=1) / math.sqrt(table[kpi].count()) if complete else math.nan
        rows.append(
            {
                "trial": number,
                **values,
                "state": "complete" if complete else "undefined",
                kpi: means[kpi],
                f"{kpi}_se": float(se),
                **{c.kpi: means[c.kpi] for c in constraints if c.kpi != kpi},
                "feasible": feasible,
            }
        )
        if progress is not None:
            progress(number + 1, budget)
    return rows


def _excess(constraint: Constraint, mean: float) -> float:
    """How far a mean is past its limit: at most 0 when it meets it (optuna's convention)."""
    if math.isnan(mean):
        return math.inf
    return mean - constraint.limit if constraint.sense == "<=" else constraint.limit - mean


def _candidates(
    trials: pd.DataFrame, levers: Sequence[Lever], kpi: str, count: int
) -> dict[str, tuple[int, dict[str, Any]]]:
    """The ``count`` best feasible trials with distinct lever values: name -> (trial, values)."""
    keys = [lever.key for lever in levers]
    feasible = trials[trials["feasible"]].sort_values([kpi, "trial"])
    best = feasible.drop_duplicates(subset=keys).head(count)
    return {
        f"trial {int(row['trial'])}": (int(row["trial"]), typed_values(levers, row))
        for row in best.to_dict("records")
    }


class _Draws:
    """Fresh replications of the candidates for KN, numbered after the search's, kept for the checks.

    Replication i of KN is replication ``search_replications + i`` of the run:
    the same for every candidate (common random numbers), none the search saw,
    so the search's luck does not follow a candidate into its selection.
    """

    def __init__(
        self, session: Session, variants: Mapping[str, Scenario], kpis: Sequence[str], offset: int
    ) -> None:
        self.session = session
        self.variants = dict(variants)
        self.kpis = list(kpis)
        self.offset = offset
        self.tables = {name: pd.DataFrame(columns=self.kpis) for name in variants}

    def ensure(self, name: str, count: int) -> pd.DataFrame:
        """At least ``count`` of ``name``'s replications (running the missing ones)."""
        have = len(self.tables[name])
        if have < count:
            first = self.offset + have
            numbers = range(first, self.offset + count)
            more = _replications(self.session, self.variants[name], self.kpis, numbers)
            self.tables[name] = pd.concat([self.tables[name], more]) if have else more
        return self.tables[name].iloc[:count]

    def kpi(self, names: Sequence[str], kpi: str) -> Callable[[Sequence[int], int, int], Any]:
        """KN's ``draw`` over ``names``: replications ``start .. start+count-1`` of each."""

        def draw(candidates: Sequence[int], start: int, count: int) -> np.ndarray:
            return np.vstack(
                [self.ensure(names[j], start + count)[kpi].to_numpy()[start:] for j in candidates]
            )

        return draw


def _select(
    draws: _Draws,
    kpi: str,
    constraints: Sequence[Constraint],
    delta: float,
    confidence: float,
    required: float,
) -> tuple[Selection | None, str | None, dict[str, list[ConstraintCheck]]]:
    """KN among the candidates; a winner not shown to meet a constraint is dropped and KN runs again."""
    remaining = list(draws.variants)
    checks: dict[str, list[ConstraintCheck]] = {}
    selection = None
    while remaining:
        if len(remaining) > 1:
            selection = kn_select(
                draws.kpi(remaining, kpi), remaining, delta, confidence=confidence, initial=INITIAL
            )
            chosen = selection.selected
        else:
            selection, chosen = None, remaining[0]
        if not constraints:
            return selection, chosen, checks
        used = max(len(draws.tables[chosen]), CONSTRAINT_REPLICATIONS)
        table = draws.ensure(chosen, used)
        checks[chosen] = [
            check_constraint(table[c.kpi], c, confidence=confidence, required=required)
            for c in constraints
        ]
        if all(check.feasible for check in checks[chosen]):
            return selection, chosen, checks
        remaining.remove(chosen)
    return selection, None, checks


def _replications(
    session: Session, variant: Scenario, kpis: Sequence[str], numbers: range
) -> pd.DataFrame:
    """Replications ``numbers`` of ``variant``: the one place optimize runs the model.

    A replication that failed is an error here: KN compares designs
    replication by replication and cannot leave one out of a single design.
    """
    run = session.simulate(variant, numbers)
    if run.failures:
        raise ReplicationFailedError(f"{variant.name}: {run.failures[0].describe()}")
    return run.replications[list(kpis)].reset_index(drop=True)


def _set_nested(settings: dict[str, Any], key: str, value: Any) -> None:
    """Put ``value`` at dotted ``key`` of nested ``settings``."""
    *parents, leaf = key.split(".")
    for part in parents:
        settings = settings.setdefault(part, {})
    settings[leaf] = value
