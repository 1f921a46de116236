"""The workshop deck: the steps of the argument a facilitator walks a room through.

A deck is YAML but not a scenario: it lists steps, each a title, a talking
point and either one scenario file or a comparison of two, named relative to
the deck, or ``summary: true`` for a closing step that runs nothing of its own
and recalls what every other step showed. It lives outside ``scenarios/*.yaml`` (``scenarios/decks/``) so
``orgsim validate scenarios/*.yaml`` never mistakes it for a scenario. Bad
decks raise ``ScenarioError`` with a problem per mistake, file and line
included, so the CLI exits 2 as it does for a bad scenario.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from orgsim.scenario import Origin, Problem, Scenario, ScenarioError, load, with_overrides
from orgsim.scenario.document import read_document, scenario_bytes
from orgsim.shipped import SHIPPED_SCENARIOS

DEFAULT_DECK = SHIPPED_SCENARIOS / "decks" / "workshop.yaml"
"""The shipped deck: packaged with orgsim, so ``orgsim workshop`` works from any directory."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    """One step: a scenario to show, a comparison of two (the second carries the levers), or the
    closing summary of the others."""

    title: Annotated[str, Field(min_length=1)]
    talking_point: Annotated[str, Field(min_length=1)]
    scenario: str | None = None
    compare: Annotated[list[str], Field(min_length=2, max_length=2)] | None = None
    summary: bool = Field(
        False, description="A closing step: what each other step showed, and the recommendation."
    )
    months: Annotated[int, Field(ge=1, le=120)] | None = Field(
        None, description="Reported months for this step (fewer is faster); default the deck's."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        kinds = (self.scenario is not None) + (self.compare is not None) + self.summary
        if kinds != 1:
            raise ValueError("give one of scenario: FILE, compare: [FILE, FILE] or summary: true")
        return self

    @property
    def files(self) -> list[str]:
        """The step's scenario files as written, baseline first (none for a summary)."""
        if self.summary:
            return []
        return self.compare if self.compare is not None else [self.scenario or ""]


class DeckFile(_Strict):
    """The deck as written."""

    title: Annotated[str, Field(min_length=1)]
    seed: Annotated[int, Field(ge=0)]
    replications: Annotated[int, Field(ge=10, le=1000)] = 100
    months: Annotated[int, Field(ge=1, le=120)] | None = None
    steps: Annotated[list[Step], Field(min_length=1)]


@dataclass(frozen=True)
class Deck:
    """A validated deck with every step's scenarios loaded (horizon applied), ready to run."""

    path: Path
    spec: DeckFile
    scenarios: list[list[Scenario]]
    """Each step's scenarios, baseline first; empty for a summary step."""

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def steps(self) -> list[Step]:
        return self.spec.steps

    @property
    def studies(self) -> list[int]:
        """The steps that run scenarios, in order (every step but the summaries)."""
        return [index for index, step in enumerate(self.steps) if not step.summary]

    def files(self, step: int) -> list[Path]:
        """The step's scenario files, resolved against the deck's directory."""
        return [self.path.parent / name for name in self.steps[step].files]


def is_deck(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds a deck (a mapping with ``steps``) rather than a scenario.

    A file that does not even parse is not a deck: the scenario checks report it.
    """
    try:
        document, _ = read_document(os.fspath(path))
    except ScenarioError:
        return False
    return isinstance(document.data, dict) and "steps" in document.data


def load_deck(path: str | os.PathLike[str]) -> Deck:
    """Read, validate and load a deck; raises ``ScenarioError`` listing every problem."""
    name = os.fspath(path)
    document, problems = read_document(name)  # an unreadable, too large or broken file raises
    lines = _key_lines(yaml.compose(scenario_bytes(name).decode("utf-8-sig")), ())
    try:
        spec = DeckFile.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors():
            location = tuple(detail["loc"])
            origin = _closest_origin(location, lines, name)
            key = ".".join(str(part) for part in location)
            problems.append(Problem(origin, key, detail["msg"]))
        raise ScenarioError(problems) from None
    deck_path = Path(name)
    scenarios: list[list[Scenario]] = []
    for index, step in enumerate(spec.steps):
        months = step.months or spec.months
        loaded = []
        for position, file in enumerate(step.files):
            where = ("steps", index, "scenario" if step.scenario else "compare")
            origin = _closest_origin((*where, position), lines, name)
            try:
                scenario = load(deck_path.parent / file)
                if months is not None:
                    scenario = with_overrides(scenario, {"calendar.months": months})
                loaded.append(scenario)
            except ScenarioError as error:
                key = ".".join(map(str, where))
                problems.append(Problem(origin, key, f"scenario {file!r} does not load"))
                problems.extend(error.problems)
        scenarios.append(loaded)
    if not any(scenarios):
        problems.append(Problem(Origin(name), "steps", "a deck needs a step that runs a scenario"))
    if problems:
        raise ScenarioError(problems)
    return Deck(deck_path, spec, scenarios)


def _key_lines(node: yaml.Node | None, path: tuple[object, ...]) -> dict[tuple[object, ...], int]:
    """The line of every mapping key and list item, by key path (list items by index)."""
    lines: dict[tuple[object, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, key_node.value)
            lines[key] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            lines.update(_key_lines(item, (*path, index)))
    return lines


def _closest_origin(
    location: tuple[object, ...], lines: dict[tuple[object, ...], int], name: str
) -> Origin:
    """The line of the deepest part of ``location`` written in the file."""
    for end in range(len(location), 0, -1):
        line = lines.get(location[:end])
        if line is not None:
            return Origin(name, line)
    return Origin(name)
