"""Compare org designs on common random numbers: paired differences and a verdict.

Every scenario runs with the same seed, so replication i of each design sees
the same leads, the same people and the same luck; the paired difference per
replication isolates the design. The first scenario is the baseline.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from orgsim.analysis import (
    VERDICT_RESAMPLES,
    paired_differences,
    shared_replications,
    verdicts,
)
from orgsim.analysis.answer import Pair, answer, matched_differences, matched_pairs, owner
from orgsim.analysis.verdict import plain_change
from orgsim.experiment.backends import BackendName
from orgsim.experiment.output import OutputFile, write_directory
from orgsim.experiment.results import Results
from orgsim.experiment.rundir import (
    COMPARISON_JSON,
    DIFFERENCES_CSV,
    DIFFERENCES_JSON,
    MONTHLY_CSV,
    PAIRS_CSV,
    REPLICATIONS_CSV,
    compared_scenario_yaml,
)
from orgsim.experiment.session import Progress, ScenarioSource, Session, as_scenario
from orgsim.experiment.tasks import ReplicationModel
from orgsim.kpis import HEADLINE_KPI, VERDICT_KPIS
from orgsim.model import run_replication
from orgsim.scenario import Scenario


@dataclass(frozen=True, eq=False)
class Comparison:
    """Runs of several designs on common random numbers, and their paired differences."""

    runs: tuple[Results, ...]
    replications: pd.DataFrame
    monthly: pd.DataFrame
    differences: pd.DataFrame

    @property
    def baseline(self) -> str:
        return self.runs[0].scenario.name

    @property
    def scenarios(self) -> list[str]:
        return [run.scenario.name for run in self.runs]

    @functools.cached_property
    def settings(self) -> dict[str, dict[str, object]]:
        """Each design's resolved settings, by name, in the comparison's order."""
        return {run.scenario.name: run.scenario.model_dump(mode="json") for run in self.runs}

    @functools.cached_property
    def pairs(self) -> list[Pair]:
        """Each design after the first with the design it is judged against (``analysis.answer``)."""
        return matched_pairs(self.settings)

    @functools.cached_property
    def matched(self) -> pd.DataFrame:
        """Paired differences of each design against the design it is judged against, every KPI.

        Rows of designs judged against the first are those of :attr:`differences`;
        the others are computed alike (same resamples, same seed).
        """
        first = [pair.design for pair in self.pairs if pair.baseline == self.baseline]
        others = [pair for pair in self.pairs if pair.baseline != self.baseline]
        tables = [self.differences[self.differences["scenario"].isin(first)]]
        if others:
            kpis = list(dict.fromkeys(self.differences["kpi"])) or None
            paired = shared_replications(self.replications)
            tables.append(
                matched_differences(
                    paired, others, kpis, n_boot=VERDICT_RESAMPLES, seed=self.runs[0].seed
                )
            )
        table = pd.concat(tables, ignore_index=True)
        order = {pair.design: i for i, pair in enumerate(self.pairs)}
        return table.sort_values(
            "scenario", key=lambda column: column.map(order), kind="stable"
        ).reset_index(drop=True)

    def answer(self, kpi: str = HEADLINE_KPI) -> list[str]:
        """The executive summary: the recommendation on ``kpi`` with its interval, then the best."""
        owners = {name: owner(settings) for name, settings in self.settings.items()}
        return answer(self.replications, self.matched, self.pairs, owners, kpi)

    def matched_verdicts(self, kpi: str = HEADLINE_KPI) -> list[str]:
        """One plain sentence per design on ``kpi``, naming the design it is judged against."""
        rows = self.matched[self.matched["kpi"] == kpi].to_dict("records")
        return [f"{row['scenario']} {plain_change(row, against=row['baseline'])}" for row in rows]

    def table(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """Paired differences to the baseline with a one-line verdict per scenario and KPI."""
        table = self.differences
        if kpis is not None:
            table = table[table["kpi"].isin(list(kpis))]
        return table.assign(verdict=verdicts(table)).reset_index(drop=True)

    def verdicts(self, kpis: Sequence[str] = VERDICT_KPIS) -> list[str]:
        """What a person reads first: one sentence per scenario and verdict KPI (``VERDICT_KPIS``)."""
        table = self.table(kpis)
        order = {kpi: rank for rank, kpi in enumerate(kpis)}
        table = table.sort_values(by="kpi", key=lambda column: column.map(order), kind="stable")
        table = table.sort_values(
            by="scenario", key=lambda c: c.map(self.scenarios.index), kind="stable"
        )
        return table["verdict"].tolist()

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the comparison's directory, whole: see :meth:`files`."""
        return write_directory(Path(out), self.files(), force=force)

    def files(self) -> list[OutputFile]:
        """Tables as CSV, differences and runs as JSON, each scenario's resolved YAML."""
        table = self.table()
        files: list[OutputFile] = [
            (REPLICATIONS_CSV, lambda f: self.replications.to_csv(f, index=False), False),
            (MONTHLY_CSV, lambda f: self.monthly.to_csv(f, index=False), False),
            (DIFFERENCES_CSV, lambda f: table.to_csv(f, index=False), False),
            (DIFFERENCES_JSON, lambda f: f.write(table.to_json(orient="records", indent=2)), False),
            (PAIRS_CSV, lambda f: self.matched.to_csv(f, index=False), False),
            (
                COMPARISON_JSON,
                lambda f: json.dump(self.document(), f, indent=2, allow_nan=False),
                False,
            ),
        ]
        for position, run in enumerate(self.runs, start=1):
            resolved = functools.partial(_write_text, run.scenario_yaml())
            files.append((compared_scenario_yaml(position), resolved, False))
        return files

    def document(self) -> dict[str, object]:
        """The comparison's verdicts and each run's summary, JSON-ready."""
        return {
            "answer": self.answer(),
            "baseline": self.baseline,
            "scenarios": self.scenarios,
            "pairs": [pair.document() for pair in self.pairs],
            "verdicts": self.verdicts(),
            "runs": [run.summary_document() for run in self.runs],
        }


