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
from typing import Any

import yaml
from pydantic import ValidationError

from orgsim.scenario.document import (
    MAX_SCENARIO_BYTES,
    Document,
    KeyPath,
    Unreadable,
    parse_document,
    scenario_bytes,
)
from orgsim.scenario.errors import Origin, Problem, ScenarioError, describe_value, flow_yaml
from orgsim.scenario.footprint import too_big_for_one_replication
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
    return _validated(document, name, problems)


def with_overrides(
    scenario: Scenario, overrides: Mapping[str, Any], *, source: str = "override"
) -> Scenario:
    """``scenario`` with dotted ``overrides`` applied and checked as ``load`` checks them.

    For variants built in code (sweeps, sensitivity ranges, explain's
    coalitions); messages name the override as ``<source> key=value``.
    """
    if not overrides:
        return scenario
    name = f"scenario {scenario.name!r}"
    problems: list[Problem] = []
    document = _apply_overrides(
        Document(_resolved_data(scenario)), overrides, name, source, problems
    )
    return _validated(document, name, problems)


def _validated(document: Document, name: str, problems: list[Problem]) -> Scenario:
    try:
        scenario = Scenario.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_problem(detail, document, name) for detail in error.errors())
        raise ScenarioError(problems) from None
    reason = too_big_for_one_replication(scenario)
    if reason is not None:
        problems.append(_whole_scenario_problem(reason, document, name))
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


class _FlowMap(dict[Any, Any]):
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


MAX_EXTENDS_DEPTH = 16
"""The most files an ``extends`` chain may hold; shipped chains hold two or three."""


def _read_chain(name: str) -> tuple[Document, list[Problem]]:
    """``name`` merged over its ``extends`` ancestors, with the non-fatal problems met on the way.

    The files of a chain share one ``MAX_SCENARIO_BYTES`` budget and at most
    ``MAX_EXTENDS_DEPTH`` files, so a chain costs no more than one large file.
    """
    layers: list[Document] = []
    problems: list[Problem] = []
    chain = [name]
    seen: set[str] = set()
    budget = MAX_SCENARIO_BYTES
    where: Origin | None = None
    while True:
        try:
            raw = scenario_bytes(chain[-1], budget)
        except Unreadable as error:
            if where is None:
                raise ScenarioError([Problem(Origin(name), "", error.reason)]) from None
            message = f"{error.reason}: {chain[-1]!r} (extends chain: {' -> '.join(chain)})"
            raise ScenarioError([*problems, Problem(where, "extends", message)]) from None
        budget -= len(raw)
        seen.add(os.path.realpath(chain[-1]))
        document, found = parse_document(chain[-1], raw)
        problems.extend(found)
        layers.append(document)
        if "extends" not in document.data:
            break
        parent, where = _parent(document, chain, seen, problems)
        chain.append(parent)
    merged = layers.pop()
    for layer in reversed(layers):
        merged = merge(merged, layer)
    return merged, problems


def _parent(
    document: Document, chain: list[str], seen: set[str], problems: list[Problem]
) -> tuple[str, Origin]:
    """The file named by ``extends`` in ``document`` (the last of ``chain``), and where it was named.

    ``seen`` holds the real paths of the chain's files, so a cycle is found in
    one look-up per link; bad links raise.
    """
    value = document.data.pop("extends")
    where = document.origins.pop(("extends",))
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        message = f"must be the path of another scenario file, got {describe_value(value)}"
        raise ScenarioError([*problems, Problem(where, "extends", message)])
    parent = os.path.normpath(os.path.join(os.path.dirname(chain[-1]), value))
    links = " -> ".join([*chain, parent])
    real = os.path.realpath(parent)
    if real in seen:
        raise ScenarioError([*problems, Problem(where, "extends", f"cycle: {links}")])
    if len(chain) == MAX_EXTENDS_DEPTH:
        message = f"a chain of more than {MAX_EXTENDS_DEPTH} files: {links}"
        raise ScenarioError([*problems, Problem(where, "extends", message)])
    return parent, where


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
    return _whole_scenario_problem(message, document, name)


def _whole_scenario_problem(message: str, document: Document, name: str) -> Problem:
    """A check across sections names its keys in its message: point at the first written one."""
    for mentioned in _DOTTED.findall(message):
        origin = document.origins.get(tuple(mentioned.split(".")))
        if origin is not None:
            return Problem(origin, "", message)
    return Problem(Origin(name), "", message)


def _origin_of(path: KeyPath, origins: Mapping[KeyPath, Origin], name: str) -> Origin:
    """Where the value at ``path`` (or, if it was never written, its nearest written parent) came from."""
    by_text = {tuple(map(str, key_path)): origin for key_path, origin in origins.items()}
    for depth in range(len(path), 0, -1):
        # pydantic reports a non-text key such as null as the text 'None'
        origin = origins.get(path[:depth]) or by_text.get(tuple(map(str, path[:depth])))
        if origin is not None:
            return origin
    return Origin(name)
