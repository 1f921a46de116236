"""The scenario schema: every knob of the model, with its default, unit and meaning.

One pydantic model per section of the YAML file. Unknown keys are errors, every
number is checked for range and finiteness, and every mechanism of
``docs/model.md`` has its own ``enabled`` switch. Defaults come from the published
figures in the design (``docs/model.md`` names the source of each); where none was
found the description says "assumption".
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from orgsim.kpis import HEADLINE_KPI, KPI_NAMES, column_clash
from orgsim.scenario.bounds import LARGEST, Why
from orgsim.scenario.distributions import (
    Beta,
    BoundedDistribution,
    Distribution,
    Exponential,
    Lognormal,
    PositiveDistribution,
    UnitDistribution,
)
from orgsim.scenario.settings import setting


def _not_a_bool(value: object) -> object:
    """YAML's true/false are not numbers, whatever Python thinks."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    return value


NotBool = BeforeValidator(_not_a_bool)
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False), NotBool]
Probability = Share
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False), NotBool]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False), NotBool]
Count = Annotated[int, NotBool, Field(ge=0), NotBool]
Dept = Literal["sales", "marketing"]

MAX_HEADCOUNT = 10_000
"""Seats on one team: the largest sales orgs put a few thousand people on one team
(a 5,000-person sales org is real), and the model runs a team as one desk under
one manager, which stops describing an org long before 10,000."""
Headcount = Annotated[
    int,
    NotBool,
    Field(ge=0, le=MAX_HEADCOUNT),
    Why(above="larger teams are outside what the model was built for"),
]

Money = Annotated[
    float,
    Field(ge=0, le=LARGEST, allow_inf_nan=False),
    NotBool,
    Why(above="more than $1 trillion is beyond any real org, and cost sums would overflow"),
]
"""Dollars: salaries, spend, overheads."""

MAX_ELASTICITY = 5.0
Elasticity = Annotated[
    float,
    Field(ge=0, le=MAX_ELASTICITY, allow_inf_nan=False),
    NotBool,
    Why(above="measured elasticities are below 2, and large powers of a ratio overflow"),
]
"""The exponent of an ``outcome ~ ratio ** elasticity`` response."""

MAX_LEADS_PER_MONTH = 1_000_000
"""The largest B2B funnels see tens of thousands of leads a month; the model keeps every lead."""


