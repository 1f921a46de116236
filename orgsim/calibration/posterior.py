"""A posterior as weighted draws: ``posterior.csv`` read and written, summarised and resampled.

One row per draw, a column per parameter named by its dotted scenario key, and
``weight``. The same table is what ``orgsim calibrate`` writes and what
``orgsim compare --posterior`` reads.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orgsim.calibration.csvfile import HEADER_LINE, DataError, got, problem, read_table

POSTERIOR_CSV = "posterior.csv"
WEIGHT = "weight"
INTERVAL = (0.05, 0.95)
"""The credible interval reported: 90%, equal-tailed."""
MAX_BYTES = 50_000_000
"""The size cap of a posterior file: far above any ABC population."""


@dataclass(frozen=True, slots=True)
class Posterior:
    """Weighted draws: ``draws`` has a column per dotted key; ``weights`` sum to 1."""

    draws: pd.DataFrame
    weights: np.ndarray

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.draws.columns)

    def table(self) -> pd.DataFrame:
        """The ``posterior.csv`` shape: the draws and their ``weight``."""
        return self.draws.assign(**{WEIGHT: self.weights})

    def quantile(self, key: str, share: float) -> float:
        """The weighted ``share`` quantile of ``key`` (the inverse of the weighted CDF)."""
        values = self.draws[key].to_numpy(float)
        order = np.argsort(values, kind="stable")
        cumulative = np.cumsum(self.weights[order])
        at = min(int(np.searchsorted(cumulative, share * cumulative[-1])), len(values) - 1)
        return float(values[order][at])

    def mean(self, key: str) -> float:
        return float(np.dot(self.draws[key].to_numpy(float), self.weights))

    def sample(self, count: int, rng: np.random.Generator) -> pd.DataFrame:
        """``count`` draws resampled by weight (with replacement)."""
        rows = rng.choice(len(self.weights), size=count, p=self.weights)
        return self.draws.iloc[rows].reset_index(drop=True)


def normalized(draws: pd.DataFrame, weights: np.ndarray) -> Posterior:
    weights = np.asarray(weights, dtype=float)
    return Posterior(draws.reset_index(drop=True), weights / weights.sum())


def read_posterior(path: str | os.PathLike[str]) -> Posterior:
    """Read ``posterior.csv``; a ``DataError`` names the file, line and column of each problem."""
    table = read_table(path, MAX_BYTES, "one row per posterior draw")
    file = table.file
    if WEIGHT not in table.header:
        message = f"no {WEIGHT} column: expected one, beside a column per dotted parameter key"
        raise DataError([problem(file, message, HEADER_LINE)])
    keys = [name for name in table.header if name != WEIGHT]
    if not keys:
        message = "no parameter column: expected a column per dotted key besides weight"
        raise DataError([problem(file, message, HEADER_LINE)])
    numbers = {
        name: pd.to_numeric(table.cells[name], errors="coerce").to_numpy(float)
        for name in table.header
    }
    problems = []
    for name in table.header:
        for position, (row, cell) in enumerate(table.cells[name].items()):
            value = float(numbers[name][position])
            bad = not math.isfinite(value) or (name == WEIGHT and value < 0)
            if bad:
                expected = "a weight of 0 or more" if name == WEIGHT else "a number"
                problems.append(
                    problem(file, f"expected {expected}, got {got(cell)}", table.line(row), name)
                )
    if problems:
        raise DataError(problems)
    weights = numbers[WEIGHT]
    if weights.sum() <= 0:
        raise DataError([problem(file, "every weight is 0: expected some positive", None, WEIGHT)])
    return normalized(pd.DataFrame({name: numbers[name] for name in keys}), weights)
