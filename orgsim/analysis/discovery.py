"""When does each design win? Scenario discovery with PRIM on a table of sampled uncertainties.

The experiment layer samples the uncertain parameters (``latin_hypercube``),
runs both designs at every point on common random numbers and marks the points
where one design wins. PRIM (Friedman and Fisher 1999, as used for scenario
discovery by Bryant and Lempert 2010) then peels the parameter space down to a
box where that design wins in most cases (density) while keeping most of its
wins (coverage). Nothing here runs a simulation or draws a figure.

PRIM comes from EMA Workbench (``ema_workbench.analysis.prim``), an optional
dependency (``pip install 'orgsim[discover]'``). The standalone ``prim``
package is lighter to install but is GPL-3 (orgsim is MIT), and its
``Prim.limits`` fails on pandas 3 and its quasi-p-values rebuild counts from
float mass; EMA's box keeps integer counts (``n``, ``k``) on its peeling
trajectory and two-sided quasi-p-values per limit, and is BSD-3 and maintained.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import qmc

INSTALL_HINT = (
    "scenario discovery needs EMA Workbench and scikit-learn: pip install 'orgsim[discover]'"
)


def latin_hypercube(
    ranges: Mapping[str, tuple[float, float]], samples: int, seed: int
) -> pd.DataFrame:
    """``samples`` points over the box ``ranges`` (dotted key -> (low, high)), one column per key.

    A Latin hypercube puts exactly one point in each of ``samples`` equal
    slices of every parameter's range, so a few hundred points cover each
    parameter evenly; the same seed gives the same points.
    """
    if not ranges:
        raise ValueError("a Latin hypercube needs at least one parameter range")
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    for key, (low, high) in ranges.items():
        if not low < high:
            raise ValueError(f"{key}: the range needs low < high, got {low}:{high}")
    keys = list(ranges)
    unit = qmc.LatinHypercube(d=len(keys), rng=np.random.default_rng(seed)).random(samples)
    lows, highs = zip(*(ranges[key] for key in keys), strict=True)
    return pd.DataFrame(qmc.scale(unit, lows, highs), columns=keys)


@dataclass(frozen=True, slots=True)
class Limit:
    """One parameter's side of a box; ``p_low``/``p_high`` are quasi-p-values where a side is restricted.

    A quasi-p-value (Bryant and Lempert 2010) is the binomial chance of the
    box's density if that side were lifted: small means the side matters.
    """

    low: float
    high: float
    restricted_low: bool
    restricted_high: bool
    p_low: float | None
    p_high: float | None

    @property
    def restricted(self) -> bool:
        return self.restricted_low or self.restricted_high


@dataclass(frozen=True, slots=True)
class Box:
    """A PRIM box: where it lies, how good it is, and the trajectory it was chosen from.

    ``coverage`` is the share of all wins inside the box, ``density`` the
    share of the box's points that are wins, ``mass`` the share of all points
    inside it; ``points`` and ``wins`` are the counts behind them.
    ``trajectory`` (one row per peeling or pasting step: ``coverage``,
    ``density``, ``mass``, ``points``, ``wins``, ``restricted``) is the
    trade-off curve, and ``step`` the row the box was chosen at, before
    limits that did not matter were lifted. ``earlier`` counts the boxes
    found before this one: its points exclude theirs (PRIM's covering).
    """

    limits: dict[str, Limit]
    coverage: float
    density: float
    mass: float
    points: int
    wins: int
    trajectory: pd.DataFrame
    step: int
    earlier: int = 0

    @property
    def restricted(self) -> dict[str, Limit]:
        """The parameters the box actually limits, in the order of ``limits``."""
        return {name: limit for name, limit in self.limits.items() if limit.restricted}


def find_regions(
    points: pd.DataFrame,
    parameters: Sequence[str],
    wins: ArrayLike,
    *,
    min_coverage: float = 0.5,
    significance: float = 0.05,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
    max_boxes: int = 1,
) -> list[Box]:
    """PRIM boxes of ``parameters`` where ``wins`` (one bool per row of ``points``) is mostly true.

    The rule for the box on each trajectory: the densest step whose coverage
    is at least ``min_coverage`` of the wins not yet in an earlier box (ties
    go to the larger coverage). Then each restricted parameter whose
    quasi-p-values all exceed ``significance`` is lifted, so the box names
    only limits the data support (one pass, on the chosen step's values).
    Boxes after the first cover the wins earlier boxes left (PRIM's
    covering); the search stops at ``max_boxes`` or when PRIM's last box is
    no denser than the share of wins among all points. No wins, or wins at
    every point, give no box. ``peel_alpha`` is the
    share of the box peeled per step and ``mass_min`` the smallest box, as a
    share of all points (EMA's defaults).
    """
    try:
        with warnings.catch_warnings():
            # EMA's package import names its optional parallel evaluators; PRIM needs none.
            warnings.filterwarnings("ignore", message=".* not installed", category=UserWarning)
            from ema_workbench.analysis import prim  # type: ignore[import-untyped]  # no type hints
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    if not 0 < min_coverage <= 1:
        raise ValueError(f"min_coverage must be in (0, 1], got {min_coverage}")
    y = np.asarray(wins, dtype=bool).ravel()
    if y.size != len(points):
        raise ValueError(f"{y.size} win flags for {len(points)} points")
    x = points.loc[:, list(parameters)].reset_index(drop=True).astype(float)
    boxes: list[Box] = []
    if not y.any() or y.all():
        return boxes  # no wins, or wins everywhere: no region narrows anything down
    # EMA's threshold: the density PRIM's last box must reach to be a box rather than a "dump box".
    algorithm = prim.Prim(
        x, y.astype(int), threshold=y.mean(), peel_alpha=peel_alpha, mass_min=mass_min
    )
    while len(boxes) < max_boxes:
        found = algorithm.find_box()
        if found is None or len(found.peeling_trajectory) == 1:
            break  # no data left, or the dump box: nothing denser than what remains
        boxes.append(_choose(found, x.columns, min_coverage, significance, earlier=len(boxes)))
    return boxes


def _choose(
    found: Any, columns: pd.Index, min_coverage: float, significance: float, earlier: int
) -> Box:
    """Select the box on EMA's trajectory by ``find_regions``' rule; lift the limits that do not matter."""
    trajectory = found.peeling_trajectory.copy()
    uncovered = trajectory["coverage"].iloc[0]  # the first step holds every win not yet in a box
    eligible = trajectory[trajectory["coverage"] >= min_coverage * uncovered]
    step = int(eligible.sort_values(["density", "coverage"], ascending=False).index[0])
    found.select(step)
    current = step
    for name, sides in found.qp[step].items():
        p_values = [p for p in sides if p >= 0]  # EMA marks an unrestricted side with -1
        if p_values and min(p_values) > significance:
            found.drop_restriction(name)
            current = len(found.peeling_trajectory) - 1
    row = found.peeling_trajectory.iloc[current]
    limits = found.box_lims[current]
    initial = found.prim.box_init
    qp = found.qp[current]
    box_limits = {}
    for name in columns:
        low, high = float(limits.loc[0, name]), float(limits.loc[1, name])
        p_low, p_high = (float(p) if p >= 0 else None for p in qp.get(name, (-1, -1)))
        box_limits[name] = Limit(
            low=low,
            high=high,
            restricted_low=bool(low != initial.loc[0, name]),
            restricted_high=bool(high != initial.loc[1, name]),
            p_low=p_low,
            p_high=p_high,
        )
    steps = trajectory.rename(columns={"n": "points", "k": "wins", "res_dim": "restricted"})
    return Box(
        limits=box_limits,
        coverage=float(row["coverage"]),
        density=float(row["density"]),
        mass=float(row["mass"]),
        points=int(row["n"]),
        wins=int(row["k"]),
        trajectory=steps[["coverage", "density", "mass", "points", "wins", "restricted"]]
        .astype({"points": int, "wins": int, "restricted": int})
        .reset_index(drop=True),
        step=step,
        earlier=earlier,
    )


def feature_scores(
    points: pd.DataFrame, parameters: Sequence[str], difference: ArrayLike, *, seed: int = 0
) -> pd.Series:
    """How much each parameter decides the *sign* of ``difference`` (B minus A per point), summing to 1.

    Extra-trees (Geurts et al. 2006; scikit-learn's ``ExtraTreesClassifier``)
    classify "difference > 0" from the parameters; a parameter's score is its
    mean decrease in impurity. Unlike a one-parameter-at-a-time rank statistic
    it credits parameters that matter only together (a threshold that moves
    with another parameter). Highest first; all zero when the sign never changes.
    """
    try:
        from sklearn.ensemble import ExtraTreesClassifier  # type: ignore[import-untyped]  # no hints
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    x = points.loc[:, list(parameters)].to_numpy(dtype=float)
    positive = np.asarray(difference, dtype=float).ravel() > 0
    if positive.size != x.shape[0]:
        raise ValueError(f"{positive.size} differences for {x.shape[0]} points")
    if positive.all() or not positive.any():
        return pd.Series(0.0, index=list(parameters), name="score")
    forest = ExtraTreesClassifier(n_estimators=250, min_samples_leaf=5, random_state=seed)
    forest.fit(x, positive)
    scores = pd.Series(forest.feature_importances_, index=list(parameters), name="score")
    return scores.sort_values(ascending=False)


def describe_region(
    box: Box,
    kpi_label: str,
    design_label: str,
    direction: str,
    labels: Mapping[str, str] | None = None,
) -> str:
    """The sentence a person reads first; every number in it comes from ``box``.

    ``direction`` is the verb for a win ("lowers", "raises"); ``labels`` maps
    dotted keys to words (a key without a label is written as it is).
    """
    names = labels or {}
    conditions = []
    for key, limit in box.restricted.items():
        name = names.get(key, key)
        if limit.restricted_low and limit.restricted_high:
            conditions.append(f"{name} is between {limit.low:.3g} and {limit.high:.3g}")
        elif limit.restricted_low:
            conditions.append(f"{name} ≥ {limit.low:.3g}")
        else:
            conditions.append(f"{name} ≤ {limit.high:.3g}")
    if box.earlier:
        boxes = "the first box" if box.earlier == 1 else f"the first {box.earlier} boxes"
        cases = f"the cases outside {boxes}"
    else:
        cases = "cases" if conditions else "all cases"
    claim = f"{design_label} {direction} {kpi_label} in {box.density:.0%} of {cases}"
    if not conditions:
        return f"{claim}; no region of the uncertainties narrows it down."
    where = conditions[-1]
    if len(conditions) > 1:
        where = f"{', '.join(conditions[:-1])} and {where}"
    return (
        f"{claim} where {where}; that region holds {box.coverage:.0%} of all cases where it wins."
    )


def discovery_document(
    regions: Mapping[str, Sequence[Box]],
    *,
    kpi: str,
    kpi_label: str,
    direction: str,
    points: int,
    scores: pd.Series | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The content of ``discovery.json``: for each design, the boxes where it wins, with their sentences.

    ``regions`` maps a design's label to the boxes ``find_regions`` found for
    its wins; ``scores`` are ``feature_scores``. Plain JSON types only.
    """

    def side(limit: Limit) -> dict[str, Any]:
        return {
            "low": limit.low,
            "high": limit.high,
            "restricted": limit.restricted,
            "restricted_low": limit.restricted_low,
            "restricted_high": limit.restricted_high,
            "p_low": limit.p_low,
            "p_high": limit.p_high,
        }

    def entry(design: str, box: Box) -> dict[str, Any]:
        return {
            "limits": {name: side(limit) for name, limit in box.limits.items()},
            "coverage": box.coverage,
            "density": box.density,
            "mass": box.mass,
            "points": box.points,
            "wins": box.wins,
            "step": box.step,
            "sentence": describe_region(box, kpi_label, design, direction, labels),
            "trajectory": box.trajectory.to_dict(orient="records"),
        }

    return {
        "kpi": kpi,
        "points": int(points),
        "regions": [
            {"design": design, "boxes": [entry(design, box) for box in boxes]}
            for design, boxes in regions.items()
        ],
        "feature_scores": {} if scores is None else {k: float(v) for k, v in scores.items()},
    }