class Section(BaseModel):
    """A block of the scenario file: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Mechanism(Section):
    """A section that models one switchable mechanism."""

    enabled: StrictBool = Field(True, description="Switch this mechanism on or off.")


def _dist(default: Distribution, description: str) -> Any:
    """A distribution field: its default and description (``Any``, as ``Field`` returns)."""
    return Field(default=default, description=description)


# --------------------------------------------------------------------------- calendar

MonthProfile = Annotated[
    tuple[NonNegative, ...],
    Field(min_length=12, max_length=12),
]
"""Twelve values, one per calendar month, January first."""


class Calendar(Section):
    months: Annotated[int, NotBool, Field(ge=1, le=120)] = Field(
        24,
        description="Reported horizon, months: two years, so lagged effects (content lost to diversion) show.",
    )
    warm_up_months: Annotated[int, NotBool, Field(ge=0, le=60)] = Field(
        4,
        description="Months simulated before the horizon and not reported: the open pipeline, seat vacancies and recycled MQLs settle (tests/model/test_steady_state.py).",
    )
    steady_start: StrictBool = Field(
        True,
        description="Nurture starts holding the leads of the scoring.nurture.months_kept months before the first simulated month, as at steady state, rather than empty.",
    )
    start_month: Annotated[int, NotBool, Field(ge=1, le=12)] = Field(
        1,
        description="Calendar month (1 January .. 12 December) of the first reported month; warm-up months come before it.",
    )
    lost_days: MonthProfile = Field(
        (0.0,) * 12,
        description="Working days lost to holidays and vacation in each calendar month, January first: marketers' content hours and SDRs' prospecting hours shrink by lost / working_days_per_month (default none: set your own org's).",
    )
    working_days_per_month: Annotated[int, NotBool, Field(ge=1, le=31)] = Field(
        21, description="Working days in a month; the clock runs in working hours."
    )
    hours_per_day: Annotated[float, NotBool, Field(gt=0, le=24, allow_inf_nan=False)] = Field(
        8, description="Working hours in a day."
    )

    @model_validator(mode="after")
    def _lost_days_within_the_month(self) -> Calendar:
        if max(self.lost_days) > self.working_days_per_month:
            raise ValueError(
                f"calendar.lost_days has a month losing {max(self.lost_days):g} days, but a month has "
                f"only {self.working_days_per_month} working days (calendar.working_days_per_month)"
            )
        return self

    @property
    def hours_per_month(self) -> float:
        return self.working_days_per_month * self.hours_per_day


# --------------------------------------------------------------------------- org and SLA


class SLA(Section):
    """A signed service-level agreement between marketing and sales (the second article's cure)."""

    enabled: StrictBool = Field(False, description="Whether a signed SLA is in force.")
    response_window_hours: Positive = Field(
        24,
        description="Working hours within which an MQL must be touched (24 best practice, 72 at most); an MQL still unseen by then is escalated to the team at once.",
    )
    min_attempts: Annotated[int, NotBool, Field(ge=1, le=20)] = Field(
        6, description="Attempts an SDR must make before giving up on an MQL (6 reach most leads)."
    )
    acceptance_rate: Probability = Field(
        0.9,
        description="Share of reference-fit SQLs sales accepts when only definitional rejections are allowed (SiriusDecisions 90%+); rises and falls with fit like acceptance without an SLA.",
    )
    sql_definition_fit: Probability = Field(
        0.45,
        description="Fit an inbound lead must show to meet the agreed SQL definition; SDRs send weaker qualified leads to nurture (assumption).",
    )
    compliance: Probability = Field(
        0.9,
        description="Share of MQLs worked by the SLA's rules; the rest are worked as with no SLA (assumption).",
    )
    sdr_review_hours_per_month: NonNegative = Field(
        2.0,
        description="Hours a month each SDR spends on definitions and pipeline reviews, taken from prospecting (assumption).",
    )
    manager_review_hours_per_month: NonNegative = Field(
        4.0,
        description="Hours a month the SDR manager spends on the SLA's reviews, booked as management cost (assumption).",
    )


class Org(Section):
    inside_sales_reports_to: Dept = Field(
        "sales",
        description="Who the SDR team reports to; 64-68% of teams report to sales (TOPO; Bridge Group).",
    )
    sla: SLA = SLA()


# --------------------------------------------------------------------------- demand


class Content(Mechanism):
    """Content stock: marketers' content hours accumulate and decay, feeding lead volume and quality."""

    decay_per_month: Share = Field(
        0.15, description="Share of the content stock that goes stale each month (assumption)."
    )
    lag_months: Annotated[int, NotBool, Field(ge=0, le=12)] = Field(
        1,
        description="Extra months before content counts: content of month m first sets leads of month m + 1 + this (assumption).",
    )
    lead_elasticity: Elasticity = Field(
        0.5, description="Lead volume ~ (stock / reference stock) ** this (assumption)."
    )
    fit_elasticity: Elasticity = Field(
        0.3,
        description="Mean lead fit ~ (stock / reference stock) ** this: less content, weaker leads (assumption).",
    )
    win_elasticity: Elasticity = Field(
        0.2,
        description="Win chance ~ (stock / reference stock) ** this: bottom-of-funnel content helps AEs close (assumption).",
    )


class LeadSource(Section):
    """One place leads come from (content, paid, events, partners): its share of volume, spend and fit."""

    share: Share = Field(description="Share of the month's leads that come from this source.")
    spend_share: Share = Field(description="Share of the program spend this source takes.")
    fit: UnitDistribution = _dist(
        Beta(mean_=0.3, sd=0.15), "Hidden propensity to buy of a lead from this source, 0..1."
    )


MAX_LEAD_SOURCES = 12
"""Each source adds five columns to the monthly table; a dozen is more than any plan names."""


class Demand(Mechanism):
    """Leads arriving from programs and content; each with a hidden fit (propensity to buy)."""

    leads_per_month: Annotated[
        Positive,
        Field(le=MAX_LEADS_PER_MONTH),
        Why(above="more leads a month are beyond any real funnel, and each is held in memory"),
    ] = Field(2000, description="Leads a month at the reference spend and a steady content stock.")
    program_spend_per_month: Money = Field(60000, description="Program spend, $ a month.")
    reference_spend_per_month: Annotated[
        Money,
        Field(ge=1),
        Why(below="under $1 a month, spend / reference overflows"),
    ] = Field(60000, description="Spend at which leads_per_month is observed, $ a month.")
    spend_elasticity: Elasticity = Field(
        0.7,
        description="Lead volume ~ (spend / reference) ** this: diminishing returns (assumption).",
    )
    fit: UnitDistribution = _dist(
        Beta(mean_=0.3, sd=0.15), "Hidden propensity to buy of a new lead, 0..1."
    )
    seasonality: MonthProfile = Field(
        (1.0,) * 12,
        description="Lead volume of each calendar month relative to leads_per_month, January first; averages 1 so leads_per_month stays the yearly mean (default flat).",
    )
    sources: dict[str, LeadSource] = Field(
        default_factory=dict,
        description="Lead sources by name (snake_case), whose shares of leads and of spend each add up to 1; none: one source with the fit above.",
        max_length=MAX_LEAD_SOURCES,
    )
    content: Content = Content()

    @field_validator("sources")
    @classmethod
    def _shares_add_up(cls, sources: dict[str, LeadSource]) -> dict[str, LeadSource]:
        for name in sources:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"source name {name!r} must be snake_case (a-z, 0-9, _)")
            clash = column_clash(name)
            if clash:
                raise ValueError(f"source name {name!r} would name column {clash!r}, already a KPI")
        for part in ("share", "spend_share"):
            total = sum(getattr(source, part) for source in sources.values())
            if sources and abs(total - 1.0) > 1e-6:
                raise ValueError(f"the sources' {part} must add up to 1, got {total:g}")
        return sources

    @field_validator("seasonality")
    @classmethod
    def _averages_one(cls, profile: tuple[float, ...]) -> tuple[float, ...]:
        """A profile that averaged 1.2 would silently add a fifth to the year's leads."""
        mean = sum(profile) / len(profile)
        if abs(mean - 1.0) > 0.01:
            raise ValueError(
                f"must average 1 (within 0.01) so leads_per_month stays the yearly mean, "
                f"got an average of {mean:.3f}; divide each value by {mean:.3f}"
            )
        return profile


# --------------------------------------------------------------------------- scoring and nurture


class Nurture(Mechanism):
    """Leads below the MQL bar, and MQLs that go nowhere, mature in nurture and may return."""

    return_rate_per_month: Probability = Field(
        0.02, description="Chance a nurtured lead re-engages in a given month (assumption)."
    )
    maturation: NonNegative = Field(
        0.15,
        description="Fit gained by a lead that returns from nurture, capped at 1 (assumption).",
    )
    months_kept: Annotated[int, NotBool, Field(ge=1, le=60)] = Field(
        12, description="Months a lead stays in nurture before it is dropped."
    )


