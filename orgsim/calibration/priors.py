"""The parameters a fit may move, and their priors: ``KEY=LO:HI``, a uniform range on a scalar key.

A key must name a number of the scenario (a distribution's parameter such as
``demand.fit.mean`` included); both ends of its range must be values the
scenario accepts there, so that no draw of the fit is refused mid-run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from orgsim.scenario import Origin, Problem, Scenario, ScenarioError, with_overrides
from orgsim.scenario.settings import setting

PARAM_SOURCE = "--param"
"""How messages name a prior given on the command line."""


@dataclass(frozen=True, slots=True)
class Prior:
    """A uniform prior on ``[low, high]`` for the scenario's number at dotted ``key``.

    ``integer`` keys (a headcount) take the draw rounded to the nearest whole number.
    """

    key: str
    low: float
    high: float
    integer: bool = False

    @property
    def width(self) -> float:
        return self.high - self.low

    def value(self, draw: float) -> float | int:
        """The scenario value for a draw: rounded for a whole-number key."""
        return round(draw) if self.integer else float(draw)

    def quantile(self, share: float) -> float:
        return self.low + share * self.width


def parse_param(text: str) -> tuple[str, float, float]:
    """``KEY=LO:HI`` -> (key, low, high); a ``ValueError`` that says what was expected."""
    key, equals, spec = text.partition("=")
    parts = spec.split(":")
    if not equals or not key.strip() or len(parts) != 2:
        raise ValueError(f"expected KEY=LO:HI, e.g. scoring.mql_threshold=0.4:0.7, got {text!r}")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(f"LO and HI must be numbers, got {text!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"LO and HI must be finite numbers, got {text!r}")
    if low >= high:
        raise ValueError(f"expected LO < HI, got {text!r}")
    return key.strip(), low, high


def priors_for(scenario: Scenario, ranges: Iterable[tuple[str, float, float]]) -> list[Prior]:
    """A prior per range, checked against ``scenario``; ``ScenarioError`` names each bad one."""
    priors: list[Prior] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for key, low, high in ranges:
        where = Origin(
            f"scenario {scenario.name!r}", override=f"{PARAM_SOURCE} {key}={low:g}:{high:g}"
        )
        current = setting(scenario, key)
        if key in seen:
            problems.append(Problem(where, key, "given twice: expected each parameter once"))
            continue
        seen.add(key)
        if isinstance(current, bool) or not isinstance(current, int | float):
            found = "no such key" if current is None else f"a {type(current).__name__}"
            problems.append(
                Problem(where, key, f"expected a scalar number of the scenario, got {found}")
            )
            continue
        if low >= high:
            problems.append(Problem(where, key, f"expected LO < HI, got {low:g}:{high:g}"))
            continue
        prior = Prior(key, low, high, integer=isinstance(current, int))
        try:
            for end in (low, high):
                with_overrides(scenario, {key: prior.value(end)}, source=PARAM_SOURCE)
        except ScenarioError as error:
            problems += error.problems
            continue
        priors.append(prior)
    if not priors and not problems:
        problems.append(
            Problem(
                Origin(f"scenario {scenario.name!r}"),
                "",
                "no parameter to fit: add --param KEY=LO:HI",
            )
        )
    if problems:
        raise ScenarioError(problems)
    return priors
