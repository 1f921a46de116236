"""``orgsim.discover``: where in the uncertain assumptions does each design win?

A comparison answers under one set of assumptions. Discovery samples the
assumptions no published figure pins down (the scenarios' ``sensitivity``
ranges) with a Latin hypercube, runs both designs at every point on common
random numbers (the same replications at every point, for both designs),
marks where each wins on the KPI, and lets PRIM find the boxes of assumptions
where each design wins in most cases (:mod:`orgsim.analysis.discovery`).

Sampling (:func:`discovery_plan`) and the analysis of the points' results
(:meth:`DiscoveryPlan.discovery`) are apart from the running, so the
workshop's engine runs the very points ``discover``'s session does and gets
the same boxes and sentences from the same seed.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
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
from orgsim.scenario.labels import setting_label
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

    def sentences_by_design(self) -> dict[str, list[str]]:
        """:meth:`sentences`, by design: each design's boxes' sentences, or its count of wins."""
        return self._sentences_by_design(self._boxes())

    def _sentences(self, boxes: dict[str, Any]) -> list[str]:
        return [line for lines in self._sentences_by_design(boxes).values() for line in lines]

    def _sentences_by_design(self, boxes: dict[str, Any]) -> dict[str, list[str]]:
        wins = self.points["winner"].value_counts()
        sentences = {}
        for region in boxes["regions"]:
            design = region["design"]
            if region["boxes"]:
                sentences[design] = [box["sentence"] for box in region["boxes"]]
                continue
            count, total = int(wins.get(design, 0)), len(self.points)
            where = "" if count in (0, total) else ", scattered: no box of them is denser"
            label = kpi_info(self.kpi).label
            sentences[design] = [
                f"{design} {self.verb} {label} at {count} of {total} points{where}."
            ]
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


@dataclass(frozen=True, eq=False)
class DiscoveryPlan:
    """What a discovery runs: the Latin hypercube's points and, at each, both designs.

    Made by :func:`discovery_plan`; whoever runs the designs (``discover``'s
    session, the workshop's engine) hands each point's paired KPI values to
    :meth:`outcome` and the outcomes to :meth:`discovery`, so every runner
    gets the same points, labels, boxes and sentences from the same seed.
    """

    kpi: str
    a: Scenario
    b: Scenario
    ranges: dict[str, tuple[float, float]]
    sample: pd.DataFrame
    """One row per point, one column per parameter (whole-number settings rounded)."""
    seed: int

    @property
    def parameters(self) -> list[str]:
        return list(self.ranges)

    def values(self, point: int) -> dict[str, Any]:
        """The parameters' values at ``point``, by dotted key."""
        row = self.sample.iloc[[point]].to_dict("records")[0]
        return {str(key): value for key, value in row.items()}

    def designs(self, point: int) -> tuple[Scenario, Scenario]:
        """A and B with ``point``'s values."""
        values = self.values(point)
        return (
            with_overrides(self.a, values, source="discover"),
            with_overrides(self.b, values, source="discover"),
        )

    def outcome(self, point: int, paired: pd.DataFrame) -> dict[str, float]:
        """``point``'s means, paired difference B - A and its standard error.

        ``paired`` has columns ``a`` and ``b``, one row per replication both
        designs finished with the KPI defined; ``ValueError`` if it has none.
        """
        return _outcome(paired, self.kpi, self.values(point))

    def discovery(
        self,
        outcomes: Sequence[Mapping[str, float]],
        replications: int,
        *,
        wall_time: float = 0.0,
        max_boxes: int = 1,
    ) -> Discovery:
        """The winner at each point and PRIM's boxes, from every point's :meth:`outcome`."""
        if len(outcomes) != len(self.sample):
            raise ValueError(f"{len(outcomes)} outcomes for {len(self.sample)} points")
        direction = kpi_info(self.kpi).direction
        frame = pd.DataFrame(list(outcomes))
        difference = frame["difference"]
        better = difference < 0 if direction == "lower" else difference > 0
        worse = difference > 0 if direction == "lower" else difference < 0
        winner = np.select([better, worse], [self.b.name, self.a.name], default="")
        points = pd.concat([self.sample, frame], axis=1).assign(winner=winner)
        points.insert(0, "point", np.arange(len(self.sample)))
        keys = self.parameters
        regions = {
            self.a.name: find_regions(points, keys, worse.to_numpy(), max_boxes=max_boxes),
            self.b.name: find_regions(points, keys, better.to_numpy(), max_boxes=max_boxes),
        }
        scores = feature_scores(
            points, keys, difference, seed=study_seed(self.seed, "discover.forest")
        )
        return Discovery(
            kpi=self.kpi,
            designs=(self.a.name, self.b.name),
            ranges=self.ranges,
            points=points,
            regions=regions,
            scores=scores,
            seed=self.seed,
            replications=replications,
            wall_time=wall_time,
            labels={key: setting_label(key) for key in keys},
        )


def discovery_plan(
    a: Scenario,
    b: Scenario,
    kpi: str | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    *,
    parameters: Mapping[str, tuple[float, float]] | None = None,
) -> DiscoveryPlan:
    """The points :func:`discover` runs A and B at; the arguments are :func:`discover`'s.

    ``ValueError`` for a KPI no design can win on, a parameter range that is
    empty or declared twice differently, or no parameter at all.
    """
    kpi = kpi or HEADLINE_KPI
    if kpi not in KPI_NAMES:
        raise ValueError(f"unknown KPI {kpi!r}; expected one of {', '.join(KPI_NAMES)}")
    if kpi_info(kpi).direction == "neutral":
        raise ValueError(f"{kpi} is neither better higher nor lower: no design can win on it")
    if a.name == b.name:
        b = b.model_copy(update={"name": f"{b.name} (B)"})
    ranges = dict(parameters) if parameters is not None else shared_ranges(a, b)
    run_seed = resolve_seed(seed, a.seed)
    sample = latin_hypercube(ranges, samples, study_seed(run_seed, "discover.sample"))
    return DiscoveryPlan(kpi, a, b, ranges, _typed(sample, a), run_seed)


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
    plan = discovery_plan(first, second, kpi, samples, seed, parameters=parameters)
    clock = time.perf_counter()
    outcomes = []
    if progress is not None:
        progress(0, samples)
    session = Session(
        replications, plan.seed, workers=workers, backend=backend, address=address, model=model
    )
    with session:
        for point in range(samples):
            paired = _paired_kpi(plan.designs(point), plan.kpi, session)
            outcomes.append(plan.outcome(point, paired))
            if progress is not None:
                progress(point + 1, samples)
    return plan.discovery(
        outcomes, replications, wall_time=time.perf_counter() - clock, max_boxes=max_boxes
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
