"""``orgsim.discover``: where in the uncertain assumptions does each design win?

A comparison answers under one set of assumptions. Discovery samples the
assumptions no published figure pins down (the scenarios' ``sensitivity``
ranges) with a Latin hypercube, runs both designs at every point on common
random numbers (the same replications at every point, for both designs),
marks where each wins on the KPI, and lets PRIM find the boxes of assumptions
where each design wins in most cases (:mod:`orgsim.analysis.discovery`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orgsim.analysis import HEADLINE_KPI, kpi_info
from orgsim.analysis.discovery import (
    Box,
    discovery_document,
    feature_scores,
    find_regions,
    latin_hypercube,
)
from orgsim.experiment.backends import BackendName
from orgsim.experiment.output import OutputFile, write_directory
from orgsim.experiment.session import Session
from orgsim.experiment.study_seeds import resolve_seed, study_seed
from orgsim.experiment.tasks import ReplicationModel
from orgsim.model import KPI_NAMES, run_replication
from orgsim.scenario import Scenario, load, with_overrides
from orgsim.scenario.settings import setting
from orgsim.version import __version__

DISCOVERY_JSON = "discovery.json"
POINTS_CSV = "points.csv"
DEFAULT_SAMPLES = 64
DISCOVER_REPLICATIONS = 10
"""Per point and design: enough for the sign of a paired difference, cheap over a hypercube."""

PointsDone = Callable[[int, int], None]
"""Called as ``progress(points_done, points)`` before the first point and after each."""


@dataclass(frozen=True, eq=False)
class Discovery:
    """The sampled points, both designs' KPI at each, and the PRIM boxes where each wins.

    ``points`` has one row per point: ``point``, the parameters, ``a_mean``,
    ``b_mean``, ``difference`` (B minus A, mean over paired replications),
    ``difference_se`` (its standard error), ``pairs`` and ``winner`` (the
    design whose mean is better, empty on a tie). ``regions`` maps each
    design's name to its boxes; ``scores`` say which parameters decide the sign.
    """

    kpi: str
    designs: tuple[str, str]
    ranges: dict[str, tuple[float, float]]
    points: pd.DataFrame
    regions: dict[str, list[Box]]
    scores: pd.Series
    seed: int
    replications: int
    wall_time: float
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def parameters(self) -> list[str]:
        return list(self.ranges)

    @property
    def verb(self) -> str:
        """What a win does to the KPI: ``lowers`` a cost, ``raises`` a volume or a rate."""
        return "lowers" if kpi_info(self.kpi).direction == "lower" else "raises"

    def most_important(self, count: int = 2) -> list[str]:
        """The ``count`` parameters that decide the sign most (in sampled order if none does)."""
        if not self.scores.any():
            return self.parameters[:count]
        return list(self.scores.index[:count])

    def sentences(self) -> list[str]:
        """What a person reads first: one sentence per box, A's first; a count if it has no box."""
        return self._sentences(self._boxes())

    def document(self) -> dict[str, Any]:
        """The content of ``discovery.json``: the boxes and sentences, then how they were found."""
        boxes = self._boxes()
        wins = self.points["winner"].value_counts()
        return {
            **boxes,
            "sentences": self._sentences(boxes),
            "designs": list(self.designs),
            "wins": {design: int(wins.get(design, 0)) for design in self.designs},
            "ranges": {key: list(bounds) for key, bounds in self.ranges.items()},
            "seed": self.seed,
            "replications": self.replications,
            "orgsim_version": __version__,
            "wall_time_seconds": self.wall_time,
        }

    def _boxes(self) -> dict[str, Any]:
        return discovery_document(
            self.regions,
            kpi=self.kpi,
            kpi_label=kpi_info(self.kpi).label,
            direction=self.verb,
            points=len(self.points),
            scores=self.scores,
            labels=self.labels,
        )

    def _sentences(self, boxes: dict[str, Any]) -> list[str]:
        wins = self.points["winner"].value_counts()
        sentences = []
        for region in boxes["regions"]:
            design = region["design"]
            if region["boxes"]:
                sentences += [box["sentence"] for box in region["boxes"]]
                continue
            count, total = int(wins.get(design, 0)), len(self.points)
            where = "" if count in (0, total) else ", scattered: no box of them is denser"
            label = kpi_info(self.kpi).label
            sentences.append(f"{design} {self.verb} {label} at {count} of {total} points{where}.")
        return sentences

    def files(self) -> list[OutputFile]:
        """``discovery.json`` and ``points.csv``."""
        text = json.dumps(self.document(), indent=2, allow_nan=False) + "\n"
        return [
            (DISCOVERY_JSON, lambda f: f.write(text), False),
            (POINTS_CSV, lambda f: self.points.to_csv(f, index=False), False),
        ]

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write :meth:`files` into ``out``, all or nothing."""
        return write_directory(Path(out), self.files(), force=force)


def discover(
    a: Scenario | str | os.PathLike[str],
    b: Scenario | str | os.PathLike[str],
    kpi: str | None = None,
    samples: int = DEFAULT_SAMPLES,
    replications: int = DISCOVER_REPLICATIONS,
    seed: int | None = None,
    *,
    parameters: Mapping[str, tuple[float, float]] | None = None,
    max_boxes: int = 1,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: PointsDone | None = None,
    model: ReplicationModel = run_replication,
) -> Discovery:
    """Sample ``parameters`` (default: both files' ``sensitivity`` ranges), run A and B, find the boxes.

    ``kpi`` defaults to the headline KPI and must have a better direction.
    ``seed`` (default: A's, else fresh entropy) seeds the replications, the
    sample and the feature scores, each from its own stream. ``model`` is
    ``simulate``'s one-replication function (a stand-in in tests).
    """
    first, second = (s if isinstance(s, Scenario) else load(s) for s in (a, b))
    kpi = kpi or HEADLINE_KPI
    if kpi not in KPI_NAMES:
        raise ValueError(f"unknown KPI {kpi!r}; expected one of {', '.join(KPI_NAMES)}")
    direction = kpi_info(kpi).direction
    if direction == "neutral":
        raise ValueError(f"{kpi} is neither better higher nor lower: no design can win on it")
    if first.name == second.name:
        second = second.model_copy(update={"name": f"{second.name} (B)"})
    ranges = dict(parameters) if parameters is not None else shared_ranges(first, second)
    run_seed = resolve_seed(seed, first.seed)
    sample = latin_hypercube(ranges, samples, study_seed(run_seed, "discover.sample"))
    sample = _typed(sample, first)
    clock = time.perf_counter()
    rows = []
    if progress is not None:
        progress(0, samples)
    session = Session(
        replications, run_seed, workers=workers, backend=backend, address=address, model=model
    )
    with session:
        for index, row in enumerate(sample.to_dict("records")):
            values = {str(key): value for key, value in row.items()}
            variants = (
                with_overrides(first, values, source="discover"),
                with_overrides(second, values, source="discover"),
            )
            paired = _paired_kpi(variants, kpi, session)
            rows.append(_outcome(paired, kpi, values))
            if progress is not None:
                progress(index + 1, samples)
    outcomes = pd.DataFrame(rows)
    better = outcomes["difference"] < 0 if direction == "lower" else outcomes["difference"] > 0
    worse = outcomes["difference"] > 0 if direction == "lower" else outcomes["difference"] < 0
    winner = np.select([better, worse], [second.name, first.name], default="")
    points = pd.concat([sample, outcomes], axis=1).assign(winner=winner)
    points.insert(0, "point", np.arange(samples))
    keys = list(ranges)
    regions = {
        first.name: find_regions(points, keys, worse.to_numpy(), max_boxes=max_boxes),
        second.name: find_regions(points, keys, better.to_numpy(), max_boxes=max_boxes),
    }
    scores = feature_scores(
        points, keys, outcomes["difference"], seed=study_seed(run_seed, "discover.forest")
    )
    return Discovery(
        kpi=kpi,
        designs=(first.name, second.name),
        ranges=ranges,
        points=points,
        regions=regions,
        scores=scores,
        seed=run_seed,
        replications=replications,
        wall_time=time.perf_counter() - clock,
        labels={key: parameter_label(key) for key in keys},
    )


def shared_ranges(a: Scenario, b: Scenario) -> dict[str, tuple[float, float]]:
    """Both files' ``sensitivity.parameters``; a key both declare must have one range."""
    ranges = dict(a.sensitivity.parameters)
    for key, bounds in b.sensitivity.parameters.items():
        if key in ranges and tuple(ranges[key]) != tuple(bounds):
            raise ValueError(
                f"sensitivity.parameters.{key}: {a.name!r} declares {list(ranges[key])} and "
                f"{b.name!r} {list(bounds)}; give one range with --param {key}=LO:HI"
            )
        ranges[key] = bounds
    return ranges


def parameter_label(key: str) -> str:
    """A dotted key in words for a sentence: its last two parts, ``neglect drop share``."""
    return " ".join(key.split(".")[-2:]).replace("_", " ")


def _typed(sample: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Whole-number settings (headcounts, days) rounded, so each point is a valid scenario."""
    integers = [key for key in sample.columns if isinstance(setting(scenario, key), int)]
    return sample.astype(dict.fromkeys(integers, float)).round(dict.fromkeys(integers, 0))


def _paired_kpi(designs: tuple[Scenario, Scenario], kpi: str, session: Session) -> pd.DataFrame:
    """Both designs' ``kpi`` on the same replications: columns ``a`` and ``b``, one row per pair.

    The one place discovery runs the model. A replication that failed, or left
    the KPI undefined (a cost per win without wins), in either design is
    unpaired and left out.
    """
    a, b = (
        session.simulate(design).replications.set_index("replication")[kpi] for design in designs
    )
    return pd.concat({"a": a, "b": b}, axis=1, join="inner").dropna()


def _outcome(paired: pd.DataFrame, kpi: str, point: Mapping[str, Any]) -> dict[str, float]:
    """Means, the paired difference B - A and its standard error (empty with a single pair)."""
    if paired.empty:
        raise ValueError(
            f"{kpi} is undefined in every replication of one design at {dict(point)}: "
            "lengthen calendar.months or add replications"
        )
    difference = paired["b"] - paired["a"]
    pairs = len(paired)
    return {
        "a_mean": float(paired["a"].mean()),
        "b_mean": float(paired["b"].mean()),
        "difference": float(difference.mean()),
        "difference_se": float(difference.std(ddof=1) / np.sqrt(pairs)) if pairs > 1 else np.nan,
        "pairs": pairs,
    }
