"""Limits on numbers that validate but would overflow a replication's arithmetic or make no sense.

Each limit is generous for real organisations and carries its reason, which the
message shows when a value crosses it, so an author learns why 1e24 SDRs is
refused rather than only that it is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Why:
    """Why a setting's bounds are where they are; put it in the setting's ``Annotated``.

    ``above`` is shown when a value is over the upper bound, ``below`` when it
    is under the lower one.
    """

    above: str | None = None
    below: str | None = None


LARGEST = 1e12
"""The largest amount, duration or count any number of a scenario may be.

A trillion dollars, minutes or days is beyond any real org; below it, sums of
millions of draws stay far from float overflow (1.8e308).
"""

SMALLEST = 1e-12
"""The smallest positive scale a distribution may have: smaller ones underflow its draws."""

BEYOND_ANY_ORG = Why(above="larger numbers are beyond any real org and overflow the model's sums")
TOO_SMALL_TO_DRAW = Why(below="smaller scales underflow the draws")