def compare(
    scenarios: Sequence[ScenarioSource],
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
    confidence: float = 0.95,
    n_boot: int = VERDICT_RESAMPLES,
    kpis: Sequence[str] | None = None,
    model: ReplicationModel = run_replication,
) -> Comparison:
    """Run every design with the same seed and compare each with the first.

    ``replications`` and ``seed`` default to the first scenario's own; ``kpis``
    limits the paired differences (default: every KPI). Designs
    with the same ``name`` are told apart by a number. Replications that failed
    in any design are left out of the paired differences. ``model`` is
    :class:`~orgsim.experiment.Session`'s.
    """
    if len(scenarios) < 2:
        raise ValueError("compare needs at least two scenarios")
    designs = _distinct_names([as_scenario(scenario) for scenario in scenarios])
    session = Session(
        replications,
        seed,
        workers=workers,
        backend=backend,
        address=address,
        progress=progress,
        model=model,
    )
    runs = session.simulate_many(designs).results
    replications_table = pd.concat([run.replications for run in runs], ignore_index=True)
    paired = shared_replications(replications_table)
    baseline = runs[0]
    differences = paired_differences(
        paired,
        baseline.scenario.name,
        kpis,
        confidence=confidence,
        n_boot=n_boot,
        seed=baseline.seed,
    )
    monthly = pd.concat([run.monthly for run in runs], ignore_index=True)
    return Comparison(runs, replications_table, monthly, differences)


def _write_text(text: str, handle: IO[str]) -> None:
    handle.write(text)


def _distinct_names(scenarios: list[Scenario]) -> list[Scenario]:
    seen: dict[str, int] = {}
    distinct = []
    for scenario in scenarios:
        count = seen.get(scenario.name, 0) + 1
        seen[scenario.name] = count
        if count > 1:
            scenario = scenario.model_copy(update={"name": f"{scenario.name} ({count})"})
        distinct.append(scenario)
    return distinct
