"""Student-t intervals for a mean, the one interval every other analysis module reuses.

Replication KPIs may be NaN (cost per win with no wins), so the interval is
taken over the finite-or-infinite values that are not NaN and says how many it
dropped: a reader must know when an interval rests on fewer replications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


@dataclass(frozen=True, slots=True)
class MeanInterval:
    """Mean of the non-NaN values with its standard error and t interval."""

    n: int
    n_missing: int
    mean: float
    sd: float
    sem: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        """Half the interval's width: the precision a stopping rule aims at."""
        return (self.high - self.low) / 2


def t_interval(values: ArrayLike, confidence: float = 0.95) -> MeanInterval:
    """Student-t interval for the mean of ``values``, ignoring NaN.

    With fewer than two values the spread is unknown and the interval is NaN;
    with no spread at all (a mechanism that changes nothing under common random
    numbers) the interval collapses onto the mean instead of becoming NaN.
    """
    check_confidence(confidence)
    x = np.asarray(values, dtype=float).ravel()
    kept = x[~np.isnan(x)]
    n = kept.size
    mean = float(kept.mean()) if n else np.nan
    if n < 2:
        return MeanInterval(n, x.size - n, mean, np.nan, np.nan, np.nan, np.nan)
    sd = float(kept.std(ddof=1))
    sem = sd / np.sqrt(n)
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sem
    return MeanInterval(n, x.size - n, mean, sd, sem, mean - half, mean + half)


def check_confidence(confidence: float) -> None:
    """Reject a confidence level outside (0, 1) before it turns into NaN bounds."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence}")
