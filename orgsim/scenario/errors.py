"""Problems found in scenario files, each pointing at where the bad value was written.

A problem names the file and line (or the override) that set the value, the key
path, what was expected and what was found, so whoever wrote the file can fix it
without reading code or a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Origin:
    """Where a value was written: a line of a file, or an override applied on top of it."""

    file: str
    line: int | None = None
    override: str | None = None

    def __str__(self) -> str:
        if self.override is not None:
            return f"{self.file} ({self.override})"
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, rendered ``file:line key.path: expected, got``."""

    origin: Origin
    key: str
    message: str

    def __str__(self) -> str:
        if self.key:
            return f"{self.origin} {self.key}: {self.message}"
        return f"{self.origin}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The problem for scripts: file, line (or override), key path and message."""
        return {
            "file": self.origin.file,
            "line": self.origin.line,
            "override": self.origin.override,
            "key": self.key,
            "message": self.message,
        }


def _reading_order(problem: Problem) -> tuple[bool, str, int]:
    origin = problem.origin
    return (origin.override is not None, origin.file, origin.line or 0)


class ScenarioError(Exception):
    """A scenario could not be loaded; ``problems`` holds every reason found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=_reading_order)
        super().__init__("\n".join(map(str, self.problems)))


_SHOWN = 60
"""Characters of a value shown in a message."""


def describe_value(value: Any) -> str:
    """A short, YAML-flavoured rendering of a value for "got ..." in messages.

    Only the head of a large value is rendered: the cost is the same for a
    value of ten items and one of a hundred thousand.
    """
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, int):
        return _shorten(str(value))
    if isinstance(value, dict):
        kind = "a mapping"
    elif isinstance(value, list):
        kind = "a list"
    elif isinstance(value, str):
        return _shorten(repr(value[: _SHOWN + 1]))
    else:
        kind = f"a {type(value).__name__}"
    return f"{kind} {_shorten(flow_yaml(_head(value, [_SHOWN]), sort_keys=False))}"


def _head(value: Any, budget: list[int]) -> Any:
    """The part of ``value`` its first ``budget[0]`` rendered values come from, in YAML's order.

    Every value renders as at least one character, so the head renders the
    same first ``_SHOWN`` characters as the whole; keys come in the order
    ``yaml.safe_dump`` would sort them into, so the head is dumped unsorted. A longer text is cut to ``_SHOWN``
    characters, which can change whether YAML quotes it.
    """
    budget[0] -= 1
    if isinstance(value, dict):
        try:
            keys: Iterable[Any] = sorted(value)
        except TypeError:
            keys = value
        head = {}
        for key in keys:
            if budget[0] <= 0:
                break
            head[_head(key, budget)] = _head(value[key], budget)
        return head
    if isinstance(value, list):
        items = []
        for item in value:
            if budget[0] <= 0:
                break
            items.append(_head(item, budget))
        return items
    if isinstance(value, str):
        return value[:_SHOWN]
    return value


def flow_yaml(value: Any, *, sort_keys: bool = True) -> str:
    """``value`` as one line of YAML, the way a person would type it after ``--set key=``."""
    try:
        text = yaml.safe_dump(
            value, default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=sort_keys
        )
    except yaml.YAMLError:
        return repr(value)
    return text.removesuffix("\n...\n").strip()


def _shorten(text: str, limit: int = _SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