class Scoring(Mechanism):
    """Marketing scores each lead's fit with noise that shrinks with scoring skill."""

    mql_threshold: Probability = Field(
        0.55,
        description="Score above which a lead is an MQL (the SLA's agreed threshold when one exists).",
    )
    noise_sd: NonNegative = Field(
        0.12, description="Scoring noise (sd on the 0..1 fit scale) at average marketer skill 1.0."
    )
    nurture: Nurture = Nurture()


# --------------------------------------------------------------------------- teams


class Ramp(Mechanism):
    """New hires start below full productivity and reach it linearly."""

    months: NonNegative = Field(
        3.2, description="Months to full productivity (Bridge Group: a little over 3 for SDRs)."
    )
    start_productivity: Share = Field(
        0.3, description="Productivity on the first day, share of full (assumption)."
    )


class Attrition(Mechanism):
    """People leave at a monthly hazard that rises when coaching is poor (Gallup 2015)."""

    monthly_rate: Probability = Field(
        0.0714,
        description="Exit hazard a month at reference coaching: 1/14, a 14-month average tenure (TOPO; Bridge Group).",
    )
    poor_coaching_sensitivity: NonNegative = Field(
        1.5,
        description="Hazard x (1 + this x shortfall below the reference coaching quality) (assumption).",
    )
    coaching_reference: Share = Field(
        0.75, description="Coaching quality at which the hazard is monthly_rate."
    )


class Backfill(Mechanism):
    """Empty seats are refilled after a recruiting delay; the new hire ramps."""

    days: PositiveDistribution = _dist(
        Lognormal(median=50, sigma=0.25),
        "Calendar days a seat stays empty (41-58 days: WSJ 2016; HRO Today).",
    )
    recruiting_cost_per_hire: Money = Field(
        12000, description="Recruiting cost, $ a hire (assumption)."
    )


class HeadcountStep(Section):
    """From reported month ``month`` on, the team has ``headcount`` (a hiring plan's step)."""

    month: Annotated[int, NotBool, Field(ge=1, le=120)] = Field(
        description="Reported month (1 is the first) from which the headcount holds."
    )
    headcount: Headcount = Field(description="Seats from that month on.")


HiringPlan = Annotated[
    tuple[HeadcountStep, ...],
    Field(
        description="Headcount by month: steps in increasing months; before the first, `headcount` (default none: constant).",
        max_length=120,
    ),
]


def _steps_in_order(plan: tuple[HeadcountStep, ...]) -> tuple[HeadcountStep, ...]:
    months = [step.month for step in plan]
    if months != sorted(set(months)):
        raise ValueError(f"steps must come in increasing months, got months {months}")
    return plan


class Team(Section):
    headcount: Headcount = Field(description="Seats on the team.")
    hours_per_week: Annotated[float, NotBool, Field(gt=0, le=80, allow_inf_nan=False)] = Field(
        40, description="Working hours a week of each person."
    )
    loaded_cost_per_year: Money = Field(
        description="Loaded cost of a filled seat, $ a year (wages are 69.6% of compensation: x1.44, BLS 2017)."
    )
    skill: PositiveDistribution = _dist(
        Lognormal(median=1.0, sigma=0.15), "Individual skill multiplier; 1.0 is an average person."
    )


class MarketingWork(Section):
    content_share: Share = Field(
        0.6,
        description="Share of marketers' hours that goes into content (the rest: campaigns, ops).",
    )


class MarketingTeam(Team):
    headcount: Headcount = Field(
        10, description="Marketers (designers, copywriters, developers, ops)."
    )
    loaded_cost_per_year: Money = Field(158400, description="$110K x 1.44 loaded, $ a year.")
    work: MarketingWork = MarketingWork()
    hiring_plan: HiringPlan = ()

    _in_order = field_validator("hiring_plan")(_steps_in_order)


class SDRWork(Section):
    touch_minutes: PositiveDistribution = _dist(
        Lognormal(median=12, sigma=0.4),
        "Minutes an SDR spends on one touch (research, call, email, log).",
    )
    retry_gap_hours: PositiveDistribution = _dist(
        Lognormal(median=6, sigma=0.5), "Working hours between attempts on the same MQL."
    )
    inbound_check_interval_hours: NonNegative = Field(
        4.0,
        description="SDRs on outbound work look at the inbound queue together this often (working hours); 0 means at once (assumption).",
    )
    admin_share: Share = Field(
        0.15, description="Share of SDR hours on admin and meetings (assumption)."
    )
    max_wait_hours: Positive = Field(
        80,
        description="An MQL nobody touched in this many working hours goes back to nurture (no SLA).",
    )

    @field_validator("inbound_check_interval_hours")
    @classmethod
    def _at_once_or_at_least_a_minute(cls, hours: float) -> float:
        """Each look is an event: a tiny interval floods the simulation with them."""
        if 0 < hours < 1 / 60:
            raise ValueError(
                f"must be 0 (at once) or at least 1/60 (a minute), got {hours:g}; "
                "shorter intervals flood the simulation with checks"
            )
        return hours


class SDRRoles(Mechanism):
    """Inbound qualification (MDRs) and outbound prospecting (SDRs) as seats of their own (``roles.py``)."""

    enabled: StrictBool = Field(
        False,
        description="Split the team by role; off: every SDR works MQLs first and prospects in the hours left.",
    )
    inbound_share: Share = Field(
        0.25,
        description="Share of seats that are MDRs, inbound only; the rest prospect only (assumption, 0.125-0.5).",
    )
    outbound_reports_to: Dept | Literal["same"] = Field(
        "same",
        description="Reporting line of the outbound SDRs; 'same': org.inside_sales_reports_to, which is the MDRs'.",
    )


