"""Which candidate design is best? Ranking and selection with a stated guarantee, and KPI constraints.

An optimizer's best *observed* point under noise is usually the luckiest draw.
The Kim and Nelson (2001) procedure KN keeps sampling the candidates that are
still in contention, eliminates one as soon as its mean is behind another's by
more than the noise allows, and stops with a design that is the best, or within
an indifference zone δ of the best, with probability at least 1 - α. KN works on
the variances of the *paired* differences, so common random numbers (the same
replication seeds for every candidate) make it stop sooner instead of breaking it.

References: S.-H. Kim and B. L. Nelson (2001), "A fully sequential procedure for
indifference-zone selection in simulation", ACM TOMACS 11(3):251-273; the same
authors' chapter "Selecting the best system" (2006), Handbooks in OR & MS 13.
sim-tools (T. Monks, ``sim_tools/ovs/indifference_zone.py``) implements KN with a
simulator object that it drives; here the procedure is a pure function over a
``draw`` callable, so the experiment layer decides how replications are run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from orgsim.analysis.intervals import check_confidence
from orgsim.kpis import KPI_NAMES, kpi_info

Draw = Callable[[Sequence[int], int, int], ArrayLike]
"""``draw(candidates, start, count)``: replications ``start .. start+count-1`` of each candidate.

Returns an array of shape ``(len(candidates), count)``, row j for
``candidates[j]`` (indices into the designs), replication i seeded the same way
for every candidate (common random numbers) however the batches are cut.
"""


@dataclass(frozen=True, slots=True)
class Stage:
    """The candidates still in contention once each has ``replications`` observations."""

    replications: int
    survivors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    """KN's answer: the selected design, how the field narrowed, and what it cost.

    ``replications`` counts the observations each design's decision used;
    ``observations`` counts all that were drawn, including the tail of a batch
    drawn past the point where the procedure stopped. ``concluded`` is False
    only when fixed samples ran out first: then ``selected`` is merely the best
    mean among the survivors and the guarantee does not hold.
    """

    selected: str
    designs: tuple[str, ...]
    means: dict[str, float]
    replications: dict[str, int]
    stages: tuple[Stage, ...]
    observations: int
    delta: float
    confidence: float
    minimize: bool
    concluded: bool

    @property
    def guarantee(self) -> str:
        """The sentence a person reads: which design, and how sure."""
        return self.guarantee_in("{:g}".format)

    def guarantee_in(self, unit: Callable[[float], str]) -> str:
        """:attr:`guarantee` with δ written by ``unit``, e.g. a KPI's ``$2,023``."""
        if self.concluded:
            return (
                f"{self.selected} is best, or within {unit(self.delta)} of the best, "
                f"with {self.confidence:.0%} confidence."
            )
        last = self.stages[-1]
        return (
            f"Not decided: {len(last.survivors)} designs remain after {last.replications} "
            f"replications each; {self.selected} has the best mean so far, without a guarantee."
        )


def kn_select(
    draw: Draw,
    designs: Sequence[str],
    delta: float,
    *,
    confidence: float = 0.95,
    initial: int = 10,
    batch_size: int = 10,
    minimize: bool = True,
) -> Selection:
    """Select the best of ``designs`` with KN, drawing replications in batches from ``draw``.

    ``delta`` is the indifference zone in the KPI's units: a difference smaller
    than it is not worth telling apart. ``initial`` replications of every design
    estimate the variances of the paired differences (Kim and Nelson's n0; more
    gives a smaller constant h² and so fewer replications later). After that,
    each surviving design gets up to ``batch_size`` replications per call,
    never more than KN's own bound can still need.
    """
    return _kn(draw, designs, delta, confidence, initial, batch_size, minimize, available=None)


