"""What each mechanism contributes to the difference between two designs (Shapley values).

The settings that differ between A and B are grouped by mechanism; each
coalition of groups is run with B's settings for its groups and A's for the
rest, all on common random numbers, and the exact Shapley value of a group is
its average marginal effect over every order. Contributions add up to B - A in
every replication.

Moving inside sales to marketing is one setting but switches on several
mechanisms at once (multichannel follow-up, split-org overheads, handoff
friction, month-end diversion, the leader's lost marketing hours, the closed
loop) and off three (a sales-run team's MQL neglect, its quarter-end pull and the
content it makes itself). So the reporting line is
split into those mechanisms: a coalition without one keeps it as sales
ownership would. This answers the workshop's question "why
is marketing-owned worse here: coaching, diversion, or friction?"

Coalitions whose members cannot act are not run. The rule: a group cannot act
in a coalition's design when a setting outside the group keeps its mechanism
inert, both with the group's settings and without them (``INERT_WHEN``: the
leader's marketing hours unless a leader who runs marketing lets her overflow
take her other work; handoff friction under an SLA every MQL is worked by; MQL
neglect under any SLA, or switched off). Such a coalition gives exactly the
results of the coalition without that group, so the Shapley sums take that
run's values: contributions are what the full 2^groups enumeration gives, to
the last bit, and a group that can act in no coalition gets exactly zero.
``Explanation.designs`` says how many designs were run.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orgsim.analysis import (
    HEADLINE_KPI,
    Contribution,
    contributions_table,
    shapley_contributions,
    total_contribution,
)
from orgsim.experiment.backends import BackendName
from orgsim.experiment.output import OutputFile, write_directory
from orgsim.experiment.rundir import CONTRIBUTIONS_CSV
from orgsim.experiment.session import Progress, ScenarioSource, Session, as_scenario
from orgsim.scenario import Scenario, with_overrides
from orgsim.scenario.settings import differing_settings, setting

REPORTING_LINE = "org.inside_sales_reports_to"

REPORTING_LINE_MECHANISMS: dict[str, tuple[str, Any]] = {
    "multichannel follow-up": ("policies.multichannel.enabled", False),
    "split-org overheads": ("policies.split_org.enabled", False),
    "handoff friction": ("policies.handoff.friction.enabled", False),
    "month-end diversion": ("policies.end_of_month_diversion.enabled", False),
    "leader's marketing hours": ("management.sdr_manager.time.leadership_dependency", 0.0),
    "closed loop": ("policies.closed_loop.enabled", False),
    "MQL neglect": ("policies.handoff.neglect.applies_to", "any_team"),
    "quarter-end pull": ("policies.quarter_end_pull.applies_to", "any_team"),
    "sales-made content": ("policies.sales_made_content.applies_to", "any_team"),
}
"""Mechanism -> (the key that switches it, its value as sales ownership has it), for the reporting line.

Coalitions run with the team in marketing, so a mechanism only marketing ownership has is
off as sales ownership has it, and one only sales ownership has (MQL neglect, the quarter-end
pull, sales-made content) is on."""

SALES_SIDE_SWITCHES = {
    "quarter-end pull": "policies.quarter_end_pull.enabled",
    "sales-made content": "policies.sales_made_content.enabled",
}
"""Reporting-line mechanisms only sales ownership has that are off by default: idle (exactly
zero, no runs) when the sales side has them switched off."""

GROUP_OF_PREFIX = (
    ("policies.end_of_month_diversion", "month-end diversion"),
    ("policies.closed_loop", "closed loop"),
    ("policies.handoff.neglect", "MQL neglect"),
    ("policies.multichannel", "multichannel follow-up"),
    ("policies.split_org", "split-org overheads"),
    ("policies.handoff.friction", "handoff friction"),
    ("management.sdr_manager.time.leadership_dependency", "leader's marketing hours"),
    ("management.sdr_manager.background", "manager's background"),
    ("management.sdr_manager.management_skill", "manager's background"),
    ("management.sdr_manager.skill_by_background", "manager's background"),
    ("management.sdr_manager.learning", "manager's learning curve"),
    ("management.sdr_manager.player_coach", "player-coach"),
    ("policies.quarter_end_pull", "quarter-end pull"),
    ("policies.sales_made_content", "sales-made content"),
    ("management.sdr_manager.time", "manager's time"),
    ("management.sdr_manager", "coaching"),
    ("org.sla", "SLA"),
    ("policies.handoff", "handoff rules"),
    ("policies.sql_target", "SQL target"),
    ("teams.sdr", "SDR team"),
    ("teams.marketing", "marketing team"),
    ("teams.ae", "AE team"),
)
"""The group a differing key belongs to: the first matching prefix, else its top section."""


def _leader_hours_inert(scenario: Scenario) -> bool:
    """Her marketing hours slow the marketers only if she runs them and her overflow takes them
    (``management.marketing_productivity``: no other-work hours lost, no effect)."""
    time = scenario.management.sdr_manager.time
    overflow_takes_other_work = time.overflow_policy == "other_work" or (
        time.overflow_policy == "split" and time.overflow_split > 0
    )
    in_marketing = scenario.org.inside_sales_reports_to == "marketing"
    return not (in_marketing and time.enabled and overflow_takes_other_work)


INERT_WHEN: dict[str, Callable[[Scenario], bool]] = {
    "leader's marketing hours": _leader_hours_inert,
    # Every MQL worked by the SLA's definitions (and dialed SQLs always): no friction (handoff.py).
    "handoff friction": lambda s: s.org.sla.enabled and s.org.sla.compliance >= 1.0,
    # An SLA switches neglect off (neglect.py).
    "MQL neglect": lambda s: s.org.sla.enabled or not s.policies.handoff.neglect.enabled,
}
"""Group -> whether a design keeps that group's mechanism inert, whatever the group's settings."""

IGNORED = ("name", "description", "seed", "replications", "sensitivity")

EXPLAIN_REPLICATIONS = 30
"""Replications per design unless the call says: explain runs 2^groups designs, so a scenario
file's own count (sized for one run) is not used."""