class SDRTeam(Team):
    headcount: Headcount = Field(
        8, description="SDR seats; about 8 per manager (Bridge Group 1:8.1)."
    )
    loaded_cost_per_year: Money = Field(
        115200, description="$80K median OTE (Glassdoor 2024) x 1.44."
    )
    tenure_months: PositiveDistribution = _dist(
        Exponential(mean_=14), "Tenure of the people in the seats at the start, months."
    )
    ramp: Ramp = Ramp()
    attrition: Attrition = Attrition()
    backfill: Backfill = Backfill()
    work: SDRWork = SDRWork()
    roles: SDRRoles = SDRRoles()
    hiring_plan: HiringPlan = Field(
        (),
        description="SDR seats by month: steps in increasing months; new seats are filled after backfill.days (at once with backfill off), cut seats close at once (default none: constant).",
    )

    _in_order = field_validator("hiring_plan")(_steps_in_order)


class AERamp(Ramp):
    months: NonNegative = Field(
        4.8, description="Months to full productivity (Bridge Group: just under 5 for AEs)."
    )


class AEAttrition(Attrition):
    """AEs leave at a flat monthly hazard: the model has no AE coaching to raise it."""

    monthly_rate: Probability = Field(
        1 / 30,
        description="Exit hazard a month: 1/30, a 30-month average AE tenure (assumption, 18-36).",
    )


class AEBackfill(Backfill):
    recruiting_cost_per_hire: Money = Field(
        20000, description="Recruiting cost, $ an AE hire (assumption)."
    )


class AEWork(Mechanism):
    """AE hours bind: an open deal and a rejected SQL take hours of a finite month (``ae_hours.py``)."""

    selling_share: Share = Field(
        0.6,
        description="Share of AE hours for working opportunities; the rest: own prospecting, admin, meetings (assumption, 0.4-0.8).",
    )
    hours_per_opportunity: Positive = Field(
        12.0,
        description="AE hours one opportunity takes over its cycle: discovery, demo, proposal, negotiation (assumption, 8-30).",
    )
    hours_per_rejected_sql: NonNegative = Field(
        1.0,
        description="AE hours spent reviewing an SQL before rejecting it (assumption, 0.5-2).",
    )


class AETeam(Team):
    headcount: Headcount = Field(
        20, description="Account executives; SDR:AE about 1:2.5 (TOPO 2015)."
    )
    loaded_cost_per_year: Money = Field(
        172800, description="$120K OTE x 1.44, $ a year (assumption)."
    )
    max_open_opportunities: Annotated[int, NotBool, Field(ge=1, le=1000)] = Field(
        12,
        description="Open opportunities one AE can work at once when AE hours are off (work.enabled: false).",
    )
    tenure_months: PositiveDistribution = _dist(
        Exponential(mean_=30), "Tenure of the AEs in the seats at the start, months (assumption)."
    )
    ramp: AERamp = AERamp()
    attrition: AEAttrition = AEAttrition()
    backfill: AEBackfill = AEBackfill()
    work: AEWork = AEWork()
    hiring_plan: HiringPlan = Field(
        (),
        description="AE seats by month: steps in increasing months; new seats are filled after backfill.days (at once with backfill off), cut seats close at once (default none: constant).",
    )

    _in_order = field_validator("hiring_plan")(_steps_in_order)


class Teams(Section):
    marketing: MarketingTeam = MarketingTeam()
    sdr: SDRTeam = SDRTeam()
    ae: AETeam = AETeam()


# --------------------------------------------------------------------------- management


class ManagerTime(Mechanism):
    """The manager's week: planned share for the SDR team vs the hours the team needs."""

    hours_per_week: Annotated[float, NotBool, Field(gt=0, le=100, allow_inf_nan=False)] = Field(
        45, description="The manager's working week, hours."
    )
    planned_share: Share = Field(
        1.0,
        description="Share of the week planned for the SDR team (1.0 dedicated; 0.20-0.25 for a marketing leader).",
    )
    hours_needed_per_rep_per_week: NonNegative = Field(
        3.5,
        description="Management an SDR needs a week, hours: 8 reps need most of a week (Heinz; CSO Insights 2015).",
    )
    overflow_policy: Literal["team", "other_work", "split"] = Field(
        "team",
        description="Who pays when the need exceeds the plan: the team (less coaching), the manager's other work, or both.",
    )
    overflow_split: Share = Field(
        0.5,
        description="With overflow_policy split: share of the shortfall the manager takes from other work.",
    )
    leadership_dependency: Share = Field(
        0.3,
        description="How much marketers slow when their leader's marketing hours fall short, 0..1 (assumption).",
    )


class SkillByBackground(Section):
    """Sales-management skill of a manager by where she comes from, when none is given (assumption)."""

    sales: UnitDistribution = _dist(
        Beta(mean_=0.8, sd=0.08),
        "A manager from sales: has run reps before (assumption; mean range 0.65-0.9).",
    )
    marketing: UnitDistribution = _dist(
        Beta(mean_=0.45, sd=0.1),
        "A manager from marketing: 'sales management is a skill that few marketers have' (assumption; mean range 0.3-0.65).",
    )


class ManagerLearning(Mechanism):
    """A manager new to SDRs coaches below her skill at first and learns over months (assumption)."""

    enabled: StrictBool = Field(False, description="Whether the manager is new to running SDRs.")
    start_fraction: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False), NotBool] = Field(
        0.5,
        description="Share of her management skill she brings to the first month (assumption; range 0.3-0.8).",
    )
    months: Positive = Field(
        6.0,
        description="Months until she coaches at her full skill, linearly (assumption; range 3-12).",
    )


