"""Random streams: one per purpose and month, reproducible, and independent of the order of use."""

from __future__ import annotations

import numpy as np
import pytest

from orgsim.model.streams import PURPOSES, Streams


def _draws(streams: Streams, month: int, purpose: str) -> np.ndarray:
    return getattr(streams.month(month), purpose).random(4)


def test_a_month_stream_is_the_same_whoever_asks_and_in_whatever_order() -> None:
    forward = Streams.for_replication(11, 3).month(5)
    backward = Streams.for_replication(11, 3).month(5)
    first = {purpose: getattr(forward, purpose).random(4) for purpose in PURPOSES}
    second = {purpose: getattr(backward, purpose).random(4) for purpose in reversed(PURPOSES)}
    for purpose in PURPOSES:
        np.testing.assert_array_equal(first[purpose], second[purpose])


def test_every_purpose_month_and_replication_has_numbers_of_its_own() -> None:
    streams = Streams.for_replication(11, 3)
    seen = {tuple(_draws(streams, month, purpose)) for month in range(12) for purpose in PURPOSES}
    seen.add(tuple(_draws(Streams.for_replication(11, 4), 0, "arrivals")))
    seen.add(tuple(streams.arrivals.random(4)))  # the replication-wide stream
    assert len(seen) == 12 * len(PURPOSES) + 2


def test_an_unknown_purpose_is_an_error_naming_the_purposes() -> None:
    with pytest.raises(AttributeError, match="purposes: arrivals"):
        _ = Streams.for_replication(1, 0).month(0).dialing