def kn_select_samples(
    samples: pd.DataFrame,
    delta: float,
    *,
    confidence: float = 0.95,
    initial: int = 10,
    minimize: bool = True,
) -> Selection:
    """KN over given paired samples: one column per design, one row per replication.

    Rows are read in order, as if they were being run one after another, so
    the answer is the one the sequential procedure would have given. If the
    rows run out before KN stops, the result says so (``concluded`` False).
    """
    values = samples.to_numpy(dtype=float).T

    def draw(candidates: Sequence[int], start: int, count: int) -> np.ndarray:
        return values[np.asarray(candidates), start : start + count]

    designs = [str(column) for column in samples.columns]
    return _kn(draw, designs, delta, confidence, initial, 1, minimize, available=len(samples))


def kn_constant(designs: int, initial: int, confidence: float) -> float:
    """KN's h² = 2η(n0 - 1), η = ((2α / (k - 1))^(-2 / (n0 - 1)) - 1) / 2 (Kim and Nelson 2001, setup).

    It scales how far behind a design may fall before elimination; Bonferroni
    over the k - 1 rivals makes it conservative, so the procedure's actual
    confidence is usually above the stated one.
    """
    alpha = 1 - confidence
    eta = 0.5 * ((2 * alpha / (designs - 1)) ** (-2 / (initial - 1)) - 1)
    return 2 * eta * (initial - 1)


