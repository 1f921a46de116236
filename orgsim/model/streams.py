"""Random streams, one per purpose, spawned from a single seed.

Each purpose (arrivals, fit, follow-up, ...) draws from its own generator, so a
change that alters how many numbers one mechanism uses leaves every other
mechanism's draws untouched: two scenarios run with the same replication seed
share their random numbers (common random numbers), and results do not depend
on how replications are spread over workers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.random.bit_generator import ISeedSequence

PURPOSES = (
    "arrivals",
    "fit",
    "scoring",
    "nurture",
    "skill",
    "marketer_skill",
    "ae_skill",
    "tenure",
    "management",
    "followup",
    "qualification",
    "outbound",
    "handoff",
    "selling",
    "attrition",
    "backfill",
    "diversion",
)

BATCH_PURPOSES = ("touch", "retry", "cycle", "deal")
"""Month streams of their own for arrays of a month's MQL batch.

Row j of a batch must meet the same numbers in two designs whatever their MQL
counts, so each of the batch's arrays is the first draw on its stream (or a
column of one per-MQL matrix): an array drawn after another of a design's own
length would start at a different place in each design.
"""

MONTH_PURPOSES = (*PURPOSES, *BATCH_PURPOSES, "lead_source")
"""Every stream a month has; their seeds extend, not shift, those of :data:`PURPOSES`
(``lead_source``: which source each new lead comes from, ``lead_sources.py``)."""


@dataclass(frozen=True, slots=True)
class Streams:
    """A bundle of independent generators, one per purpose in :data:`PURPOSES`."""

    arrivals: np.random.Generator
    fit: np.random.Generator
    scoring: np.random.Generator
    nurture: np.random.Generator
    skill: np.random.Generator
    marketer_skill: np.random.Generator
    ae_skill: np.random.Generator
    tenure: np.random.Generator
    management: np.random.Generator
    followup: np.random.Generator
    qualification: np.random.Generator
    outbound: np.random.Generator
    handoff: np.random.Generator
    selling: np.random.Generator
    attrition: np.random.Generator
    backfill: np.random.Generator
    diversion: np.random.Generator

    months: np.random.SeedSequence
    """Parent of the months' seed sequences (:meth:`month`)."""
    warm_start: np.random.Generator
    """The draws of the steady start's pre-history (``warm_start.py``), spawned after ``months``
    so that every other stream is what it was before the steady start existed."""
    hiring: np.random.Generator
    """Hiring delays and skills of people hired into the hiring plan's new seats (``hiring.py``)."""

    @classmethod
    def from_seed(cls, seed: int | np.random.SeedSequence) -> Streams:
        """Spawn one generator per purpose from ``seed``."""
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        generators = (
            np.random.Generator(np.random.PCG64(_child(root, index)))
            for index in range(len(PURPOSES))
        )
        warm_start, hiring = (
            np.random.Generator(np.random.PCG64(_child(root, len(PURPOSES) + offset)))
            for offset in (1, 2)
        )
        return cls(
            *generators, months=_child(root, len(PURPOSES)), warm_start=warm_start, hiring=hiring
        )

    def month(self, month: int) -> MonthStreams:
        """Generators for the draws of one month alone, per purpose.

        A design that makes more leads in March then uses more of March's
        numbers, but April starts from the same numbers in both designs: common
        random numbers stay aligned month by month.
        """
        return MonthStreams(_child(self.months, month))

    @classmethod
    def for_replication(cls, seed: int, replication: int) -> Streams:
        """Streams of replication ``replication`` of a run seeded with ``seed``.

        Equal to the ``replication``-th child of ``SeedSequence(seed)``, computed
        without spawning the others, so any worker can build any replication.
        """
        return cls.from_seed(replication_seed_sequence(seed, replication))


class MonthStreams:
    """One month's generator per purpose, each made on first use (a month needs a dozen).

    The month's seed sequence is hashed once into a seed (four words) per
    purpose, which is all a generator takes from a seed sequence; a seed
    sequence of its own per purpose and month took 6% of a replication.
    """

    def __init__(self, seed: np.random.SeedSequence) -> None:
        count = len(MONTH_PURPOSES)
        self._words = seed.generate_state(4 * count, np.uint64).reshape(count, 4)

    def __getattr__(self, purpose: str) -> np.random.Generator:
        """Make the purpose's generator on first use and keep it as a plain attribute."""
        if purpose not in MONTH_PURPOSES:
            raise AttributeError(
                f"no random stream for {purpose!r}; purposes: {', '.join(MONTH_PURPOSES)}"
            )
        seed = _Words(self._words[MONTH_PURPOSES.index(purpose)])
        generator = np.random.Generator(np.random.PCG64(seed))
        setattr(self, purpose, generator)
        return generator


class _Words(ISeedSequence):
    """Seed words already drawn from a seed sequence, handed to a bit generator as they are."""

    def __init__(self, words: np.ndarray) -> None:
        self._words = words

    def generate_state(self, n_words: int, dtype: type = np.uint32) -> np.ndarray:
        if n_words != self._words.size or np.dtype(dtype) != self._words.dtype:
            raise ValueError(f"holds {self._words.size} {self._words.dtype} words")
        return self._words


def _child(parent: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    """Child ``index`` of ``parent``, as ``parent.spawn`` would make it, without spawning the rest."""
    return np.random.SeedSequence(
        parent.entropy, spawn_key=(*parent.spawn_key, index), pool_size=parent.pool_size
    )


def replication_seed_sequence(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of one replication: child ``replication`` of ``SeedSequence(seed)``."""
    return np.random.SeedSequence(seed, spawn_key=(replication,))
