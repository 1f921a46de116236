"""Which parameters a company's data pinned down, and which they left about as open as the prior.

A fit reports each parameter's 90% credible interval as a share of its prior's
90% interval (``width_vs_prior``). Data that say nothing leave the share near
1: the 5% and 95% quantiles of an effective sample of n prior draws spread by
about sqrt(0.09 / n) of the range, so 1 ± 0.04 at the default 100 particles
(``tests/calibration/test_uninformative.py`` checks it). The two thresholds
below put a parameter in one of three plain groups; the verdict over the
posterior then says what it rests on.
"""

from __future__ import annotations

from collections.abc import Iterable

from orgsim.scenario.labels import setting_label

PINNED_DOWN = 0.5
"""At most half the prior's interval: the data decided the value (assumption, a round line)."""

LEFT_OPEN = 0.85
"""At least this share: within about 4 standard errors of having learned nothing at 100 particles."""


def what_the_data_decided(widths: Iterable[tuple[str, float]]) -> str:
    """One sentence from each parameter's ``width_vs_prior``, as ``(dotted key, share)``."""
    groups: dict[str, list[str]] = {"pinned down": [], "narrowed": [], "left open": []}
    for key, share in widths:
        words = f"{setting_label(key)} ({share:.0%} of the prior's interval)"
        if share <= PINNED_DOWN:
            groups["pinned down"].append(words)
        elif share < LEFT_OPEN:
            groups["narrowed"].append(words)
        else:
            groups["left open"].append(words)
    parts = [f"{verb} {', '.join(names)}" for verb, names in groups.items() if names]
    if not parts:
        return "The fit had no parameter."
    return "The data " + "; ".join(parts) + "."
