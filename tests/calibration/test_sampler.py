"""The batch sampler accepts exactly what pyabc's one-core sampler accepts, for any batch size."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pyabc = pytest.importorskip("pyabc")

from orgsim.calibration.sampler import BatchModel, Draw, OrderedBatchSampler  # noqa: E402

OBSERVED = {"y": 1.5}


def toy(values: dict[str, float], number: int) -> dict[str, float]:
    """A noisy simulator whose noise comes from the simulation's number, as orgsim's does."""
    noise = np.random.default_rng(number).normal(0.0, 0.3)
    return {"y": values["mu"] + noise}


def fit(tmp_path: Path, sampler_for: object) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    count = 0

    def sequential(parameters: dict[str, float]) -> dict[str, float]:
        nonlocal count
        count += 1
        return toy(dict(parameters), count - 1)

    def run_batch(draws: Sequence[Draw]) -> list[dict[str, float]]:
        return [toy(values, number) for values, number in draws]

    model = BatchModel(run_batch, OBSERVED, lambda _done: None)
    sampler = (
        pyabc.SingleCoreSampler()
        if sampler_for is None
        else OrderedBatchSampler(model, sampler_for)
    )
    logging.getLogger("ABC").setLevel(logging.WARNING)
    np.random.seed(5)
    abc = pyabc.ABCSMC(
        sequential if sampler_for is None else model,
        pyabc.Distribution(mu=pyabc.RV("uniform", -3, 6)),
        pyabc.AdaptivePNormDistance(p=2),
        population_size=12,
        sampler=sampler,
    )
    history = abc.new(f"sqlite:///{tmp_path}/batch{sampler_for}.db", OBSERVED)
    abc.run(max_nr_populations=3)
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    populations = history.get_all_populations().drop(columns=["population_end_time", "wall_time"])
    done = count if sampler_for is None else model.done
    return frame.assign(weight=weights).reset_index(drop=True), populations, done


@pytest.mark.parametrize("batch", [1, 3, 7])
def test_every_batch_size_accepts_what_one_core_accepts(tmp_path: Path, batch: int) -> None:
    one_core = fit(tmp_path, None)
    batched = fit(tmp_path, batch)
    pd.testing.assert_frame_equal(batched[0], one_core[0])
    pd.testing.assert_frame_equal(batched[1], one_core[1])
    assert batched[2] == one_core[2]  # the same simulations used, the discarded tail not counted


def test_a_replay_that_draws_other_parameters_is_refused() -> None:
    model = BatchModel(lambda draws: [toy(v, n) for v, n in draws], OBSERVED, lambda _done: None)
    with model.recording():
        model({"mu": 0.5})
    with model.replaying(), pytest.raises(RuntimeError, match="other parameters on replay"):
        model({"mu": 0.6})
