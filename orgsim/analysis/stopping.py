"""Enough replications? Add batches until a KPI's interval is narrow enough relative to its mean.

A fixed replication count is either wasted on a stable KPI or too small for a
noisy one. The sequential rule runs a minimum first (so an early lucky streak
of similar values cannot stop it, the usual bias of sequential stopping), then
adds batches until the t interval's half-width is at most ``target`` times
|mean|, or a maximum is reached, and says which happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from orgsim.analysis.intervals import MeanInterval, check_confidence, t_interval


@dataclass(frozen=True, slots=True)
class StoppingResult:
    """Where the sequential rule stopped: all values drawn and the interval they give."""

    values: np.ndarray
    replications: int
    interval: MeanInterval
    relative_half_width: float
    target: float
    converged: bool


def relative_half_width(values: ArrayLike, confidence: float = 0.95) -> float:
    """Half-width of the mean's t interval over |mean|, NaN ignored.

    Infinite when the mean is 0 (no relative precision is reachable) and NaN
    with fewer than two values.
    """
    interval = t_interval(values, confidence)
    if interval.mean == 0:
        return np.inf
    return interval.half_width / abs(interval.mean)


def replications_needed(
    draw: Callable[[int, int], ArrayLike],
    target: float,
    *,
    confidence: float = 0.95,
    min_replications: int = 30,
    max_replications: int = 1000,
    batch_size: int = 50,
) -> StoppingResult:
    """Call ``draw(start, count)`` for replications ``start .. start+count-1`` until precise enough.

    Draws ``min_replications`` first, then batches of ``batch_size`` (the last
    one trimmed to ``max_replications``) until the relative half-width is at
    most ``target``. ``draw`` returns one KPI value per replication (a paired
    difference works too, for "enough to tell A from B"); passing the start
    index lets it seed replication i the same way whatever the batching.
    """
    check_confidence(confidence)
    if not target > 0:
        raise ValueError(f"target relative half-width must be positive, got {target}")
    if not 2 <= min_replications <= max_replications:
        raise ValueError(
            "need 2 <= min_replications <= max_replications, "
            f"got {min_replications} and {max_replications}"
        )
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    batches = [_draw(draw, 0, min_replications)]
    count = min_replications
    while True:
        values = np.concatenate(batches)
        precision = relative_half_width(values, confidence)
        converged = bool(precision <= target)
        if converged or count >= max_replications:
            return StoppingResult(
                values, count, t_interval(values, confidence), precision, target, converged
            )
        size = min(batch_size, max_replications - count)
        batches.append(_draw(draw, count, size))
        count += size


def _draw(draw: Callable[[int, int], ArrayLike], start: int, count: int) -> np.ndarray:
    values = np.asarray(draw(start, count), dtype=float).ravel()
    if values.size != count:
        raise ValueError(
            f"draw({start}, {count}) returned {values.size} values; expected one per replication"
        )
    return values
