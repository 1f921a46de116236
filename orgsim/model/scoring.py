"""Scoring and nurture: marketing scores leads; the rest mature in nurture and may return.

Scores carry noise that shrinks with the marketers' skill; a lead above the MQL
threshold is an MQL. Leads below it, and MQLs that go nowhere, are "nurtured and
mature over time" (first article): each month some re-engage with a higher fit
and are scored again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orgsim.scenario.schema import Scoring


def score_leads(
    fit: np.ndarray, scoring: Scoring, scoring_skill: float, rng: np.random.Generator
) -> np.ndarray:
    """Observed scores: fit plus noise of sd ``noise_sd / skill``; exact when scoring is off."""
    noise = rng.standard_normal(fit.size)
    if not scoring.enabled:
        return fit.copy()
    return fit + noise * (scoring.noise_sd / max(scoring_skill, 1e-9))


def is_mql(scores: np.ndarray, scoring: Scoring) -> np.ndarray:
    return scores >= scoring.mql_threshold


@dataclass(slots=True)
class NurturePool:
    """Leads in nurture: their ids, fit and the month they entered."""

    ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    fit: np.ndarray = field(default_factory=lambda: np.empty(0))
    entered: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def __len__(self) -> int:
        return self.ids.size

    def add(self, ids: np.ndarray, fit: np.ndarray, entered: int | np.ndarray) -> None:
        """Add leads that entered nurture in month ``entered`` (one month or one per lead)."""
        self.ids = np.concatenate([self.ids, ids])
        self.fit = np.concatenate([self.fit, fit])
        months = np.broadcast_to(np.asarray(entered, dtype=np.int64), ids.shape)
        self.entered = np.concatenate([self.entered, months])

    def draw_returns(
        self, scoring: Scoring, month: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Leads that re-engage this month (ids, matured fit, month entered); they leave the pool.

        Leads older than ``months_kept`` are dropped first. One uniform per pooled
        lead is drawn even when nurture is off, so switching it keeps other
        mechanisms' random numbers aligned.
        """
        nurture = scoring.nurture
        keep = month - self.entered < nurture.months_kept
        self.ids, self.fit, self.entered = self.ids[keep], self.fit[keep], self.entered[keep]
        returning = rng.random(self.ids.size) < nurture.return_rate_per_month
        if not nurture.enabled:
            returning[:] = False
        ids, entered = self.ids[returning], self.entered[returning]
        fit = np.minimum(self.fit[returning] + nurture.maturation, 1.0)
        stay = ~returning
        self.ids, self.fit, self.entered = self.ids[stay], self.fit[stay], self.entered[stay]
        return ids, fit, entered