class PlayerCoach(Mechanism):
    """The manager carries part of an SDR quota: she prospects, and coaches less."""

    enabled: StrictBool = Field(False, description="Whether the manager also prospects.")
    selling_share: Share = Field(
        0.25,
        description="Share of her week spent prospecting, taken from her planned hours for the team (assumption; range 0.1-0.5).",
    )
    selling_skill: Positive = Field(
        1.0,
        description="Her prospecting skill relative to an average SDR (assumption; range 0.6-1.4).",
    )


class SDRManager(Section):
    background: Dept = Field(
        "sales",
        description="Where the SDR team's manager comes from, whoever the team reports to.",
    )
    management_skill: UnitDistribution | None = Field(
        None,
        description="Sales-management skill, 0..1; when not given, skill_by_background's for her background.",
    )
    skill_by_background: SkillByBackground = SkillByBackground()
    loaded_cost_per_year: Money = Field(201600, description="$140K x 1.44, $ a year (assumption).")
    coaching: Mechanism = Field(
        Mechanism(),
        description="Effective SDR skill = base x ramp x (1 - lift + lift x coaching quality).",
    )
    coaching_lift: Share = Field(
        0.19, description="Performance lift of full coaching over none (CEB 2009: up to 19%)."
    )
    time: ManagerTime = ManagerTime()
    learning: ManagerLearning = ManagerLearning()
    player_coach: PlayerCoach = PlayerCoach()

    @property
    def skill(self) -> UnitDistribution:
        """Her skill distribution: the one given, else her background's default."""
        if self.management_skill is not None:
            return self.management_skill
        table = self.skill_by_background
        return table.sales if self.background == "sales" else table.marketing

    @model_validator(mode="after")
    def _sells_from_her_team_hours(self) -> SDRManager:
        coach = self.player_coach
        if coach.enabled and coach.selling_share > self.time.planned_share:
            raise ValueError(
                f"management.sdr_manager.player_coach.selling_share ({coach.selling_share:g}) is "
                f"above management.sdr_manager.time.planned_share ({self.time.planned_share:g}): "
                "her prospecting hours come out of the hours planned for the team"
            )
        return self


class Management(Section):
    sdr_manager: SDRManager = SDRManager()


# --------------------------------------------------------------------------- follow-up


class SpeedToLead(Mechanism):
    """Contact and interest fade with a lead's age (MIT/InsideSales 2007; HBR 2011)."""

    contact_immediate: Probability = Field(
        0.6, description="Chance a touch reaches a brand-new lead."
    )
    contact_floor: Probability = Field(
        0.1, description="Chance a touch reaches a stale lead (about 10% of calls connect)."
    )
    contact_half_life_hours: Positive = Field(
        0.5, description="Working hours for the contact chance to halve its way to the floor."
    )
    interest_floor: Share = Field(
        0.35, description="Qualification chance of a stale contacted lead, relative to a fresh one."
    )
    interest_half_life_hours: Positive = Field(
        4.0, description="Working hours for interest to halve its way to the floor."
    )

    @model_validator(mode="after")
    def _contact_falls_with_age(self) -> SpeedToLead:
        if self.enabled and self.contact_floor > self.contact_immediate:
            raise ValueError(
                f"contact_floor ({self.contact_floor:g}) is above contact_immediate "
                f"({self.contact_immediate:g}): the chance of reaching a lead falls with its age"
            )
        return self


class Outbound(Mechanism):
    """SDR hours not spent on MQLs or admin go to prospecting (Vorsight via TOPO/Gartner 2019)."""

    dials_per_hour: Annotated[
        NonNegative, Field(le=1000), Why(above="no dialer makes more than 1,000 dials an hour")
    ] = Field(8, description="Dials an hour including research and logging (assumption).")
    dials_per_meeting: Annotated[
        Positive, Field(ge=1), Why(below="a meeting takes at least one dial")
    ] = Field(
        75,
        description="Dials per meeting booked by an average SDR: 60-90 (Vorsight via TOPO/Gartner 2019).",
    )
    fit: UnitDistribution = _dist(Beta(mean_=0.4, sd=0.15), "Fit of an outbound-sourced SQL, 0..1.")


class Followup(Section):
    """SDR follow-up of MQLs: attempts, contact and qualification."""

    mean_attempts_without_rule: Annotated[float, Field(ge=1, le=20, allow_inf_nan=False)] = Field(
        1.25, description="Average attempts when no SLA sets a minimum (InsideSales: 1.25)."
    )
    max_attempts: Annotated[int, NotBool, Field(ge=1, le=20)] = Field(
        8, description="Most attempts any SDR makes on one MQL."
    )
    qualification_rate: Probability = Field(
        0.5,
        description="Chance a contacted lead of reference fit, fresh, with an average SDR becomes an SQL.",
    )
    fit_reference: Annotated[
        Probability,
        Field(ge=0.01),
        Why(below="chances are scaled by fit / this, which a smaller reference overflows"),
    ] = Field(
        0.6,
        description="Fit at which qualification_rate applies; the chance scales with fit / this.",
    )
    speed_to_lead: SpeedToLead = SpeedToLead()
    outbound: Outbound = Outbound()


# --------------------------------------------------------------------------- policies


