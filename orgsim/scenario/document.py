"""One scenario file read as YAML, remembering the file and line of every key.

Validation happens later, on the merged result of a whole ``extends`` chain, so
each key carries its origin with it: a bad value is then reported at the line
where it was actually written, whichever file that was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from orgsim.scenario.errors import Origin, Problem, ScenarioError, describe_value

KeyPath = tuple[Any, ...]


@dataclass
class Document:
    """Scenario data as nested dicts, and the origin of every key path in it."""

    data: dict[Any, Any]
    origins: dict[KeyPath, Origin] = field(default_factory=dict)


class _LinedMap(dict):  # type: ignore[type-arg]
    """A YAML mapping that knows the line each of its keys was written on."""

    lines: dict[Any, int]


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that records key lines and collects duplicate keys instead of dropping them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[Any, int, int]] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_LinedMap]:
    mapping = _LinedMap()
    yield mapping
    first_seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            key = loader.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in first_seen:
                loader.duplicates.append((key, line, first_seen[key]))
            first_seen.setdefault(key, line)
    loader.flatten_mapping(node)
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found a list or mapping as a key",
                key_node.start_mark,
            ) from None
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be a scenario file, or None if it is worth opening."""
    if path.is_dir():
        return "is a directory, not a scenario file"
    if not path.exists():
        return "no such file"
    return None


def read_document(name: str) -> tuple[Document, list[Problem]]:
    """Parse the scenario file ``name``; fatal problems raise, duplicate keys are returned."""
    where = Origin(name)
    reason = unreadable(Path(name))
    if reason is not None:
        raise ScenarioError([Problem(where, "", reason)])
    try:
        raw = Path(name).read_bytes()
    except OSError as error:
        raise ScenarioError([Problem(where, "", f"cannot read: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        message = f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
        raise ScenarioError([Problem(Origin(name, line), "", message)]) from None

    try:
        tree, duplicates = _parse(text)
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([_syntax_problem(name, error)]) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = f"YAML cannot contain the character U+{error.character:04X}"
        raise ScenarioError([Problem(Origin(name, line), "", message)]) from None
    except RecursionError:
        raise ScenarioError([Problem(where, "", "YAML nested too deeply")]) from None

    if tree is None:
        raise ScenarioError(
            [Problem(where, "", "empty file; expected scenario keys such as name:")]
        )
    if not isinstance(tree, _LinedMap):
        message = f"the top level must be a mapping of scenario keys (name:, teams:, ...), got {describe_value(tree)}"
        raise ScenarioError([Problem(Origin(name, 1), "", message)])

    origins: dict[KeyPath, Origin] = {}
    data = _plain(tree, (), name, origins)
    written_at = {(origin.line, path[-1]): path for path, origin in origins.items()}
    problems = [
        Problem(
            Origin(name, line),
            ".".join(map(str, written_at.get((line, key), (key,)))),
            f"duplicate key; also written at line {first}",
        )
        for key, line, first in duplicates
    ]
    return Document(data, origins), problems


def _parse(text: str) -> tuple[Any, list[tuple[Any, int, int]]]:
    loader = _LineLoader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def _syntax_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    detail = error.problem or "invalid YAML"
    if error.context:
        detail = f"{detail} ({error.context})"
    if mark:
        detail = f"{detail} at column {mark.column + 1}"
    return Problem(Origin(name, line), "", f"YAML syntax error: {detail}")


def _plain(value: Any, path: KeyPath, name: str, origins: dict[KeyPath, Origin]) -> Any:
    """Copy ``value`` into plain dicts and lists, noting the origin of every key on the way."""
    if isinstance(value, _LinedMap):
        plain = {}
        for key, item in value.items():
            origins[(*path, key)] = Origin(name, value.lines[key])
            plain[key] = _plain(item, (*path, key), name, origins)
        return plain
    if isinstance(value, list):
        return [_plain(item, path, name, {}) for item in value]
    return value
