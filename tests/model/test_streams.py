"""Random streams: one per purpose and month, reproducible, and independent of the order of use."""

from __future__ import annotations

import numpy as np
import pytest
from model_helpers import shipped

from orgsim.model.replication import Replication
from orgsim.model.streams import (
    MONTH_PURPOSES,
    MONTH_STREAMS,
    MONTHS_CHILD,
    REPLICATION_STREAMS,
    Streams,
)


def _draws(streams: Streams, month: int, purpose: str) -> np.ndarray:
    return getattr(streams.month(month), purpose).random(4)


def test_a_month_stream_is_the_same_whoever_asks_and_in_whatever_order() -> None:
    forward = Streams.for_replication(11, 3).month(5)
    backward = Streams.for_replication(11, 3).month(5)
    first = {purpose: getattr(forward, purpose).random(4) for purpose in MONTH_PURPOSES}
    second = {purpose: getattr(backward, purpose).random(4) for purpose in MONTH_PURPOSES[::-1]}
    for purpose in MONTH_PURPOSES:
        np.testing.assert_array_equal(first[purpose], second[purpose])


def test_every_purpose_month_and_replication_has_numbers_of_its_own() -> None:
    streams = Streams.for_replication(11, 3)
    seen = {
        tuple(_draws(streams, month, purpose)) for month in range(12) for purpose in MONTH_PURPOSES
    }
    seen.add(tuple(_draws(Streams.for_replication(11, 4), 0, "arrivals")))
    seen.add(tuple(streams.skill.random(4)))  # a replication-wide stream
    assert len(seen) == 12 * len(MONTH_PURPOSES) + 2


def test_an_unknown_purpose_is_an_error_naming_the_purposes() -> None:
    with pytest.raises(AttributeError, match="purposes: arrivals"):
        _ = Streams.for_replication(1, 0).month(0).dialing


def test_an_mql_meets_the_same_numbers_whatever_the_months_mql_count() -> None:
    """Common random numbers: row j's draws do not depend on how many MQLs the month has."""
    replication = Replication(shipped("sales_owns_inside_sales_with_sla"), Streams.from_seed(4))

    def batch(n: int):
        replication.draws = Streams.from_seed(4).month(0)
        rows = np.arange(n, dtype=float)
        return replication._ticket_draws(list(range(n)), rows, rows / (n + 1), rows / (n + 1))

    few, many = batch(40), batch(65)
    attempts = few.first[-1] + few.planned[-1]
    assert few.planned == many.planned[:40] and few.first == many.first[:40]
    for name in ("touch_hours", "retry_gap", "contact_before"):
        assert getattr(few, name) == getattr(many, name)[:attempts], name
    for name in ("u_qualify", "u_pad", "sql_draws"):
        assert getattr(few, name) == getattr(many, name)[:40], name


def test_every_purpose_has_a_seed_number_of_its_own() -> None:
    """The seed layout: no two purposes of a kind share a number, none takes the months' child."""
    assert len(set(REPLICATION_STREAMS.values())) == len(REPLICATION_STREAMS)
    assert MONTHS_CHILD not in REPLICATION_STREAMS.values()
    assert len(set(MONTH_STREAMS.values())) == len(MONTH_STREAMS)
    generators = [f for f in Streams.__dataclass_fields__ if f != "months"]
    assert generators == list(REPLICATION_STREAMS)