class SQLTarget(Section):
    """The SQL goal the SDR team's owner is measured on; padding and diversion react to it."""

    monthly: NonNegative = Field(
        130,
        description="SQLs a month planned: the target itself with basis 'fixed', the first month's with 'run_rate'.",
    )
    basis: Literal["run_rate", "fixed"] = Field(
        "run_rate",
        description="'run_rate': each month's target is the team's own recent SQLs a month times (1 + stretch), so a month is behind only when it is; 'fixed': always `monthly` (assumption).",
    )
    run_rate_months: Annotated[int, NotBool, Field(ge=1, le=12)] = Field(
        3, description="Months of SQLs the run-rate target averages."
    )
    stretch: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False), NotBool] = Field(
        0.0, description="Growth asked of the run rate, as a share (assumption)."
    )
    metric: Literal["sql_count", "accepted_opportunities", "pipeline_value"] = Field(
        "sql_count",
        description="What the target counts: SQLs handed over, SQLs sales accepted, or their deal value; padding pays only as far as it counts (second article: moving KPIs).",
    )


class Diversion(Mechanism):
    """Last-week dialing for dollars by marketers when the SQL goal looks at risk."""

    trigger_working_day: Annotated[int, NotBool, Field(ge=1, le=31)] = Field(
        16,
        description="Working day on which the owner checks month-to-date SQLs against the pro-rated target.",
    )
    share_of_marketers: Share = Field(
        0.5, description="Share of marketers pulled off their work to dial."
    )
    dialing_skill: Positive = Field(
        0.4, description="Marketers' skill at dialing, relative to an average SDR (assumption)."
    )
    win_penalty: Share = Field(
        0.51,
        description="Win chance lost by deals sourced in a month-end push (InsideSales Labs, HBR 2017: -51%).",
    )
    fit: UnitDistribution = _dist(
        Beta(mean_=0.3, sd=0.15), "Fit of an SQL booked by a diverted marketer, 0..1."
    )


class QuarterEndPull(Mechanism):
    """Moving KPIs down-funnel: a sales-run team's SDRs pulled off inbound at quarter end.

    The mirror of month-end diversion, with the same shape of parameters: sales,
    behind in a quarter's last month, puts SDRs on outbound pipeline for the rest
    of the month, and marketing's MQLs wait (second article; assumption)."""

    enabled: StrictBool = Field(False, description="Whether sales pulls SDRs at quarter end.")
    applies_to: Literal["sales_run_team", "any_team"] = Field(
        "sales_run_team",
        description="Which SDR team can be pulled: one that reports to sales, or any (for what-ifs, and for `orgsim explain`, which runs every coalition with the team in marketing).",
    )
    trigger_working_day: Annotated[int, NotBool, Field(ge=1, le=31)] = Field(
        16,
        description="Working day of a quarter's last month on which sales checks month-to-date against the pro-rated target.",
    )
    share_of_sdrs: Share = Field(
        0.5,
        description="Share of SDRs taken off inbound to prospect for the rest of the month (assumption; range 0.2-0.8).",
    )
    months_per_quarter: Annotated[int, NotBool, Field(ge=1, le=12)] = Field(
        3, description="Months in sales' quarter: the pull can fire in every this-many-th month."
    )


class Padding(Mechanism):
    """SDRs under a SQL-count KPI pass weaker leads when behind (impossible under an SLA)."""

    extra_pass_rate: Probability = Field(
        0.3,
        description="When behind target, chance an SDR passes a contacted lead that did not qualify (assumption).",
    )
    padded_acceptance: Probability = Field(
        0.3, description="Chance sales accepts a padded SQL (assumption)."
    )


class CherryPicking(Mechanism):
    """Without an SLA, SDRs work the best-looking MQLs first and let the rest go stale."""


class Friction(Mechanism):
    """Without an SLA, AEs accept fewer SQLs from a team in another department."""

    acceptance_penalty: Share = Field(
        0.15, description="Share of acceptances lost to cross-department friction (assumption)."
    )


class Neglect(Mechanism):
    """A team run by sales works marketing's MQLs last: "sales ignores good leads" (first article)."""

    applies_to: Literal["sales_run_team", "any_team"] = Field(
        "sales_run_team",
        description="Which SDR team neglects MQLs: one that reports to sales, or any (for what-ifs, and for `orgsim explain`, which runs every coalition with the team in marketing).",
    )
    drop_share: Share = Field(
        0.1,
        description="Share of MQLs a sales-run SDR team without an SLA never works; they go to nurture untouched (assumption).",
    )
    attempt_factor: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False), NotBool] = Field(
        0.8,
        description="Habitual attempts per MQL times this, at least one (assumption).",
    )
    check_interval_factor: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False), NotBool] = (
        Field(
            1.0,
            description="Idle SDRs look at the inbound queue this many times less often (assumption; 1: as often as any team).",
        )
    )


class Handoff(Section):
    acceptance_rate_without_sla: Probability = Field(
        0.7,
        description="Share of reference-fit SQLs sales accepts with no SLA (Gartner: sales judges 44% of MQLs good fit).",
    )
    fit_elasticity: Elasticity = Field(
        1.0, description="Acceptance ~ (fit / reference fit) ** this, capped at 1."
    )
    padding: Padding = Padding()
    cherry_picking: CherryPicking = CherryPicking()
    friction: Friction = Friction()
    neglect: Neglect = Neglect()


class Multichannel(Mechanism):
    """Marketing coordinates email and ads with SDR touches: no published figure, an explicit assumption."""

    contact_lift: NonNegative = Field(
        0.15,
        description="Relative lift of every touch's contact chance when marketing owns the SDR team (capped at 1).",
    )


