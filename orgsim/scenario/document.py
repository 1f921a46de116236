"""One scenario file read as YAML, remembering the file and line of every key.

Validation happens later, on the merged result of a whole ``extends`` chain, so
each key carries its origin with it: a bad value is then reported at the line
where it was actually written, whichever file that was.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from orgsim.scenario.errors import Origin, Problem, ScenarioError, describe_value

KeyPath = tuple[Any, ...]

MAX_SCENARIO_BYTES = 1 << 20
"""1 MiB: the most a scenario file, with the files it extends, may hold.

Shipped scenarios are 1-4 KB; the cap keeps parsing (PyYAML reads about 2 MB a
second) well under a second, whatever file is named.
"""

MAX_VALUES = 100_000
"""The most keys, items and scalars a file may hold once its aliases and merges are expanded.

A full scenario has about 300; the cap stops alias bombs ("billion laughs"),
whose few lines expand to billions of values, before anything is built.
"""

MAX_INTEGER_DIGITS = 100
"""Seeds are the longest integers a scenario holds (39 digits for 128 bits)."""


@dataclass
class Document:
    """Scenario data as nested dicts, and the origin of every key path in it."""

    data: dict[Any, Any]
    origins: dict[KeyPath, Origin] = field(default_factory=dict)


class _LinedMap(dict[Any, Any]):
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


def _construct_integer(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    """A YAML integer, refused with its line when it is too long to be a scenario's number."""
    if len(node.value) > MAX_INTEGER_DIGITS:
        message = (
            f"an integer {len(node.value)} characters long; "
            f"no setting needs more than {MAX_INTEGER_DIGITS} digits"
        )
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)
    return loader.construct_yaml_int(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_integer)


class Unreadable(Exception):
    """A file that cannot be a scenario file; ``reason`` says why, in the author's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_KINDS_OF_FILE = {
    stat.S_IFDIR: "is a directory, not a scenario file",
    stat.S_IFIFO: "is a pipe (FIFO), not a scenario file",
    stat.S_IFCHR: "is a device, not a scenario file",
    stat.S_IFBLK: "is a device, not a scenario file",
    stat.S_IFSOCK: "is a socket, not a scenario file",
}


def scenario_bytes(name: str, limit: int = MAX_SCENARIO_BYTES) -> bytes:
    """The bytes of the regular file ``name``, at most ``limit`` of them; raises ``Unreadable``.

    Opening does not block (a FIFO with no writer would wait forever) and the
    kind of file is checked on the opened descriptor, so a pipe, a device such
    as /dev/zero or a directory is refused before a byte is read.
    """
    if "\0" in name:
        raise Unreadable("a file name cannot contain a NUL byte")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(name, flags)
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except OSError as error:
        raise Unreadable(f"cannot read: {error.strerror}") from None
    try:
        kind = stat.S_IFMT(os.fstat(descriptor).st_mode)
        if kind != stat.S_IFREG:
            raise Unreadable(_KINDS_OF_FILE.get(kind, "is not a regular file"))
        raw = _read_at_most(descriptor, limit + 1)
    except OSError as error:
        raise Unreadable(f"cannot read: {error.strerror}") from None
    finally:
        os.close(descriptor)
    if len(raw) > limit:
        raise Unreadable(
            f"larger than {MAX_SCENARIO_BYTES >> 20} MiB, the most a scenario "
            "(with the files it extends) may hold"
        )
    return raw


def _read_at_most(descriptor: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.read(descriptor, min(size, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_document(name: str, limit: int = MAX_SCENARIO_BYTES) -> tuple[Document, list[Problem]]:
    """Parse the scenario file ``name``; fatal problems raise, duplicate keys are returned.

    ``limit`` is the number of bytes the file may hold (what is left of the
    budget of an ``extends`` chain).
    """
    try:
        raw = scenario_bytes(name, limit)
    except Unreadable as error:
        raise ScenarioError([Problem(Origin(name), "", error.reason)]) from None
    return parse_document(name, raw)


def parse_document(name: str, raw: bytes) -> tuple[Document, list[Problem]]:
    """The scenario document in the bytes ``raw`` of the file ``name``."""
    where = Origin(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        message = f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
        raise ScenarioError([Problem(Origin(name, line), "", message)]) from None

    try:
        tree, duplicates = _parse(name, text)
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
        message = f"the top level must be a mapping of scenario keys (name:, teams:, ...), got {describe_value(_plain(tree, (), name, {}))}"
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


def _parse(name: str, text: str) -> tuple[Any, list[tuple[Any, int, int]]]:
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        _check_expanded_size(name, node)
        return loader.construct_document(node), loader.duplicates
    finally:
        loader.dispose()


class _ContainsItself(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _check_expanded_size(name: str, root: yaml.Node) -> None:
    """Refuse a document of more than ``MAX_VALUES`` values, counting every alias as a copy.

    Each node is counted once (an alias is the node it names), with sizes
    capped just past the limit, so the check is linear in the file however
    far its aliases would expand.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in open_nodes:
            raise _ContainsItself(node)
        open_nodes.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(key) + size(value) for key, value in node.value)
        else:
            total = 1
        open_nodes.discard(id(node))
        sizes[id(node)] = min(total, MAX_VALUES + 1)
        return sizes[id(node)]

    try:
        total = size(root)
    except _ContainsItself as error:
        message = "an alias names a value that contains the alias itself (a recursive anchor)"
        line = error.node.start_mark.line + 1
        raise ScenarioError([Problem(Origin(name, line), "", message)]) from None
    if total <= MAX_VALUES:
        return
    biggest = root
    if isinstance(root, yaml.MappingNode) and root.value:
        biggest = max(root.value, key=lambda pair: sizes[id(pair[1])])[0]
    key = biggest.value if isinstance(biggest, yaml.ScalarNode) else ""
    message = (
        f"more than {MAX_VALUES:,} values once aliases (*name) are expanded; "
        "a whole scenario has a few hundred"
    )
    raise ScenarioError([Problem(Origin(name, biggest.start_mark.line + 1), key, message)])


def _syntax_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    detail = error.problem or "invalid YAML"
    if error.context:
        start = error.context_mark
        moved = start is not None and (mark is None or start.line != mark.line)
        started = f" started at line {start.line + 1}" if start is not None and moved else ""
        detail = f"{detail} ({error.context}{started})"
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
