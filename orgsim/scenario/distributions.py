"""One syntax for every random quantity in a scenario: a number or ``{dist: ..., ...}``.

Executives write ``{dist: lognormal, median: 60, sigma: 0.5}`` or ``{dist: beta,
mean: 0.6, sd: 0.1}``; the model only ever calls ``sample(rng, size)``. Parameters
are the ones people think in (median, mean, sd), converted here once.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from orgsim.scenario.bounds import LARGEST, SMALLEST, Why

_BEYOND_ANY_QUANTITY = "beyond any real quantity, and sums of draws would overflow"
Amount = Annotated[
    float,
    Field(ge=-LARGEST, le=LARGEST, allow_inf_nan=False),
    Why(above=_BEYOND_ANY_QUANTITY, below=_BEYOND_ANY_QUANTITY),
]
"""A value, bound or mode of a distribution."""

Scale = Annotated[
    float,
    Field(ge=SMALLEST, le=LARGEST, allow_inf_nan=False),
    Why(above=_BEYOND_ANY_QUANTITY, below="smaller scales underflow the draws"),
]
"""A median, mean or standard deviation of a distribution of positive draws."""

MAX_SIGMA = 5.0
"""A lognormal's largest log-sd: 95% of its draws then already span 8 orders of magnitude."""

MIN_BETA_SD = 1e-6
"""A beta's smallest sd: narrower ones are constants whose shape parameters overflow."""


class _Dist(BaseModel, ABC):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @abstractmethod
    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        """Draw ``size`` values from ``rng``."""

    @property
    @abstractmethod
    def mean(self) -> float:
        """The distribution's expectation, for calibration and reference levels."""

    @property
    @abstractmethod
    def support(self) -> tuple[float, float]:
        """The smallest and largest values a draw can take."""


class Constant(_Dist):
    """A fixed value: what a plain number in YAML means."""

    dist: Literal["constant"] = "constant"
    value: Amount

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return np.full(size, self.value, dtype=float)

    @property
    def mean(self) -> float:
        return self.value

    @property
    def support(self) -> tuple[float, float]:
        return (self.value, self.value)


class Lognormal(_Dist):
    """Right-skewed positive quantities (durations, deal sizes), by median and log-sd."""

    dist: Literal["lognormal"] = "lognormal"
    median: Scale
    sigma: Annotated[
        float,
        Field(ge=0, le=MAX_SIGMA, allow_inf_nan=False),
        Why(
            above="95% of draws would span more than 8 orders of magnitude, and their sums overflow"
        ),
    ]

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.lognormal(math.log(self.median), self.sigma, size)

    @property
    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)


class Beta(_Dist):
    """Shares and propensities in (0, 1), by mean and standard deviation."""

    dist: Literal["beta"] = "beta"
    mean_: Annotated[float, Field(alias="mean", gt=0, lt=1, allow_inf_nan=False)]
    sd: Annotated[
        float,
        Field(ge=MIN_BETA_SD, allow_inf_nan=False),
        Why(below="a narrower beta is a constant: write the number instead"),
    ]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _feasible(self) -> Beta:
        limit = math.sqrt(self.mean_ * (1 - self.mean_))
        if self.sd >= limit:
            raise ValueError(
                f"a beta with mean {self.mean_:g} needs sd < {limit:.4g} "
                f"(sqrt(mean*(1-mean))), got sd {self.sd:g}"
            )
        return self

    @property
    def shape(self) -> tuple[float, float]:
        common = self.mean_ * (1 - self.mean_) / self.sd**2 - 1
        return self.mean_ * common, (1 - self.mean_) * common

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        a, b = self.shape
        return rng.beta(a, b, size)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, 1.0)


class Exponential(_Dist):
    """Memoryless waits (Poisson-process gaps), by mean."""

    dist: Literal["exponential"] = "exponential"
    mean_: Annotated[Scale, Field(alias="mean")]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.exponential(self.mean_, size)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)


class Gamma(_Dist):
    """Positive quantities with a tunable spread, by mean and standard deviation."""

    dist: Literal["gamma"] = "gamma"
    mean_: Annotated[Scale, Field(alias="mean")]
    sd: Scale

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        shape = (self.mean_ / self.sd) ** 2
        return rng.gamma(shape, self.sd**2 / self.mean_, size)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)


class Triangular(_Dist):
    """Expert guesses given as low, most likely and high."""

    dist: Literal["triangular"] = "triangular"
    low: Amount
    mode: Amount
    high: Amount

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high) or self.low == self.high:
            raise ValueError(
                f"triangular needs low <= mode <= high and low < high, got "
                f"low {self.low:g}, mode {self.mode:g}, high {self.high:g}"
            )
        return self

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, size)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)


class Uniform(_Dist):
    """Anything equally likely between low and high."""

    dist: Literal["uniform"] = "uniform"
    low: Amount
    high: Amount

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"uniform needs low < high, got low {self.low:g}, high {self.high:g}")
        return self

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.uniform(self.low, self.high, size)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)


DIST_NAMES = ("constant", "lognormal", "beta", "exponential", "gamma", "triangular", "uniform")


def _tag(value: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("dist", "<missing>"))
    return getattr(value, "dist", None)


def _number_to_constant(value: Any) -> Any:
    """A plain number in YAML is a constant; anything else must be a ``{dist: ...}`` mapping."""
    if isinstance(value, bool) or not isinstance(value, int | float | dict | _Dist):
        raise ValueError(f"expected a number or a {{dist: ...}} mapping, got {value!r}")
    if isinstance(value, int | float):
        return {"dist": "constant", "value": value}
    return value


Distribution = Annotated[
    Annotated[Constant, Tag("constant")]
    | Annotated[Lognormal, Tag("lognormal")]
    | Annotated[Beta, Tag("beta")]
    | Annotated[Exponential, Tag("exponential")]
    | Annotated[Gamma, Tag("gamma")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Uniform, Tag("uniform")],
    Discriminator(_tag),
    BeforeValidator(_number_to_constant),
]
"""A scenario's random quantity; a plain number means a constant."""


def _within(low: float, high: float, what: str) -> Callable[[_Dist], _Dist]:
    def check(dist: _Dist) -> _Dist:
        lo, hi = dist.support
        if lo < low or hi > high:
            raise ValueError(f"must be {what}, but this distribution can draw {lo:g} to {hi:g}")
        return dist

    return check


UnitDistribution = Annotated[
    Distribution, AfterValidator(_within(0.0, 1.0, "a share between 0 and 1"))
]
"""A random share or propensity: every draw lies in 0..1."""

PositiveDistribution = Annotated[
    Distribution, AfterValidator(_within(0.0, math.inf, "non-negative"))
]
"""A random duration, amount or multiplier: no draw is negative."""


def _bounded(dist: _Dist) -> _Dist:
    low, high = dist.support
    name = type(dist).__name__.lower()
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(
            "a prior needs a bounded range, so that every draw can be checked against "
            f"its key before the fit: use uniform, triangular or beta, not {name}"
        )
    return dist


BoundedDistribution = Annotated[Distribution, AfterValidator(_bounded)]
"""A calibration prior: a distribution whose every draw lies between two finite ends."""