class SplitOrg(Mechanism):
    """Overheads when inside sales sits in marketing: tools, training, content, coordination."""

    tools_and_training_per_month: Money = Field(
        4000, description="Duplicated CRM seats, tools and trainers, $ a month (assumption)."
    )
    followup_content_hours_per_sdr_per_month: NonNegative = Field(
        6,
        description="Marketer hours a month per SDR making follow-up content, taken from content work (assumption).",
    )
    coordination_hours_per_month: NonNegative = Field(
        20,
        description="Leadership (CMO/VP) hours a month coordinating the wider waterfall (assumption).",
    )
    leadership_cost_per_hour: Money = Field(
        150, description="Loaded cost of a leadership hour, $ (assumption)."
    )


class SalesMadeContent(Mechanism):
    """Moving KPIs down-funnel: a sales-run team's SDRs make their own follow-up content.

    The mirror of split-org's follow-up content hours (marketers making content for a
    marketing-run team): "sales people should be selling, not creating their own MOFU
    and BOFU products" (second article; assumption)."""

    enabled: StrictBool = Field(
        False, description="Whether a sales-run team makes its own content."
    )
    applies_to: Literal["sales_run_team", "any_team"] = Field(
        "sales_run_team",
        description="Which SDR team makes its own content: one that reports to sales, or any (for what-ifs, and for `orgsim explain`).",
    )
    hours_per_sdr_per_month: NonNegative = Field(
        6,
        description="Hours a month each SDR spends making follow-up content, taken from prospecting (assumption; split-org's figure; range 0-12).",
    )


class ClosedLoop(Mechanism):
    """Revenue responsibility: when the team that qualifies leads sits with the team that makes them,
    SQL outcomes feed back into scoring (first article, pros 1, 3 and 4)."""

    noise_reduction: Share = Field(
        0.3,
        description="Share of scoring noise the feedback removes once learned (assumption).",
    )
    fit_lift: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False), NotBool] = Field(
        0.05,
        description="Relative rise of new leads' fit once learned: program mix shifts toward what converts (assumption).",
    )
    lag_months: Annotated[int, NotBool, Field(ge=0, le=24)] = Field(
        2, description="Months before the first SQL outcomes reach scoring (assumption)."
    )
    learning_months: Positive = Field(
        6.0, description="Time constant of the learning after the lag, months (assumption)."
    )


class Policies(Section):
    sql_target: SQLTarget = SQLTarget()
    end_of_month_diversion: Diversion = Diversion(enabled=False)
    quarter_end_pull: QuarterEndPull = QuarterEndPull()
    sales_made_content: SalesMadeContent = SalesMadeContent()
    handoff: Handoff = Handoff()
    multichannel: Multichannel = Multichannel()
    split_org: SplitOrg = SplitOrg()
    closed_loop: ClosedLoop = ClosedLoop()


# --------------------------------------------------------------------------- selling and costs


class AESourced(Mechanism):
    """Opportunities AEs find themselves, at a rate per AE at full productivity (``pipeline.py``)."""

    per_ae_per_month: NonNegative = Field(
        1.0,
        description="Self-sourced opportunities a month of a fully ramped AE (assumption, 0.5-2).",
    )
    fit: UnitDistribution = _dist(
        Beta(mean_=0.5, sd=0.15), "Fit of an AE-sourced opportunity, 0..1 (assumption)."
    )


class PartnerSourced(Mechanism):
    """Opportunities from partners and referrals, at a rate a month for the org (``pipeline.py``)."""

    per_month: NonNegative = Field(
        10.0, description="Partner and referral opportunities a month (assumption, 5-20)."
    )
    fit: UnitDistribution = _dist(
        Beta(mean_=0.6, sd=0.15), "Fit of a partner-sourced opportunity, 0..1 (assumption)."
    )


class Selling(Mechanism):
    """AEs work accepted opportunities; when full, new ones wait and age."""

    cycle_days: PositiveDistribution = _dist(
        Lognormal(median=60, sigma=0.5),
        "Calendar days from opportunity to decision (Bridge Group 2017: median 60).",
    )
    deal_size: PositiveDistribution = _dist(
        Lognormal(median=25000, sigma=0.6),
        "Annual contract value of a won deal, $ (Bridge Group 2017: median $25K).",
    )
    win_rate: Probability = Field(
        0.22,
        description="Win chance of a reference-fit opportunity with an average AE (TOPO 2017: 22% for SDR-sourced).",
    )
    fit_elasticity: Elasticity = Field(
        1.0, description="Win chance ~ (fit / reference fit) ** this."
    )
    wait_penalty_per_month: Share = Field(
        0.1,
        description="Win chance lost for each month an opportunity waits for a free AE (assumption).",
    )
    ae_sourced: AESourced = AESourced()
    partner: PartnerSourced = PartnerSourced()


class Costs(Mechanism):
    """Book loaded salaries, managers' time, programs, overheads and recruiting by month."""


# --------------------------------------------------------------------------- sensitivity