def _kn(
    draw: Draw,
    designs: Sequence[str],
    delta: float,
    confidence: float,
    initial: int,
    batch_size: int,
    minimize: bool,
    available: int | None,
) -> Selection:
    """KN (Kim and Nelson 2001, section 3), maximizing ``sign * KPI``, screening after every replication."""
    check_confidence(confidence)
    designs = tuple(designs)
    k = len(designs)
    if k < 2:
        raise ValueError(f"ranking and selection needs at least two designs, got {k}")
    if not delta > 0:
        raise ValueError(f"the indifference zone delta must be positive, got {delta}")
    if initial < 2:
        raise ValueError(f"KN needs at least two initial replications, got {initial}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if available is not None and available < initial:
        raise ValueError(f"{available} replications given, fewer than the {initial} initial ones")
    sign = -1.0 if minimize else 1.0
    h2 = kn_constant(k, initial, confidence)

    def observe(candidates: np.ndarray, start: int, count: int) -> np.ndarray:
        batch = np.asarray(draw(candidates.tolist(), start, count), dtype=float)
        if batch.shape != (candidates.size, count):
            raise ValueError(
                f"draw returned shape {batch.shape}, expected {(candidates.size, count)}"
            )
        if not np.isfinite(batch).all():
            raise ValueError("KN needs a finite KPI value for every replication")
        return sign * batch

    everyone = np.arange(k)
    first = observe(everyone, 0, initial)
    # S²_il: variance of the paired differences over the first n0 replications.
    s2 = np.var(first[:, None, :] - first[None, :, :], axis=2, ddof=1)
    bound = np.floor(h2 * s2 / delta**2).max(axis=1)  # N_i = max_l N_il
    sums = first.sum(axis=1)
    counts = np.full(k, initial)
    observations = k * initial
    alive = np.ones(k, dtype=bool)
    r = initial
    stages = [Stage(r, designs)]
    pending = np.empty((k, 0))
    concluded = True

    while True:
        means = sums / r
        if r > bound[alive].max():
            break  # r = max N_i + 1: every remaining W_il is 0, the best mean wins
        survivors = np.flatnonzero(alive)
        w = np.maximum(
            0.0, delta / (2 * r) * (h2 * s2[np.ix_(survivors, survivors)] / delta**2 - r)
        )
        m = means[survivors]
        behind = (m[:, None] < m[None, :] - w).any(axis=1)
        if behind.any():
            alive[survivors[behind]] = False
            stages.append(Stage(r, tuple(designs[i] for i in np.flatnonzero(alive))))
        if alive.sum() == 1:
            break
        if pending.shape[1] == 0:
            if available is not None and r >= available:
                concluded = False
                break
            count = int(min(batch_size, bound[alive].max() + 1 - r))
            if available is not None:
                count = min(count, available - r)
            pending = np.full((k, count), np.nan)
            pending[alive] = observe(np.flatnonzero(alive), r, count)
            observations += int(alive.sum()) * count
        sums[alive] += pending[alive, 0]
        counts[alive] += 1
        pending = pending[:, 1:]
        r += 1

    means = sums / counts
    contenders = np.flatnonzero(alive)
    best = contenders[np.argmax(means[contenders])]
    return Selection(
        selected=designs[best],
        designs=designs,
        means={d: float(sign * mu) for d, mu in zip(designs, means, strict=True)},
        replications={d: int(n) for d, n in zip(designs, counts, strict=True)},
        stages=tuple(stages),
        observations=observations,
        delta=float(delta),
        confidence=confidence,
        minimize=minimize,
        concluded=concluded,
    )


@dataclass(frozen=True, slots=True)
class Constraint:
    """A KPI limit such as ``speed_to_lead_hours_p90 <= 2``."""

    kpi: str
    sense: Literal["<=", ">="]
    limit: float

    def __str__(self) -> str:
        return f"{self.kpi} {self.sense} {self.limit:g}"

    @property
    def readable(self) -> str:
        """The constraint with its limit in the KPI's unit: ``cost_total <= $15,000,000``."""
        if self.kpi not in KPI_NAMES:
            return str(self)
        return f"{self.kpi} {self.sense} {kpi_info(self.kpi).format(self.limit)}"


_CONSTRAINT = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(<=|>=)\s*(\S+)\s*$")


def parse_constraint(text: str) -> Constraint:
    """Read ``'K<=V'`` or ``'K>=V'``, the form the command line takes."""
    match = _CONSTRAINT.match(text)
    if not match:
        raise ValueError(f"a constraint reads KPI<=VALUE or KPI>=VALUE, got {text!r}")
    kpi, sense, limit = match.groups()
    try:
        value = float(limit)
    except ValueError:
        raise ValueError(f"constraint {text!r}: the limit {limit!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"constraint {text!r}: the limit must be finite")
    return Constraint(kpi, sense, value)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ConstraintCheck:
    """How often one design met a constraint over its replications, with a Clopper-Pearson interval.

    ``feasible`` is the rule: even the interval's lower end reaches
    ``required``, a one-sided test at level (1 - confidence) / 2 that the
    design meets the constraint in at least that share of replications.
    """

    constraint: Constraint
    met: int
    replications: int
    probability: float
    low: float
    high: float
    confidence: float
    required: float

    @property
    def feasible(self) -> bool:
        return self.low >= self.required

    @property
    def sentence(self) -> str:
        verdict = "feasible" if self.feasible else "not shown feasible"
        return (
            f"meets {self.constraint.readable} in {self.probability:.0%} of {self.replications} replications "
            f"({self.confidence:.0%} interval {self.low:.0%} to {self.high:.0%}); {verdict} "
            f"at a required {self.required:.0%}"
        )


def check_constraint(
    values: ArrayLike,
    constraint: Constraint,
    *,
    confidence: float = 0.95,
    required: float = 0.5,
) -> ConstraintCheck:
    """Estimate P(a replication meets ``constraint``) from one design's per-replication KPI values.

    A NaN value (a KPI a replication could not compute) counts as not met:
    nothing shows it met. The default ``required`` of 0.5 asks that the
    constraint hold in most years; raise it for a hard limit such as a budget,
    knowing that showing 0.9 at 95% needs at least 29 replications all met.
    """
    check_confidence(confidence)
    if not 0 <= required <= 1:
        raise ValueError(f"required must be a probability, got {required}")
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("no replications to check the constraint on")
    ok = x <= constraint.limit if constraint.sense == "<=" else x >= constraint.limit
    met = int(ok.sum())  # NaN compares False
    interval = stats.binomtest(met, x.size).proportion_ci(confidence, method="exact")
    return ConstraintCheck(
        constraint=constraint,
        met=met,
        replications=x.size,
        probability=met / x.size,
        low=float(interval.low),
        high=float(interval.high),
        confidence=confidence,
        required=required,
    )
