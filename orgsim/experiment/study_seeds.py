"""Seeds for a study's own draws (a sampler's points, a forest's splits), apart from the model's.

Replication i of a run seeded with s draws from child i of ``SeedSequence(s)``;
the root's own state is never used by a replication. Hashing that state gives
each study purpose a seed of its own, so a sampler's draws neither shift nor
share the replications' common random numbers, and one seed still repeats it all.
"""

from __future__ import annotations

import numpy as np

STUDY_PURPOSES = ("discover.sample", "discover.forest", "optimize.search")
"""Every draw a study makes outside the model, one stream each."""


def study_seed(seed: int, purpose: str) -> int:
    """The seed of ``purpose`` (one of :data:`STUDY_PURPOSES`) in a study seeded with ``seed``."""
    if purpose not in STUDY_PURPOSES:
        raise ValueError(f"no study stream {purpose!r}; purposes: {', '.join(STUDY_PURPOSES)}")
    words = np.random.SeedSequence(seed).generate_state(len(STUDY_PURPOSES), np.uint32)
    return int(words[STUDY_PURPOSES.index(purpose)])  # 32 bits: what scikit-learn takes


def resolve_seed(seed: int | None, default: int | None) -> int:
    """The study's seed: the one asked for, else the scenario's, else fresh entropy (recorded)."""
    chosen = seed if seed is not None else default
    if chosen is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(chosen, bool) or chosen < 0:
        raise ValueError(f"seed must be a non-negative integer, got {chosen!r}")
    return int(chosen)
