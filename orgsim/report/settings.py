"""Which scenario settings differ between runs, as dotted keys.

A comparison is only as clear as its list of what was changed: the resolved
scenarios (every default filled in) are flattened to ``org.sla.enabled``-style
keys and only the keys whose values are not the same in every run are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

IGNORED = frozenset({"name", "description"})
"""Keys that always differ and say nothing about the model: shown elsewhere or not at all."""

MISSING = "(not set)"


def flatten(settings: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested settings as ``{"dotted.key": value}``; lists and scalars are leaves."""
    flat: dict[str, Any] = {}
    for key, value in settings.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def differing_settings(runs: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Any]]]:
    """``(dotted key, [value in each run])`` for every key not equal across ``runs``.

    A key absent from a run shows as ``MISSING``. Keys keep the order of the
    first run that has them, so related settings stay together.
    """
    flats = [flatten(settings) for settings in runs]
    keys = list(dict.fromkeys(key for flat in flats for key in flat))
    rows = []
    for key in keys:
        if key in IGNORED:
            continue
        values = [flat.get(key, MISSING) for flat in flats]
        if any(value != values[0] for value in values[1:]):
            rows.append((key, values))
    return rows


def show_value(value: Any) -> str:
    """A setting's value as the YAML a user would write: ``true``, ``0.25``, ``{dist: beta, ...}``."""
    if value is MISSING:
        return MISSING
    dumped = yaml.safe_dump(value, default_flow_style=True, width=1_000_000)
    return dumped.removesuffix("...\n").strip()
