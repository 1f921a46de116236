"""What each group of settings contributes to the difference between two scenarios (Shapley values).

Switching settings from scenario A's to B's one group at a time gives answers
that depend on the order when mechanisms interact (less coaching hurts more
when SDRs are also diverted). The Shapley value averages a group's marginal
effect over every order, so contributions add up to the whole difference and
interactions are shared out evenly. It is exact: each of the 2**k subsets is
evaluated once, which suits the handful of mechanism groups an explanation has.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from orgsim.analysis.intervals import t_interval

MAX_GROUPS = 12
"""Most groups accepted: 2**12 = 4096 evaluations, each typically a Monte Carlo run."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One group's Shapley contribution: per replication, and its mean with a t interval.

    ``values`` has the shape the value function returns (0-d for a scalar, when
    the interval is NaN); replications where any subset's value was NaN are NaN
    here and left out of ``n``, ``mean`` and the interval.
    """

    group: str
    values: np.ndarray
    n: int
    mean: float
    ci_low: float
    ci_high: float


def shapley_contributions(
    groups: Sequence[str],
    value: Callable[[frozenset[str]], float | ArrayLike],
    confidence: float = 0.95,
) -> dict[str, Contribution]:
    """Exact Shapley contribution of each group to ``value(all groups) - value(no group)``.

    ``value(S)`` is the KPI when the groups in ``S`` take scenario B's settings
    and the rest keep A's; it is called once per subset. It may return a scalar
    or an array over replications (same shape for every subset, replications on
    common random numbers), and the contributions are then per replication:
    they sum to the total per replication up to floating-point rounding, and a
    group whose switch never changes the value gets exactly 0.
    """
    names = list(groups)
    if len(set(names)) != len(names):
        raise ValueError(f"groups must be distinct, got {names}")
    if not 0 < len(names) <= MAX_GROUPS:
        raise ValueError(
            f"need 1 to {MAX_GROUPS} groups (2**k subsets are evaluated), got {len(names)}"
        )
    values = _evaluate_subsets(names, value)
    k = len(names)
    weights = [math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)]
    contributions = {}
    for group in names:
        others = [g for g in names if g != group]
        phi = np.zeros_like(values[frozenset()])
        for size in range(k):
            for subset in map(frozenset, itertools.combinations(others, size)):
                phi = phi + weights[size] * (values[subset | {group}] - values[subset])
        interval = t_interval(phi, confidence)
        contributions[group] = Contribution(
            group, phi, interval.n, interval.mean, interval.low, interval.high
        )
    return contributions


def total_contribution(
    contributions: dict[str, Contribution], confidence: float = 0.95
) -> Contribution:
    """The whole difference ``value(all) - value(none)``, per replication, as the contributions' sum.

    By efficiency the sum is the total, so an explanation can quote the total
    with its interval without evaluating the value function again.
    """
    total = np.sum([c.values for c in contributions.values()], axis=0)
    interval = t_interval(total, confidence)
    return Contribution("total", total, interval.n, interval.mean, interval.low, interval.high)


def contributions_table(contributions: dict[str, Contribution]) -> pd.DataFrame:
    """Contributions as rows ``group, n, mean, ci_low, ci_high``, in the groups' order."""
    return pd.DataFrame(
        [(c.group, c.n, c.mean, c.ci_low, c.ci_high) for c in contributions.values()],
        columns=["group", "n", "mean", "ci_low", "ci_high"],
    )


def _evaluate_subsets(
    names: list[str], value: Callable[[frozenset[str]], float | ArrayLike]
) -> dict[frozenset[str], np.ndarray]:
    """``value`` of every subset of ``names``, each computed once."""
    values: dict[frozenset[str], np.ndarray] = {}
    for size in range(len(names) + 1):
        for subset in map(frozenset, itertools.combinations(names, size)):
            values[subset] = np.asarray(value(subset), dtype=float)
    shapes = {v.shape for v in values.values()}
    if len(shapes) > 1:
        raise ValueError(f"value returned arrays of different shapes across subsets: {shapes}")
    return values
