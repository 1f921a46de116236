"""How much memory one replication of a scenario needs, estimated before it runs.

A replication keeps every lead (its id and nurture entry), pre-draws the
numbers of every planned touch of a month's MQLs, and holds an object per
person and per dialed SQL. The figures below are the slopes of tracemalloc
peaks measured by ``benchmarks/bench_memory.py``, rounded up, and the estimate
assumes every lead becomes an MQL: it errs high, never low, so a scenario it
passes fits.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgsim.scenario.errors import Origin, Problem, ScenarioError
from orgsim.scenario.schema import Scenario

BYTES_PER_LEAD = 16
"""Measured 7: a lead's id and its place in the nurture pool."""
BYTES_PER_ATTEMPT = 128
"""Measured 122: the pre-drawn touch, retry and contact numbers of one planned attempt."""
BYTES_PER_PERSON = 4096
"""Measured 2,156: a seat, its person and their SimPy processes."""
BYTES_PER_DIALED_SQL = 256
"""Measured 170: an SQL booked by dialing, and its opportunity."""
BASE_BYTES = 4 << 20
"""Measured 1-2 MiB: a replication's fixed tables, doubled."""

MAX_REPLICATION_BYTES = 4 << 30
"""4 GiB: the most one replication may need; the default scenario needs about 30 MiB."""


@dataclass(frozen=True)
class Footprint:
    """The estimated peak bytes of one replication, and what they come from."""

    leads_per_month: float
    attempts_per_mql: float
    dialed_sqls_per_month: float
    people: int
    months: int

    @property
    def bytes(self) -> float:
        per_month = self.leads_per_month * (
            BYTES_PER_LEAD + self.attempts_per_mql * BYTES_PER_ATTEMPT
        )
        per_month += self.dialed_sqls_per_month * BYTES_PER_DIALED_SQL
        return BASE_BYTES + self.months * per_month + self.people * BYTES_PER_PERSON

    def cause(self) -> str:
        """The largest term of the estimate, in the scenario's keys."""
        leads = self.leads_per_month * (BYTES_PER_LEAD + self.attempts_per_mql * BYTES_PER_ATTEMPT)
        dialed = self.dialed_sqls_per_month * BYTES_PER_DIALED_SQL
        if self.people * BYTES_PER_PERSON > self.months * max(leads, dialed):
            return f"{self.people:,} people (teams.*.headcount)"
        if dialed > leads:
            return (
                f"up to {self.dialed_sqls_per_month:,.0f} dialed SQLs a month "
                f"(followup.outbound.dials_per_hour / dials_per_meeting) for {self.months} months"
            )
        return (
            f"up to {self.leads_per_month:,.0f} leads a month (demand.leads_per_month, with spend "
            f"and content multipliers) x {self.attempts_per_mql:g} attempts for {self.months} months"
        )


def footprint(scenario: Scenario) -> Footprint:
    """The inputs of the memory estimate for ``scenario``.

    Lead volume is the model's (``orgsim.model.demand``): leads_per_month x
    (spend / reference) ** spend_elasticity x (content stock ratio) **
    lead_elasticity, the ratio at its highest: 1 when content decays (the
    stock starts at its steady state and content hours never exceed the
    plan), 1 + the months simulated when it does not; times the busiest month of the
    seasonality. The steady start's pre-history adds ``months_kept`` months of leads
    in nurture, and teams are counted at their largest planned headcount.
    """
    s = scenario
    months = s.calendar.warm_up_months + s.calendar.months
    if s.calendar.steady_start and s.scoring.nurture.enabled:
        months += s.scoring.nurture.months_kept
    demand = s.demand
    leads = 0.0
    if demand.enabled:
        spend = demand.program_spend_per_month / demand.reference_spend_per_month
        leads = demand.leads_per_month * spend**demand.spend_elasticity * max(demand.seasonality)
        content = demand.content
        if content.enabled and content.decay_per_month == 0:
            leads *= (1 + months) ** content.lead_elasticity
    sla = s.org.sla
    followup = s.followup
    attempts = max(followup.mean_attempts_without_rule, sla.min_attempts if sla.enabled else 0)
    teams = s.teams
    sdrs, marketers, aes = (
        max([team.headcount, *(step.headcount for step in team.hiring_plan)])
        for team in (teams.sdr, teams.marketing, teams.ae)
    )
    dialed = 0.0
    if followup.outbound.enabled:
        dialers = sdrs + marketers
        dials = dialers * s.calendar.hours_per_month * followup.outbound.dials_per_hour
        dialed = dials / followup.outbound.dials_per_meeting
    people = sdrs + aes + marketers
    return Footprint(leads, attempts, dialed, people, months)


def replication_bytes(scenario: Scenario) -> float:
    """Estimated peak bytes of one replication of ``scenario``: an upper estimate, see the module."""
    return footprint(scenario).bytes


def too_big_for_one_replication(scenario: Scenario) -> str | None:
    """Why one replication of ``scenario`` cannot fit ``MAX_REPLICATION_BYTES``, or None."""
    estimate = footprint(scenario)
    if estimate.bytes <= MAX_REPLICATION_BYTES:
        return None
    return (
        f"one replication would need about {_gib(estimate.bytes)} of memory, more than the "
        f"{_gib(MAX_REPLICATION_BYTES)} a replication may use: {estimate.cause()}"
    )


def check_fits(scenario: Scenario, at_once: int, available: int) -> None:
    """Raise ``ScenarioError`` if ``at_once`` replications of ``scenario`` cannot fit ``available`` bytes."""
    need = replication_bytes(scenario)
    if need * at_once <= available:
        return
    fitting = int(available // need)
    advice = f"use --workers {fitting} or fewer" if fitting >= 1 else "use a smaller scenario"
    message = (
        f"{at_once} replication(s) at once would need about {_gib(need * at_once)} of memory "
        f"({_gib(need)} each), but {_gib(available)} is available; {advice}"
    )
    raise ScenarioError([Problem(Origin(f"scenario {scenario.name!r}"), "", message)])


def _gib(count: float) -> str:
    return f"{count / 2**30:,.1f} GiB"