ASSUMED_RANGES: dict[str, tuple[float, float]] = {
    "policies.multichannel.contact_lift": (0.0, 0.3),
    "management.sdr_manager.time.hours_needed_per_rep_per_week": (2.0, 5.0),
    "management.sdr_manager.coaching_lift": (0.08, 0.3),
    "management.sdr_manager.time.leadership_dependency": (0.0, 0.6),
    "policies.handoff.friction.acceptance_penalty": (0.0, 0.3),
    "policies.handoff.neglect.drop_share": (0.0, 0.25),
    "policies.handoff.neglect.attempt_factor": (0.6, 1.0),
    "org.sla.sql_definition_fit": (0.35, 0.55),
    "org.sla.compliance": (0.6, 1.0),
    "policies.handoff.neglect.check_interval_factor": (1.0, 2.0),
    "policies.closed_loop.noise_reduction": (0.0, 0.5),
    "policies.closed_loop.fit_lift": (0.0, 0.15),
    "policies.end_of_month_diversion.share_of_marketers": (0.2, 0.8),
    "policies.quarter_end_pull.share_of_sdrs": (0.2, 0.8),
    "policies.sales_made_content.hours_per_sdr_per_month": (0.0, 12.0),
    "management.sdr_manager.skill_by_background.sales.mean": (0.65, 0.9),
    "management.sdr_manager.skill_by_background.marketing.mean": (0.3, 0.65),
    "management.sdr_manager.learning.start_fraction": (0.3, 0.8),
    "management.sdr_manager.learning.months": (3.0, 12.0),
    "management.sdr_manager.player_coach.selling_share": (0.1, 0.5),
    "management.sdr_manager.player_coach.selling_skill": (0.6, 1.4),
    "policies.split_org.tools_and_training_per_month": (0.0, 10000.0),
    "demand.content.lead_elasticity": (0.2, 0.8),
    "teams.sdr.attrition.poor_coaching_sensitivity": (0.5, 3.0),
    "followup.speed_to_lead.contact_half_life_hours": (0.25, 2.0),
    "teams.sdr.work.inbound_check_interval_hours": (1.0, 8.0),
    "followup.outbound.dials_per_meeting": (60.0, 90.0),
    "teams.ae.work.hours_per_opportunity": (8.0, 30.0),
    "teams.ae.work.hours_per_rejected_sql": (0.5, 2.0),
    "selling.ae_sourced.per_ae_per_month": (0.5, 2.0),
}
"""Low/high values of the assumptions no published figure pins down."""


class Sensitivity(Section):
    """Which assumptions ``orgsim sensitivity`` varies, and over what range."""

    kpi: str = Field(HEADLINE_KPI, description="The KPI whose sensitivity is measured.")
    parameters: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(ASSUMED_RANGES),
        description="Dotted scenario key -> [low, high] values tried one at a time.",
    )

    @field_validator("kpi")
    @classmethod
    def _a_kpi_of_the_model(cls, kpi: str) -> str:
        if kpi in KPI_NAMES:
            return kpi
        close = [name for name in KPI_NAMES if name.startswith(kpi)]
        close = close or difflib.get_close_matches(kpi, KPI_NAMES, n=1)
        hint = (
            f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(KPI_NAMES)}"
        )
        raise ValueError(f"unknown KPI {kpi!r}; {hint}")


# --------------------------------------------------------------------------- calibration


class CalibrationPriors(Section):
    """What ``orgsim calibrate`` fits by default, and the prior belief about each value."""

    parameters: dict[str, BoundedDistribution] = Field(
        default_factory=dict,
        description="Dotted scenario key -> its prior, e.g. {dist: uniform, low: 0.4, high: 0.7} "
        "or {dist: beta, mean: 0.25, sd: 0.05}; --param KEY=LO:HI adds or replaces one.",
    )


# --------------------------------------------------------------------------- the scenario


class Scenario(Section):
    """One org design to simulate."""

    name: str = Field("unnamed scenario", description="Short name shown in tables and legends.")
    description: str = Field("", description="The argument this scenario encodes.")
    seed: Annotated[int, NotBool, Field(ge=0)] | None = Field(
        None, description="Default seed for runs of this file."
    )
    replications: (
        Annotated[
            int,
            NotBool,
            Field(ge=1, le=100_000),
            Why(above="intervals are tight long before; more is days of computing"),
        ]
        | None
    ) = Field(None, description="Default number of replications.")
    calendar: Calendar = Calendar()
    org: Org = Org()
    demand: Demand = Demand()
    scoring: Scoring = Scoring()
    teams: Teams = Teams()
    management: Management = Management()
    followup: Followup = Followup()
    policies: Policies = Policies()
    selling: Selling = Selling()
    costs: Costs = Costs()
    sensitivity: Sensitivity = Sensitivity()
    calibration: CalibrationPriors = CalibrationPriors()

    @model_validator(mode="after")
    def _varied_keys_are_numbers(self) -> Scenario:
        for key in self.calibration.parameters:
            value = setting(self, key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(
                    f"calibration.parameters: {key!r} is not a numeric setting of the scenario"
                )
        for key, (low, high) in self.sensitivity.parameters.items():
            value = setting(self, key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(
                    f"sensitivity.parameters: {key!r} is not a numeric setting of the scenario"
                )
            if not low < high:
                raise ValueError(
                    f"sensitivity.parameters.{key}: low must be below high, got [{low}, {high}]"
                )
        return self

    @model_validator(mode="after")
    def _plans_within_the_horizon(self) -> Scenario:
        for team in ("marketing", "sdr", "ae"):
            for step in getattr(self.teams, team).hiring_plan:
                if step.month > self.calendar.months:
                    raise ValueError(
                        f"teams.{team}.hiring_plan has a step in month {step.month}, but the run "
                        f"reports only {self.calendar.months} months (calendar.months)"
                    )
        return self

    @model_validator(mode="after")
    def _trigger_within_month(self) -> Scenario:
        for key, day in (
            ("end_of_month_diversion", self.policies.end_of_month_diversion.trigger_working_day),
            ("quarter_end_pull", self.policies.quarter_end_pull.trigger_working_day),
        ):
            if day > self.calendar.working_days_per_month:
                raise ValueError(
                    f"policies.{key}.trigger_working_day is {day}, but a month has only "
                    f"{self.calendar.working_days_per_month} working days (calendar.working_days_per_month)"
                )
        return self
