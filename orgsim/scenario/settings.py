"""A scenario's settings as dotted keys: read one, flatten them all, or list those that differ.

Sweeps, sensitivity ranges, explain's mechanism groups, the report's "settings
that differ" and the workshop's levers all name settings as
``teams.sdr.headcount``; this is the one place that walks them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

NOT_SET = "(not set)"
"""How :func:`differing_settings` shows a key that one of the scenarios does not have."""


def setting(scenario: BaseModel, key: str) -> Any:
    """The value at dotted ``key`` (a distribution as its model); None if there is no such key."""
    value: Any = scenario
    for part in key.split("."):
        if not isinstance(value, BaseModel):
            return None
        value = getattr(value, part, None)
    return value


def description(model: type[BaseModel], key: str) -> str:
    """The schema's description of dotted ``key`` in ``model`` (a class), or "" if it has none.

    Screens that name a setting (the workshop's levers) quote the schema, so a
    setting's meaning and unit are written once, beside its default. An
    inherited ``enabled`` switch is described by its section's docstring, which
    says what the mechanism is ("Switch this mechanism on or off" does not).
    """
    section: Any = None
    owner: Any = model
    info = None
    for part in key.split("."):
        if not (isinstance(owner, type) and issubclass(owner, BaseModel)):
            return ""
        info = owner.model_fields.get(part)
        if info is None:
            return ""
        section, owner = owner, info.annotation
    if info is None:
        return ""
    inherited = part not in vars(section).get("__annotations__", {})
    if part == "enabled" and inherited and "__doc__" in vars(section) and section.__doc__:
        return str(section.__doc__).strip().split("\n\n")[0]
    return info.description or ""


def flatten_settings(
    data: Mapping[str, Any], *, whole_distributions: bool = False, prefix: str = ""
) -> dict[str, Any]:
    """Nested settings as ``{"dotted.key": value}``; lists, scalars and empty mappings are leaves.

    With ``whole_distributions`` a ``{dist: ...}`` mapping is one value (to set
    a distribution whole); without, each of its parameters is a key (to show
    which one changed).
    """
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        leaf = not isinstance(value, Mapping) or not value
        if leaf or (whole_distributions and "dist" in value):
            flat[dotted] = value
        else:
            flat.update(
                flatten_settings(
                    value, whole_distributions=whole_distributions, prefix=f"{dotted}."
                )
            )
    return flat


def differing_settings(
    scenarios: Sequence[Mapping[str, Any]],
    *,
    ignored: Collection[str] = (),
    whole_distributions: bool = False,
) -> list[tuple[str, list[Any]]]:
    """``(dotted key, [value in each scenario])`` for every key not equal across ``scenarios``.

    A key one scenario lacks shows as ``NOT_SET``. Keys keep the order of the
    first scenario that has them, so related settings stay together; a key
    under an ``ignored`` top-level section or equal to one is skipped.
    """
    flats = [flatten_settings(s, whole_distributions=whole_distributions) for s in scenarios]
    keys = dict.fromkeys(key for flat in flats for key in flat)
    rows = []
    for key in keys:
        if key in ignored or key.split(".", 1)[0] in ignored:
            continue
        values = [flat.get(key, NOT_SET) for flat in flats]
        if any(value != values[0] for value in values[1:]):
            rows.append((key, values))
    return rows
