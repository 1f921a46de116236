"""The parameters a fit may move, and their priors.

They come from the scenario's ``calibration.parameters`` (a uniform, triangular
or beta distribution per key, in the scenario's own distribution syntax), and
``--param KEY=LO:HI`` adds a uniform prior or replaces the section's for that
key. A key must name a number of the scenario (a distribution's parameter such
as ``demand.fit.mean`` included); both ends of its prior must be values the
scenario accepts there, so that no draw of the fit is refused mid-run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scipy import stats

from orgsim.scenario import Origin, Problem, Scenario, ScenarioError, with_overrides
from orgsim.scenario.distributions import Beta, Triangular, Uniform
from orgsim.scenario.settings import setting

PARAM_SOURCE = "--param"
"""How messages name a prior given on the command line."""
SECTION_SOURCE = "calibration.parameters"
"""How messages name a prior given in the scenario."""
EDGE = 1e-12
"""The prior's quantiles whose values are checked: its ends, or a beta's last drawable values."""


PriorDistribution = Uniform | Triangular | Beta
"""The shapes a prior may take: bounded, so both ends can be checked against the key."""


@dataclass(frozen=True, slots=True)
class Prior:
    """A prior belief about the scenario's number at dotted ``key``.

    ``integer`` keys (a headcount) take the draw rounded to the nearest whole number.
    """

    key: str
    distribution: PriorDistribution
    integer: bool = False

    @property
    def low(self) -> float:
        return self.distribution.support[0]

    @property
    def high(self) -> float:
        return self.distribution.support[1]

    def value(self, draw: float) -> float | int:
        """The scenario value for a draw: rounded for a whole-number key."""
        return round(draw) if self.integer else float(draw)

    def scipy(self) -> tuple[str, tuple[float, ...]]:
        """The scipy.stats distribution's name and arguments, as ``pyabc.RV`` takes them."""
        dist = self.distribution
        width = self.high - self.low
        if isinstance(dist, Uniform):
            return "uniform", (dist.low, width)
        if isinstance(dist, Triangular):
            return "triang", ((dist.mode - dist.low) / width, dist.low, width)
        return "beta", dist.shape

    def quantile(self, share: float) -> float:
        name, args = self.scipy()
        return float(getattr(stats, name)(*args).ppf(share))

    def density(self, values: Any) -> Any:
        """The prior's density at ``values`` (for the marginals figure)."""
        name, args = self.scipy()
        return getattr(stats, name)(*args).pdf(values)

    def describe(self) -> dict[str, Any]:
        """The prior as ``calibration.json`` records it: its key and its scenario syntax."""
        return {"parameter": self.key, **self.distribution.model_dump(by_alias=True)}


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
    """The scenario's ``calibration.parameters``, each range of ``ranges`` (``--param``) adding
    a uniform prior or replacing the section's; checked against ``scenario``, a
    ``ScenarioError`` names each bad one."""
    chosen: dict[str, tuple[PriorDistribution, Origin]] = {
        key: (dist, Origin(f"scenario {scenario.name!r}", override=f"{SECTION_SOURCE}.{key}"))
        for key, dist in scenario.calibration.parameters.items()
        if isinstance(dist, PriorDistribution)  # the schema admits nothing else
    }
    problems: list[Problem] = []
    given: set[str] = set()
    for key, low, high in ranges:
        where = Origin(
            f"scenario {scenario.name!r}", override=f"{PARAM_SOURCE} {key}={low:g}:{high:g}"
        )
        if key in given:
            problems.append(Problem(where, key, "given twice: expected each parameter once"))
            continue
        given.add(key)
        if low >= high:
            problems.append(Problem(where, key, f"expected LO < HI, got {low:g}:{high:g}"))
            continue
        chosen[key] = (Uniform(low=low, high=high), where)
    priors: list[Prior] = []
    for key, (dist, where) in chosen.items():
        current = setting(scenario, key)
        if isinstance(current, bool) or not isinstance(current, int | float):
            found = "no such key" if current is None else f"a {type(current).__name__}"
            problems.append(
                Problem(where, key, f"expected a scalar number of the scenario, got {found}")
            )
            continue
        prior = Prior(key, dist, integer=isinstance(current, int))
        source = PARAM_SOURCE if key in given else SECTION_SOURCE
        try:
            for share in (EDGE, 1 - EDGE):
                with_overrides(scenario, {key: prior.value(prior.quantile(share))}, source=source)
        except ScenarioError as error:
            problems += error.problems
            continue
        priors.append(prior)
    if not priors and not problems:
        problems.append(
            Problem(
                Origin(f"scenario {scenario.name!r}"),
                "",
                "no parameter to fit: add --param KEY=LO:HI or a calibration: parameters: section",
            )
        )
    if problems:
        raise ScenarioError(problems)
    return priors
