"""Reading run directories (interface.md) and combining several into one comparison.

A run directory holds ``replications.csv``, ``monthly.csv``, ``summary.json``
and ``scenario.yaml``; a comparison's (``orgsim compare``) holds the same
tables for every design, ``comparison.json`` (each run's summary) and
``scenario_<i>.yaml`` per design. The file names come from
``orgsim.experiment.rundir``, as the writers' do. Only the replications table
is indispensable; a missing file is reported as unknown rather than failing,
so a directory assembled by hand still gets its figures. Several directories, one per
scenario, combine by stacking their tables: runs made with the same seed
pair up by ``replication`` (common random numbers).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from orgsim.experiment.rundir import (
    COMPARISON_JSON,
    MONTHLY_CSV,
    REPLICATIONS_CSV,
    SCENARIO_YAML,
    SUMMARY_JSON,
    compared_scenario_yaml,
)
from orgsim.plots.style import scenario_order


class RunDirectoryError(ValueError):
    """A directory that cannot be read as a run: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Run:
    """One run directory's tables, provenance (``summary.json``) and resolved scenario."""

    directory: Path
    replications: pd.DataFrame
    monthly: pd.DataFrame | None
    summary: dict[str, Any] = field(default_factory=dict)
    scenario_yamls: dict[str, str] = field(default_factory=dict)
    """Each scenario's resolved YAML by the file it is in (``scenario.yaml``, ``scenario_2.yaml``)."""

    @property
    def scenarios(self) -> list[str]:
        """Scenario names in the replications table, in order of first appearance."""
        return scenario_order(self.replications)

    @property
    def seed(self) -> int | None:
        """The run's seed, if ``summary.json`` records it."""
        return self.summary.get("seed")

    @property
    def requested(self) -> int | None:
        """Replications asked for, from ``summary.json``; else the rows in the table."""
        return self.summary.get("replications", len(self.replications))

    @property
    def version(self) -> str | None:
        """The orgsim version that made the run."""
        return self.summary.get("version") or self.summary.get("orgsim_version")

    @property
    def settings(self) -> dict[str, dict[str, Any]]:
        """Each scenario's resolved settings by its name (empty when no scenario YAML is there)."""
        found = {}
        for text in self.scenario_yamls.values():
            loaded = yaml.safe_load(text)
            if isinstance(loaded, dict):
                found[str(loaded.get("name"))] = loaded
        return found


def read_run(directory: str | os.PathLike[str]) -> Run:
    """Read a run directory; raises :class:`RunDirectoryError` when it is not one."""
    path = Path(directory)
    if not path.is_dir():
        raise RunDirectoryError(f"{path}: not a directory")
    if not (path / REPLICATIONS_CSV).is_file():
        raise RunDirectoryError(
            f"{path}: no {REPLICATIONS_CSV}; a run directory holds {REPLICATIONS_CSV}, "
            f"{MONTHLY_CSV}, {SUMMARY_JSON} and {SCENARIO_YAML}"
        )
    replications = _read_table(path / REPLICATIONS_CSV)
    monthly = _read_table(path / MONTHLY_CSV) if (path / MONTHLY_CSV).is_file() else None
    summary = _read_json(path / SUMMARY_JSON)
    if (path / COMPARISON_JSON).is_file():
        # A comparison: every design ran with the first's seed and replications.
        first = (_read_json(path / COMPARISON_JSON).get("runs") or [{}])[0]
        summary = {key: first.get(key) for key in ("seed", "replications", "orgsim_version")}
    if replications.empty:
        failed = summary.get("failures")
        why = f": all {len(failed)} failed, see {SUMMARY_JSON}" if failed else ""
        raise RunDirectoryError(f"{path / REPLICATIONS_CSV}: no completed replication to show{why}")
    names = [
        SCENARIO_YAML,
        *map(compared_scenario_yaml, range(1, len(scenario_order(replications)) + 1)),
    ]
    yamls = {
        name: (path / name).read_text(encoding="utf-8") for name in names if (path / name).is_file()
    }
    return Run(path, replications, monthly, summary, yamls)


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; empty when the file is absent."""
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RunDirectoryError(f"{path}: not valid JSON ({error})") from None
    return loaded if isinstance(loaded, dict) else {}


def _read_table(path: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise RunDirectoryError(f"{path}: not a readable CSV table ({error})") from None
    missing = {"scenario", "replication"} - set(table.columns)
    if missing:
        raise RunDirectoryError(f"{path}: lacks column(s) {sorted(missing)}")
    table["scenario"] = table["scenario"].astype(str)
    return table


def distinct_names(runs: Sequence[Run]) -> list[Run]:
    """The runs, with a scenario name that occurs in more than one run suffixed by its directory.

    Two runs of one scenario (say, with different ``--set`` overrides) keep
    the same ``name``; stacked as they are they would look like one scenario
    with every replication twice.
    """
    counts = Counter(name for run in runs for name in run.scenarios)
    renamed = []
    for run in runs:
        mapping = {
            name: f"{name} ({run.directory.name})" for name in run.scenarios if counts[name] > 1
        }
        if not mapping:
            renamed.append(run)
            continue
        monthly = run.monthly.replace({"scenario": mapping}) if run.monthly is not None else None
        renamed.append(
            Run(
                run.directory,
                run.replications.replace({"scenario": mapping}),
                monthly,
                run.summary,
                run.scenario_yamls,
            )
        )
    return renamed


def combine_runs(runs: Sequence[Run]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The runs' replications and monthly tables stacked (monthly is None if any run lacks it)."""
    replications = pd.concat([run.replications for run in runs], ignore_index=True)
    monthlies = [run.monthly for run in runs]
    if any(m is None for m in monthlies):
        return replications, None
    return replications, pd.concat(monthlies, ignore_index=True)
