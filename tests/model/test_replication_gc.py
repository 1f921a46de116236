"""A replication pauses the cycle collector it has no work for, and always gives it back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from model_helpers import shipped

from orgsim.model import replication, run_replication


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it as this one did."""
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_during_a_replication_and_running_after(
    collector_state: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    simulate = replication.Replication.run

    def watched(self: replication.Replication) -> object:
        seen.append(gc.isenabled())
        return simulate(self)

    monkeypatch.setattr(replication.Replication, "run", watched)
    gc.enable()
    run_replication(shipped("sales_owns_inside_sales"), 1)
    assert seen == [False]
    assert gc.isenabled()


def test_a_failing_replication_gives_the_collector_back(
    collector_state: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_self: replication.Replication) -> None:
        raise RuntimeError("the model broke")

    monkeypatch.setattr(replication.Replication, "run", fail)
    gc.enable()
    with pytest.raises(RuntimeError, match="the model broke"):
        run_replication(shipped("sales_owns_inside_sales"), 1)
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused(collector_state: None) -> None:
    gc.disable()
    run_replication(shipped("sales_owns_inside_sales"), 1)
    assert not gc.isenabled()
