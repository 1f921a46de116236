"""Scoring and nurture: marketing scores leads; the rest mature in nurture and may return.

Scores carry noise that shrinks with the marketers' skill; a lead above the MQL
threshold is an MQL. Leads below it, and MQLs that go nowhere, are "nurtured and
mature over time" (first article): each month some re-engage with a higher fit
and are scored again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from orgsim.scenario.schema import Nurture, Scoring


def score_leads(
    fit: np.ndarray,
    scoring: Scoring,
    scoring_skill: float,
    rng: np.random.Generator,
    noise_factor: float = 1.0,
) -> np.ndarray:
    """Observed scores: fit plus noise of sd ``noise_sd x noise_factor / skill``; exact when off.

    ``noise_factor`` is what the closed loop has learned (``closed_loop.py``).
    """
    noise = rng.standard_normal(fit.size)
    if not scoring.enabled:
        return fit.copy()
    return fit + noise * (scoring.noise_sd * noise_factor / max(scoring_skill, 1e-9))


def is_mql(scores: np.ndarray, scoring: Scoring) -> np.ndarray:
    return scores >= scoring.mql_threshold


@dataclass(slots=True)
class NurturePool:
    """Leads in nurture, filed under the month they will re-engage.

    A nurtured lead re-engages each month with the same chance, so the month it
    returns is geometric from the month it (re-)enters. Drawing that month once,
    on entry, costs nothing for the months a lead waits, however large nurture
    grows (tens of thousands of leads a year). Leads due after the last
    simulated month are not filed at all.
    """

    nurture: Nurture
    months: int
    due: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = field(default_factory=dict)

    def add(
        self,
        ids: np.ndarray,
        fit: np.ndarray,
        entered: int | np.ndarray,
        month: int,
        rng: np.random.Generator,
    ) -> None:
        """File leads going into nurture in ``month``; ``entered`` is when each first did.

        A lead returns at most ``months_kept`` months after it first entered;
        later than that it is dropped, as it is when it is due after the run ends.
        """
        nurture = self.nurture
        if not nurture.enabled or nurture.return_rate_per_month <= 0 or ids.size == 0:
            return
        first = np.broadcast_to(np.asarray(entered, dtype=np.int64), ids.shape)
        returns = month + rng.geometric(nurture.return_rate_per_month, ids.size)
        kept = np.flatnonzero((returns - first < nurture.months_kept) & (returns < self.months))
        if kept.size == 0:
            return
        order = kept[np.argsort(returns[kept], kind="stable")]
        ids, fit, first, due = ids[order], fit[order], first[order], returns[order]
        bounds = [0, *(np.flatnonzero(due[1:] != due[:-1]) + 1).tolist(), due.size]
        for start, stop in itertools.pairwise(bounds):
            filed = (ids[start:stop], fit[start:stop], first[start:stop])
            self.due.setdefault(int(due[start]), []).append(filed)

    def draw_returns(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Leads that re-engage in ``month``: ids, matured fit, month they first entered."""
        filed = self.due.pop(month, [])
        if not filed:
            return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64)
        ids, fit, entered = (np.concatenate(parts) for parts in zip(*filed, strict=True))
        return ids, np.minimum(fit + self.nurture.maturation, 1.0), entered
