"""ABC-SMC on several workers with the results of one: speculative batches, replayed in order.

pyabc's ``simulate_one`` draws a parameter from numpy's global generator, runs
the model and judges the distance. pyabc's parallel samplers keep the draws in
the order the workers finish, so a fit would depend on timing. This sampler
keeps the order of one core. It saves the generator's state and calls
``simulate_one`` ``batch`` times while the model only records the parameters
(answering with the observed statistics); it runs those draws at once on the
session's workers; then it restores the generator and calls ``simulate_one``
again, the model now answering from the batch. A generation ends at its n-th
acceptance, as on one core, and the draws made after it are discarded, the
generator's state with them. So the particles are those of one core whatever
the batch size or the number of workers; the cost is the discarded tail of a
generation's last batch.

It relies on ``simulate_one`` drawing random numbers only before the model
runs (pyabc's uniform acceptor draws none after): the replay checks that each
parameter it is asked for is the one recorded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pyabc  # type: ignore[import-untyped]

Statistics = dict[str, float]
Draw = tuple[dict[str, float], int]
"""A parameter draw and the number of the simulation that runs it."""
RunBatch = Callable[[Sequence[Draw]], list[Statistics]]
"""Simulates every draw of a batch, returning each one's summary statistics, in order."""


class BatchModel:
    """The fit's model function: records draws, or answers them from a batch run at once.

    ``done`` counts the simulations whose answers were used: the next draw's
    number, so a draw's numbers do not depend on how draws were batched.
    """

    def __init__(
        self, run_batch: RunBatch, placeholder: Statistics, on_done: Callable[[int], None]
    ) -> None:
        self.run_batch = run_batch
        self.placeholder = placeholder
        self.on_done = on_done
        self.done = 0
        self._recorded: list[dict[str, float]] | None = None
        self._answers: deque[tuple[dict[str, float], Statistics]] = deque()

    def __call__(self, parameters: Mapping[str, Any]) -> Statistics:
        values = {name: float(value) for name, value in parameters.items()}
        if self._recorded is not None:
            self._recorded.append(values)
            return self.placeholder
        if not self._answers:
            raise RuntimeError("the calibration model was called outside a recorded batch")
        expected, statistics = self._answers.popleft()
        if values != expected:
            raise RuntimeError(
                "pyabc drew other parameters on replay than it recorded: "
                "its sampling is no longer reproducible this way"
            )
        self.done += 1
        self.on_done(self.done)
        return statistics

    @contextmanager
    def recording(self) -> Iterator[None]:
        self._recorded = []
        try:
            yield
        finally:
            recorded, self._recorded = self._recorded, None
        draws = [(values, self.done + offset) for offset, values in enumerate(recorded)]
        self._answers = deque(zip(recorded, self.run_batch(draws), strict=True))

    @contextmanager
    def replaying(self) -> Iterator[None]:
        try:
            yield
        finally:
            self._answers.clear()  # the draws after a generation's last acceptance


class OrderedBatchSampler(pyabc.Sampler):
    """pyabc's sampler interface over :class:`BatchModel`: ``batch`` draws at a time."""

    def __init__(self, model: BatchModel, batch: int) -> None:
        super().__init__()
        if batch < 1:
            raise ValueError(f"batch must be at least 1, got {batch}")
        self.model = model
        self.batch = batch

    def sample_until_n_accepted(
        self,
        n: int,
        simulate_one: Callable[[], Any],
        t: int,
        *,
        max_eval: float = np.inf,
        all_accepted: bool = False,
        ana_vars: Any = None,
    ) -> Any:
        """``n`` accepted particles and the rejected ones before them, as one core makes them.

        Like pyabc's ``SingleCoreSampler``, it leaves ``max_eval`` to the budget
        checked between generations; ``t``, ``all_accepted`` and ``ana_vars``
        change nothing here.
        """
        sample = self._create_empty_sample()
        evaluations = 0
        while sample.n_accepted < n:
            state = np.random.get_state()
            with self.model.recording():
                for _ in range(self.batch):
                    simulate_one()
            np.random.set_state(state)
            with self.model.replaying():
                for _ in range(self.batch):
                    particle = simulate_one()
                    sample.append(particle)
                    evaluations += 1
                    if particle.accepted and sample.n_accepted >= n:
                        break
        self.nr_evaluations_ = evaluations
        return sample