@dataclass(frozen=True, eq=False)
class Explanation:
    """Each group's contribution to B - A of one KPI, with intervals over replications."""

    kpi: str
    baseline: str
    scenario: str
    contributions: dict[str, Contribution]
    settings: dict[str, list[str]]
    designs: int  # designs run: coalitions whose members cannot act are not (module docstring)

    @property
    def total(self) -> Contribution:
        """B - A itself: the contributions' sum, replication by replication."""
        return total_contribution(self.contributions)

    def table(self) -> pd.DataFrame:
        """Columns group, n, mean, ci_low, ci_high, settings; sorted by |mean|."""
        table = contributions_table(self.contributions)
        table["settings"] = table["group"].map(lambda group: ", ".join(self.settings[group]))
        return table.sort_values("mean", key=abs, ascending=False, kind="stable").reset_index(
            drop=True
        )

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the contributions' directory, whole."""
        return write_directory(Path(out), self.files(), force=force)

    def files(self) -> list[OutputFile]:
        table = self.table()
        return [(CONTRIBUTIONS_CSV, lambda f: table.to_csv(f, index=False), False)]


def changed_settings(a: Scenario, b: Scenario) -> dict[str, Any]:
    """B's value of every setting in which B differs from A (a distribution counts as one)."""
    dumps = [scenario.model_dump(mode="json", by_alias=True) for scenario in (a, b)]
    rows = differing_settings(dumps, ignored=IGNORED, whole_distributions=True)
    return {key: values[1] for key, values in rows}


def marketing_side(a: Scenario, b: Scenario) -> Scenario | None:
    """The design in which marketing owns inside sales, when exactly one of them does."""
    if a.org.inside_sales_reports_to == b.org.inside_sales_reports_to:
        return None
    return b if b.org.inside_sales_reports_to == "marketing" else a


def group_of(key: str) -> str:
    for prefix, group in GROUP_OF_PREFIX:
        if key == prefix or key.startswith(f"{prefix}."):
            return group
    return key.split(".")[0]


def mechanism_groups(a: Scenario, b: Scenario) -> dict[str, dict[str, Any]]:
    """Group -> the settings it switches to B's values (the reporting line split by mechanism)."""
    groups: dict[str, dict[str, Any]] = {}
    for key, value in changed_settings(a, b).items():
        if key != REPORTING_LINE:
            groups.setdefault(group_of(key), {})[key] = value
    marketing = marketing_side(a, b)
    if marketing is not None:
        for group, (key, as_sales) in REPORTING_LINE_MECHANISMS.items():
            groups.setdefault(group, {})[key] = (
                setting(marketing, key) if marketing is b else as_sales
            )
    return groups


def coalition_scenario(
    a: Scenario, b: Scenario, groups: Mapping[str, Mapping[str, Any]], coalition: frozenset[str]
) -> Scenario:
    """A with B's settings for the groups in ``coalition``.

    When the reporting line differs, every coalition runs with inside sales in
    marketing and each reporting-line mechanism on only where the marketing side
    of the comparison has it on and the coalition says so; with all of them off,
    marketing ownership behaves exactly as sales ownership.
    """
    overrides: dict[str, Any] = {}
    for group in coalition:
        overrides.update(groups[group])
    marketing = marketing_side(a, b)
    if marketing is not None:
        overrides[REPORTING_LINE] = "marketing"
        for group, (key, as_sales) in REPORTING_LINE_MECHANISMS.items():
            on = (group in coalition) == (marketing is b)
            if key not in overrides or not on:
                overrides[key] = setting(marketing, key) if on else as_sales
    return with_overrides(a, overrides, source="explain")


