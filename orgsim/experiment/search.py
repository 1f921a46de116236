"""Which lever settings to try next: optuna's TPE when it is installed, else a Latin hypercube.

TPE (Bergstra et al. 2011) hears each trial's outcome, and its constraint
excesses, before it proposes the next, so it spends a budget near the good
feasible settings; the Latin hypercube spreads the budget evenly and needs
nothing beyond scipy. Both draw only from the search's own stream.
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from orgsim.analysis.discovery import latin_hypercube

SEARCHES = ("auto", "tpe", "latin-hypercube")
Search = Literal["auto", "tpe", "latin-hypercube"]


@dataclass(frozen=True, slots=True)
class Lever:
    """A key the search may set, and its range; ``integer`` for headcounts and other counts."""

    key: str
    low: float
    high: float
    integer: bool = False

    def __str__(self) -> str:
        return f"{self.key}={self.low:g}:{self.high:g}" + (":int" if self.integer else "")


_LEVER = re.compile(r"^([^=\s]+)=([^:]+):([^:]+?)(:int)?$")


def parse_lever(text: str) -> Lever:
    """``KEY=LO:HI`` or ``KEY=LO:HI:int``, the form ``--vary`` takes."""
    match = _LEVER.match(text.strip())
    if not match:
        raise ValueError(f"expected KEY=LO:HI or KEY=LO:HI:int, got {text!r}")
    key, low_text, high_text, integer = match.groups()
    try:
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise ValueError(f"{text!r}: LO and HI must be numbers") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{text!r}: needs finite LO < HI")
    if integer and not (low.is_integer() and high.is_integer()):
        raise ValueError(f"{text!r}: an :int range needs whole-number LO and HI")
    return Lever(key, low, high, bool(integer))


def search_method(search: Search) -> str:
    if search not in SEARCHES:
        raise ValueError(f"search must be one of {', '.join(SEARCHES)}, got {search!r}")
    available = importlib.util.find_spec("optuna") is not None
    if search == "tpe" and not available:
        raise ImportError("the TPE search needs optuna: pip install 'orgsim[optimize]'")
    return "tpe" if search == "tpe" or (search == "auto" and available) else "latin-hypercube"


Tell = Callable[[float | None, Sequence[float]], None]
"""Report a trial's mean KPI (None: undefined) and its constraint excesses to the search."""


def proposals(
    method: str, levers: Sequence[Lever], budget: int, seed: int
) -> Iterator[tuple[dict[str, Any], Tell]]:
    """``budget`` points, each with the ``tell`` that reports its outcome; ``seed`` is the search's own.

    TPE hears each outcome before it proposes the next point; the hypercube
    ignores what it is told.
    """
    if method == "latin-hypercube":
        box = {lever.key: (lever.low, lever.high) for lever in levers}
        sample = latin_hypercube(box, budget, seed)
        for row in sample.to_dict("records"):
            yield typed_values(levers, row), lambda value, excess: None
        return
    import optuna

    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        for _ in range(budget):
            trial = study.ask()
            values = {
                lever.key: trial.suggest_int(lever.key, int(lever.low), int(lever.high))
                if lever.integer
                else trial.suggest_float(lever.key, lever.low, lever.high)
                for lever in levers
            }

            def tell(value: float | None, excess: Sequence[float], trial: Any = trial) -> None:
                for index, amount in enumerate(excess):
                    trial.set_constraint(f"constraint_{index}", amount)
                state = optuna.trial.TrialState.FAIL if value is None else None
                study.tell(trial, value, state=state)

            yield values, tell
    finally:
        optuna.logging.set_verbosity(verbosity)


def typed_values(levers: Sequence[Lever], row: Mapping[Any, Any]) -> dict[str, Any]:
    """A point as scenario values: an integer lever's value rounded to a whole number."""
    return {
        lever.key: round(float(row[lever.key])) if lever.integer else float(row[lever.key])
        for lever in levers
    }
