"""The levers a room argues about, and turning their on-screen values into a scenario.

Only these keys can be changed from the page: the app never applies an
arbitrary key a browser sends. The lever values a page shows start from the
step's scenario, and only the ones moved away from it become overrides, so a
step with untouched levers runs exactly the deck's scenario.

A lever's unit is written here, once, in the KPI registry's units
(:data:`orgsim.kpis.Unit`), and its meaning is the scenario schema's
description: the page prints the texts it is sent and formats nothing itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from orgsim.kpis import Unit, format_value
from orgsim.scenario import (
    Origin,
    Problem,
    Scenario,
    ScenarioError,
    resolved_yaml,
    with_overrides,
)
from orgsim.scenario.settings import description, setting

LeverKind = Literal["choice", "switch", "slider"]

SOURCE = "workshop lever"
"""How messages name a lever override."""


@dataclass(frozen=True)
class Lever:
    """One control on the page: the scenario key it sets, how it is drawn and its unit."""

    key: str
    label: str
    kind: LeverKind
    choices: tuple[str, ...] = ()
    low: float = 0
    high: float = 1
    step: float = 1
    unit: Unit = "count"
    """How a slider's value prints: ``%`` for shares (0.25 is 25%), ``count`` for people and days."""

    def printed(self, value: Any) -> str:
        """``value`` as the page shows it: ``25.0%``, ``8``, ``on``, ``other work``."""
        if self.kind == "switch":
            return "on" if value else "off"
        if self.kind == "choice":
            return str(value).replace("_", " ")
        return format_value(float(value), self.unit)

    @property
    def positions(self) -> list[float]:
        """Every value a slider can take, low to high."""
        count = round((self.high - self.low) / self.step)
        return [self.coerce(round(self.low + k * self.step, 6)) for k in range(count + 1)]

    def coerce(self, value: Any) -> Any:
        """The value as the scenario expects it; ``ValueError`` for what no control could send."""
        if self.kind == "switch":
            if not isinstance(value, bool):
                raise ValueError(f"{self.key}: expected true or false, got {value!r}")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"{self.key}: expected one of {', '.join(self.choices)}")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{self.key}: expected a number, got {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(f"{self.key}: expected {self.low:g} to {self.high:g}, got {value!r}")
        return int(value) if float(self.step).is_integer() else round(float(value), 6)


LEVERS: tuple[Lever, ...] = (
    Lever(
        "org.inside_sales_reports_to", "Inside sales reports to", "choice", ("sales", "marketing")
    ),
    Lever(
        "management.sdr_manager.time.planned_share",
        "Manager's planned share of the week",
        "slider",
        low=0.05,
        high=1.0,
        step=0.05,
        unit="%",
    ),
    Lever(
        "management.sdr_manager.time.overflow_policy",
        "When the team needs more of the manager",
        "choice",
        ("team", "other_work", "split"),
    ),
    Lever("policies.end_of_month_diversion.enabled", "Month-end diversion", "switch"),
    Lever(
        "policies.end_of_month_diversion.trigger_working_day",
        "Diversion trigger (working day)",
        "slider",
        low=5,
        high=21,
    ),
    Lever("org.sla.enabled", "Signed SLA", "switch"),
    Lever(
        "policies.multichannel.contact_lift",
        "Multichannel contact lift",
        "slider",
        low=0.0,
        high=0.3,
        step=0.01,
        unit="%",
    ),
    Lever("teams.sdr.headcount", "SDR headcount", "slider", low=1, high=20),
    Lever("teams.marketing.headcount", "Marketing headcount", "slider", low=1, high=25),
)
BY_KEY = {lever.key: lever for lever in LEVERS}
REPORTING_LINE = "org.inside_sales_reports_to"


def lever_state(scenario: Scenario) -> list[dict[str, Any]]:
    """Every lever with its value in ``scenario``, JSON-ready for the page.

    ``printed`` is the value as shown; ``marks`` pairs each slider position
    with its printed text, so a slider prints its unit while it is dragged;
    ``help`` is the schema's description of the key.
    """
    state = []
    for lever in LEVERS:
        value = setting(scenario, lever.key)
        marks = (
            [[at, lever.printed(at)] for at in lever.positions] if lever.kind == "slider" else []
        )
        choices = [[choice, lever.printed(choice)] for choice in lever.choices]
        state.append(
            {
                **asdict(lever),
                "value": value,
                "printed": lever.printed(value),
                "marks": marks,
                "choices": choices,
                "help": description(Scenario, lever.key),
            }
        )
    return state


def moves(scenario: Scenario, overrides: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each moved lever, in the page's order: its label, and its value in the deck and now."""
    return [
        {
            "key": lever.key,
            "label": lever.label,
            "from": lever.printed(setting(scenario, lever.key)),
            "to": lever.printed(overrides[lever.key]),
        }
        for lever in LEVERS
        if lever.key in overrides
    ]


def design_name(scenario: Scenario, overrides: Mapping[str, Any]) -> str:
    """The name of ``scenario`` with ``overrides``, said from the settings as they now are.

    A moved reporting line renames the design after its new owner (the deck's
    name described the old one); every other moved lever is appended in
    brackets with its value, so the verdict names exactly what was run, the
    name's end is plain inside a sentence, and two sides never share a name.
    """
    if REPORTING_LINE in overrides:
        owner = str(overrides[REPORTING_LINE])
        was = setting(scenario, REPORTING_LINE)
        name = f"{owner.capitalize()} owns inside sales (moved from {was})"
    else:
        name = scenario.name
    rest = [move for move in moves(scenario, overrides) if move["key"] != REPORTING_LINE]
    if not rest:
        return name
    moved_levers = ", ".join(f"{_in_sentence(move['label'])} {move['to']}" for move in rest)
    return f"{name} [{moved_levers}]"


def _in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter small, unless it opens an acronym (SDR)."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def moved(scenario: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides of ``values`` that differ from ``scenario``; raises ``ScenarioError``.

    Unknown keys and values no control could send are problems, named as a
    lever so the page can show them.
    """
    problems = []
    overrides: dict[str, Any] = {}
    for key, value in values.items():
        lever = BY_KEY.get(key)
        try:
            if lever is None:
                raise ValueError(f"{key}: not a workshop lever")
            coerced = lever.coerce(value)
        except ValueError as error:
            problems.append(Problem(Origin(SOURCE), key, str(error).partition(": ")[2]))
            continue
        if coerced != setting(scenario, key):
            overrides[key] = coerced
    if problems:
        raise ScenarioError(problems)
    return overrides


def with_levers(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """``scenario`` with the levers applied, named after them (:func:`design_name`)."""
    if not overrides:
        return scenario
    renamed = {**overrides, "name": design_name(scenario, overrides)}
    return with_overrides(scenario, renamed, source=SOURCE)


def scenario_file(
    scenario: Scenario, base: str, overrides: Mapping[str, Any], seed: int, replications: int
) -> str:
    """The on-screen scenario as a self-contained YAML file, with the seed and replications shown.

    The file is the fully resolved scenario, so it works wherever it is saved;
    the header says where it came from and which levers moved.
    """
    pinned = with_overrides(scenario, {"seed": seed, "replications": replications})
    moved_lines = [f"#   {key}: {json.dumps(value)}" for key, value in overrides.items()] or [
        "#   (none)"
    ]
    header = [
        f"# Saved from orgsim workshop: {base} with the levers below.",
        "# Levers moved:",
        *moved_lines,
        f"# Reproduce the screen: orgsim run THIS_FILE (seed {seed}, {replications} replications).",
    ]
    return "\n".join(header) + "\n" + resolved_yaml(pinned)
