"""Load a scenario: read the file, follow ``extends``, apply overrides, validate once.

Everything that can be wrong with a file is collected and raised together as a
``ScenarioError``, each problem pointing at the line (or override) that caused
it, so an author fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from orgsim.scenario.document import Document, KeyPath, read_document, unreadable
from orgsim.scenario.errors import Origin, Problem, ScenarioError, describe_value, flow_yaml
from orgsim.scenario.merge import merge, override
from orgsim.scenario.messages import explain
from orgsim.scenario.schema import Scenario

PathLike = str | os.PathLike[str]


def load(
    path: PathLike, overrides: Mapping[str, Any] | None = None, *, override_source: str = "override"
) -> Scenario:
    """The scenario in ``path`` with ``extends`` followed and dotted ``overrides`` applied.

    ``overrides`` maps key paths to values, e.g. ``{"org.sla.enabled": False}``;
    they apply in order, after the files. Messages name an override as
    ``<override_source> key=value`` (the CLI passes ``"--set"``). Raises
    ``ScenarioError`` listing every problem found.
    """
    name = os.fspath(path)
    document, problems = _read_chain(name)
    document = _apply_overrides(document, overrides or {}, name, override_source, problems)
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_problem(detail, document, name) for detail in error.errors())
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    return scenario


def validate_files(
    paths: Iterable[PathLike],
    overrides: Mapping[str, Any] | None = None,
    *,
    override_source: str = "override",
) -> dict[str, list[Problem]]:
    """Every problem of every file, by file name; an empty list means the file is fine."""
    found: dict[str, list[Problem]] = {}
    for path in paths:
        try:
            load(path, overrides, override_source=override_source)
        except ScenarioError as error:
            found[os.fspath(path)] = error.problems
        else:
            found[os.fspath(path)] = []
    return found


class _FlowMap(dict):  # type: ignore[type-arg]
    """A distribution, dumped on one line as people write it: ``{dist: beta, mean: 0.3, sd: 0.15}``."""


class _ResolvedDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


_ResolvedDumper.add_representer(
    _FlowMap,
    lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True),
)


def resolved_yaml(scenario: Scenario) -> str:
    """The scenario with every default filled in, as YAML that loads back to the same scenario.

    Keys come in schema order, and distributions use the names people write
    (``mean`` for a beta, not the attribute ``mean_``).
    """
    return yaml.dump(
        _flow_distributions(_resolved_data(scenario)),
        Dumper=_ResolvedDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def _resolved_data(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", by_alias=True)


def _flow_distributions(data: Any) -> Any:
    if isinstance(data, dict):
        items = {key: _flow_distributions(value) for key, value in data.items()}
        return _FlowMap(items) if "dist" in items else items
    return data


def _read_chain(name: str) -> tuple[Document, list[Problem]]:
    """``name`` merged over its ``extends`` ancestors, with the non-fatal problems met on the way."""
    layers: list[Document] = []
    problems: list[Problem] = []
    chain = [name]
    while True:
        document, found = read_document(chain[-1])
        problems.extend(found)
        layers.append(document)
        if "extends" not in document.data:
            break
        chain.append(_parent(document, chain, problems))
    merged = layers.pop()
    for layer in reversed(layers):
        merged = merge(merged, layer)
    return merged, problems


def _parent(document: Document, chain: list[str], problems: list[Problem]) -> str:
    """The file named by ``extends`` in ``document`` (the last of ``chain``); bad links raise."""
    value = document.data.pop("extends")
    where = document.origins.pop(("extends",))
    if not isinstance(value, str) or not value.strip():
        message = f"must be the path of another scenario file, got {describe_value(value)}"
        raise ScenarioError([*problems, Problem(where, "extends", message)])
    parent = os.path.normpath(os.path.join(os.path.dirname(chain[-1]), value))
    links = " -> ".join([*chain, parent])
    if any(Path(parent).resolve() == Path(link).resolve() for link in chain):
        raise ScenarioError([*problems, Problem(where, "extends", f"cycle: {links}")])
    reason = unreadable(Path(parent))
    if reason is not None:
        message = f"{reason}: {parent!r} (extends chain: {links})"
        raise ScenarioError([*problems, Problem(where, "extends", message)])
    return parent


def _apply_overrides(
    document: Document,
    overrides: Mapping[str, Any],
    name: str,
    source: str,
    problems: list[Problem],
) -> Document:
    for key, value in overrides.items():
        origin = Origin(name, override=f"{source} {key}={flow_yaml(value)}")
        path = tuple(str(key).split("."))
        if not all(part.strip() for part in path):
            problems.append(Problem(origin, str(key), "not a key path like teams.sdr.headcount"))
            continue
        document = override(
            document, path, value, origin, functools.partial(_defaults_for, document.data)
        )
    return document


def _defaults_for(data: Mapping[str, Any]) -> dict[str, Any]:
    """The files' scenario fully resolved, or the plain defaults when the files are invalid."""
    try:
        return _resolved_data(Scenario.model_validate(data))
    except ValidationError:
        return _resolved_data(Scenario())


_DOTTED = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")


def _problem(detail: Any, document: Document, name: str) -> Problem:
    path, message = explain(detail, document.data)
    if path:
        return Problem(_origin_of(path, document.origins, name), ".".join(map(str, path)), message)
    # A check across sections (a validator on the whole scenario) names its keys in
    # its message: point at the first of those keys that was actually written.
    for mentioned in _DOTTED.findall(message):
        origin = document.origins.get(tuple(mentioned.split(".")))
        if origin is not None:
            return Problem(origin, "", message)
    return Problem(Origin(name), "", message)


def _origin_of(path: KeyPath, origins: Mapping[KeyPath, Origin], name: str) -> Origin:
    """Where the value at ``path`` (or, if it was never written, its nearest written parent) came from."""
    for depth in range(len(path), 0, -1):
        origin = origins.get(path[:depth])
        if origin is not None:
            return origin
    return Origin(name)