def explain(
    a: ScenarioSource,
    b: ScenarioSource,
    kpi: str = HEADLINE_KPI,
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
) -> Explanation:
    """Shapley contributions of each mechanism group to B - A in ``kpi``.

    A reporting-line mechanism that is off on the marketing side too (say,
    multichannel follow-up switched off) cannot contribute: it is reported
    with exactly zero and left out of the 2^groups runs. Nor is a coalition run
    when one of its members cannot act in it (``INERT_WHEN``, module docstring):
    it takes the results of the coalition without that member, which are the
    same. ``replications`` is per design, ``EXPLAIN_REPLICATIONS`` unless given
    (not the files' own).
    """
    a, b = as_scenario(a), as_scenario(b)
    plan = explain_plan(a, b)
    session = Session(
        EXPLAIN_REPLICATIONS if replications is None else replications,
        seed,
        workers=workers,
        backend=backend,
        address=address,
        progress=progress,
    )
    runs = dict(zip(plan.coalitions, session.simulate_many(plan.designs).results, strict=True))
    count = runs[frozenset()].requested

    def value(coalition: frozenset[str]) -> np.ndarray:
        table = runs[coalition].replications.set_index("replication")[kpi]
        return table.reindex(range(count)).to_numpy(dtype=float)

    return plan.explanation(kpi, count, value)


@dataclass(frozen=True, eq=False)
class ExplainPlan:
    """The designs an explanation runs, one per coalition of active groups, and how their
    results become contributions; for callers that run the designs their own way (the workshop
    runs them on its warm pool, batch by batch)."""

    a: Scenario
    b: Scenario
    groups: dict[str, dict[str, Any]]
    idle: list[str]
    """Groups that cannot contribute: reported with exactly zero, not run."""
    coalitions: list[frozenset[str]]
    """The coalitions run: those whose every member can act (``acting_members``)."""
    designs: list[Scenario]
    """The design of each coalition run: A for none, B for all, else :func:`coalition_scenario`."""
    acting: dict[frozenset[str], frozenset[str]]
    """Every coalition's run coalition: itself less the members that cannot act in it."""

    def explanation(
        self, kpi: str, count: int, value: Callable[[frozenset[str]], np.ndarray]
    ) -> Explanation:
        """The Explanation from ``value(coalition)``, the KPI of each of ``count`` replications
        of a coalition run; every other coalition takes its run coalition's."""
        active = [group for group in self.groups if group not in self.idle]
        contributions = shapley_contributions(active, lambda members: value(self.acting[members]))
        for group in self.idle:
            contributions[group] = Contribution(group, np.zeros(count), count, 0.0, 0.0, 0.0)
        settings = {group: sorted(keys) for group, keys in self.groups.items()}
        return Explanation(
            kpi, self.a.name, self.b.name, contributions, settings, len(self.designs)
        )


def explain_plan(a: Scenario, b: Scenario) -> ExplainPlan:
    """The mechanism groups of B - A and the 2^active designs that explain it."""
    groups = mechanism_groups(a, b)
    idle = idle_groups(a, b, groups)
    active = {group: settings for group, settings in groups.items() if group not in idle}
    everything = frozenset(active)
    built: dict[frozenset[str], Scenario] = {}

    def coalition(members: frozenset[str]) -> Scenario:
        if members not in built:
            built[members] = coalition_scenario(a, b, groups, members | set(idle))
        return built[members]

    coalitions = [
        frozenset(members)
        for size in range(len(active) + 1)
        for members in itertools.combinations(active, size)
    ]
    acting = {members: acting_members(members, list(active), coalition) for members in coalitions}
    run = list(dict.fromkeys(acting[members] for members in coalitions))
    # The empty and the full coalition are A and B themselves (the same results).
    designs = [
        a if not members else b if members == everything else coalition(members) for members in run
    ]
    return ExplainPlan(a, b, groups, idle, run, designs, acting)


def acting_members(
    coalition: frozenset[str],
    order: list[str],
    design: Callable[[frozenset[str]], Scenario],
) -> frozenset[str]:
    """The coalition less the members that cannot act in its design: the same results.

    ``design`` builds a coalition's scenario (``coalition_scenario``). A member goes
    when ``INERT_WHEN`` holds for the design with it and without it (its settings then
    change nothing); members are dropped one at a time, in ``order``, and the rest
    checked again, since whether one can act may hang on settings another one moves.
    """
    members = set(coalition)
    while True:
        for group in (g for g in order if g in members and g in INERT_WHEN):
            inert = INERT_WHEN[group]
            if inert(design(frozenset(members))) and inert(design(frozenset(members - {group}))):
                members.discard(group)
                break
        else:
            return frozenset(members)


def idle_groups(a: Scenario, b: Scenario, groups: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Reporting-line mechanisms the marketing side has as sales ownership has them: they cannot
    contribute."""
    marketing = marketing_side(a, b)
    if marketing is None:
        return []
    sales = a if marketing is b else b
    return [
        group
        for group, (key, as_sales) in REPORTING_LINE_MECHANISMS.items()
        if set(groups.get(group, {})) == {key}
        and (
            setting(marketing, key) == as_sales
            or (group in SALES_SIDE_SWITCHES and not setting(sales, SALES_SIDE_SWITCHES[group]))
        )
    ]
