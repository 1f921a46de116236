"""Layering scenario documents: ``extends`` parents, then dotted overrides.

Mappings merge key by key; lists and scalars replace. A distribution whose
``dist`` differs from the one underneath replaces it whole, so a what-if can
swap ``{dist: beta, mean: ..., sd: ...}`` for a lognormal without inheriting
parameters that a lognormal does not have. Origins follow the values: a key
keeps the file and line of the layer that last wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from orgsim.scenario.document import Document, KeyPath
from orgsim.scenario.errors import Origin


def merge(base: Document, over: Document) -> Document:
    """``over`` laid on top of ``base``; neither is modified.

    Costs one pass over each document's values and origins, so a chain of
    layers costs the sum of their sizes.
    """
    replaced: set[KeyPath] = set()
    data = _merge_into(base.data, over.data, (), replaced)

    def under_replaced(path: KeyPath) -> bool:
        return any(path[:depth] in replaced for depth in range(1, len(path) + 1))

    # A merged mapping keeps the origin its base gave it; a replaced value brings over's.
    origins = {path: origin for path, origin in base.origins.items() if not under_replaced(path)}
    for path, origin in over.origins.items():
        if under_replaced(path):
            origins[path] = origin
        else:
            origins.setdefault(path, origin)
    return Document(data, origins)


def _merge_into(
    below: Mapping[Any, Any], above: Mapping[Any, Any], path: KeyPath, replaced: set[KeyPath]
) -> dict[Any, Any]:
    """``above`` merged into ``below``, noting in ``replaced`` every key whose value ``above`` replaced."""
    merged = dict(below)
    for key, value in above.items():
        here = (*path, key)
        old = below.get(key)
        if isinstance(old, dict) and isinstance(value, dict) and _same_kind(old, value):
            merged[key] = _merge_into(old, value, here, replaced)
        else:
            replaced.add(here)
            merged[key] = value
    return merged


def _same_kind(old: Mapping[Any, Any], new: Mapping[Any, Any]) -> bool:
    """False when both are distributions of different kinds: then the new one replaces."""
    return "dist" not in old or "dist" not in new or old["dist"] == new["dist"]


def override(
    base: Document,
    path: KeyPath,
    value: Any,
    origin: Origin,
    resolved: Callable[[], Mapping[Any, Any]],
) -> Document:
    """Set the key at ``path`` to ``value``, as if one more file had written just that key.

    A distribution the files left at its default is first filled in from
    ``resolved()`` (the scenario as it stands), so ``demand.fit.mean=0.4``
    changes the mean and keeps the default's other parameters.
    """
    for depth in range(1, len(path)):
        prefix = path[:depth]
        if _lookup(base.data, prefix) is None:
            default = _lookup(resolved(), prefix)
            if isinstance(default, dict) and "dist" in default:
                base = merge(base, _layer(prefix, default, origin))
                break
    return merge(base, _layer(path, value, origin))


def _layer(path: KeyPath, value: Any, origin: Origin) -> Document:
    """A document holding only ``value`` at ``path``, every key of it attributed to ``origin``."""
    data = value
    for key in reversed(path):
        data = {key: data}
    origins = {key_path: origin for key_path in _key_paths(data, ())}
    return Document(data, origins)


def _key_paths(data: Any, path: KeyPath) -> list[KeyPath]:
    if not isinstance(data, dict):
        return []
    paths = []
    for key, value in data.items():
        paths.append((*path, key))
        paths.extend(_key_paths(value, (*path, key)))
    return paths


def _lookup(data: Any, path: KeyPath) -> Any:
    """The value at ``path`` in nested dicts, or None where the path does not exist."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
