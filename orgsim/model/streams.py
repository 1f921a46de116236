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
from numpy.typing import DTypeLike, NDArray

REPLICATION_STREAMS = {
    "skill": 4,
    "marketer_skill": 5,
    "ae_skill": 6,
    "tenure": 7,
    "management": 8,
    "backfill": 15,
    "backfill_skill": 18,
    "ae_tenure": 19,
    "warm_start": 20,
    "hiring": 21,
    "hiring_skill": 22,
    "ae_hiring": 23,
    "ae_hiring_skill": 24,
}
"""Generators a replication draws from outside its months (people at the start, backfill by event),
each with its child of the replication's seed sequence.

The numbers are the seed layout: a purpose keeps its number for good, and a new
one takes a number nothing has had, so adding a stream leaves every existing
draw as it was. Children 0-3, 9-14 and 16 were once replication-wide generators
for purposes now drawn month by month; nothing spawns them any more.
"""

MONTHS_CHILD = 17
"""The child of a replication's seed sequence that parents the months' (:meth:`Streams.month`)."""

MONTH_STREAMS = {
    "arrivals": 0,
    "fit": 1,
    "scoring": 2,
    "nurture": 3,
    "followup": 9,
    "qualification": 10,
    "outbound": 11,
    "handoff": 12,
    "selling": 13,
    "attrition": 14,
    "diversion": 16,
    "touch": 17,
    "retry": 18,
    "cycle": 19,
    "deal": 20,
    "player_coach": 21,
    "ae_attrition": 22,
    "ae_backfill": 23,
    "pipeline": 24,
    "lead_source": 25,
}
"""Generators of one month, each with its row of the month's seed words; numbered as above."""

REPLICATION_PURPOSES = tuple(REPLICATION_STREAMS)
MONTH_PURPOSES = tuple(MONTH_STREAMS)

BATCH_PURPOSES = ("touch", "retry", "cycle", "deal")
"""Month streams of their own for arrays of a month's MQL batch.

Row j of a batch must meet the same numbers in two designs whatever their MQL
counts, so each of the batch's arrays is the first draw on its stream (or a
column of one per-MQL matrix): an array drawn after another of a design's own
length would start at a different place in each design.
"""


@dataclass(frozen=True, slots=True)
class Streams:
    """A replication's generators, one per purpose in :data:`REPLICATION_STREAMS`, and its months."""

    skill: np.random.Generator
    marketer_skill: np.random.Generator
    ae_skill: np.random.Generator
    tenure: np.random.Generator
    management: np.random.Generator
    backfill: np.random.Generator
    backfill_skill: np.random.Generator
    ae_tenure: np.random.Generator
    warm_start: np.random.Generator
    """The draws of the steady start's pre-history (``warm_start.py``)."""
    hiring: np.random.Generator
    """Hiring delays of the hiring plan's new seats (``hiring.py``)."""
    hiring_skill: np.random.Generator
    """Skills of the people hired into them."""
    ae_hiring: np.random.Generator
    """Hiring delays of the AE hiring plan's new seats (``ae_seats.py``)."""
    ae_hiring_skill: np.random.Generator
    """Skills of the AEs hired into them."""

    months: np.random.SeedSequence
    """Parent of the months' seed sequences (:meth:`month`)."""

    @classmethod
    def from_seed(cls, seed: int | np.random.SeedSequence) -> Streams:
        """Spawn one generator per purpose from ``seed``."""
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        generators = {
            purpose: np.random.Generator(np.random.PCG64(_child(root, child)))
            for purpose, child in REPLICATION_STREAMS.items()
        }
        return cls(**generators, months=_child(root, MONTHS_CHILD))

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
        rows = max(MONTH_STREAMS.values()) + 1
        self._words = seed.generate_state(4 * rows, np.uint64).reshape(rows, 4)

    def __getattr__(self, purpose: str) -> np.random.Generator:
        """Make the purpose's generator on first use and keep it as a plain attribute."""
        if purpose not in MONTH_STREAMS:
            raise AttributeError(
                f"no random stream for {purpose!r}; purposes: {', '.join(MONTH_PURPOSES)}"
            )
        seed = _Words(self._words[MONTH_STREAMS[purpose]])
        # numpy's stubs type PCG64's seed as a SeedSequence, though it takes any ISeedSequence.
        generator = np.random.Generator(np.random.PCG64(seed))  # type: ignore[arg-type]
        setattr(self, purpose, generator)
        return generator


class _Words(ISeedSequence):
    """Seed words already drawn from a seed sequence, handed to a bit generator as they are."""

    def __init__(self, words: NDArray[np.uint64]) -> None:
        self._words = words

    def generate_state(
        self, n_words: int, dtype: DTypeLike = np.uint32
    ) -> NDArray[np.uint32 | np.uint64]:
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
