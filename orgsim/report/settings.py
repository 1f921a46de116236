"""Which scenario settings differ between runs, as dotted keys.

A comparison is only as clear as its list of what was changed: the resolved
scenarios (every default filled in) are flattened to ``org.sla.enabled``-style
keys and only the keys whose values are not the same in every run are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from orgsim.scenario import settings
from orgsim.scenario.settings import NOT_SET as MISSING
from orgsim.scenario.settings import flatten_settings as flatten

IGNORED = frozenset({"name", "description"})
"""Keys that always differ and say nothing about the model: shown elsewhere or not at all."""

__all__ = ["IGNORED", "MISSING", "differing_settings", "flatten", "show_value"]


def differing_settings(runs: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Any]]]:
    """``(dotted key, [value in each run])`` for every setting not equal across ``runs``."""
    return settings.differing_settings(runs, ignored=IGNORED)


def show_value(value: Any) -> str:
    """A setting's value as the YAML a user would write: ``true``, ``0.25``, ``{dist: beta, ...}``."""
    if value is MISSING:
        return MISSING
    dumped = yaml.safe_dump(value, default_flow_style=True, width=1_000_000)
    return dumped.removesuffix("...\n").strip()
