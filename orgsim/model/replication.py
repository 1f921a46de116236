"""One replication of a scenario: the mechanisms wired into a SimPy model.

A calendar process opens each month (manager time, coaching, attrition draws,
the month's leads scored in one NumPy batch) and closes each working day
(outbound dialing, month-end diversion) and month (content stock, costs). The
follow-up desk and the sales floor run on their own events in between. No
files, plots or workers here: a scenario and streams in, KPIs out.
"""

from __future__ import annotations

import gc
from collections.abc import Generator
from dataclasses import replace
from typing import cast

import numpy as np
import simpy

from orgsim.model.ae_seats import AESeats
from orgsim.model.attrition import draw_exits, monthly_hazard
from orgsim.model.clock import Clock
from orgsim.model.closed_loop import lead_fit_factor, scoring_noise_factor
from orgsim.model.coaching import coaching_factor, coaching_quality, effective_skill
from orgsim.model.costs import MonthCosts, hourly_rate, seat_cost
from orgsim.model.demand import ContentStock, DemandMultipliers, demand_multipliers, generate_leads
from orgsim.model.diversion import diverted_marketers
from orgsim.model.environment import Environment, events_scheduled
from orgsim.model.followup import SDR, FollowUpDesk, FollowUpRules, MqlBatch, planned_attempts
from orgsim.model.handoff import AcceptanceRule
from orgsim.model.hiring import planned_headcount, seats_factor
from orgsim.model.lead_sources import lead_ids, source_column, source_columns, source_count
from orgsim.model.management import marketing_productivity, split_manager_time
from orgsim.model.manager_learning import learning_factor
from orgsim.model.multichannel import contact_lift
from orgsim.model.neglect import NeglectRule
from orgsim.model.outbound import meetings_booked
from orgsim.model.pipeline import SourcedDeal, sourced_deals
from orgsim.model.player_coach import selling_hours_per_day, team_time
from orgsim.model.quarter_end_pull import pulled_sdrs
from orgsim.model.result import (
    DERIVED_MONTHLY,
    MONTHLY_COLUMNS,
    SDR_MONTH_COLUMNS,
    ReplicationResult,
)
from orgsim.model.roles import Roles
from orgsim.model.sales_content import own_content_share
from orgsim.model.scoring import NurturePool, is_mql, score_leads
from orgsim.model.selling import SQL_SOURCES, Opportunity, SalesFloor
from orgsim.model.split_org import split_org_month
from orgsim.model.streams import Streams
from orgsim.model.summary import summarize
from orgsim.model.tallies import ReplicationTally, SeatTally
from orgsim.model.targets import METRIC_BOOK, is_behind, monthly_target, planned_yield
from orgsim.model.warm_start import fill_nurture
from orgsim.scenario.distributions import Distribution
from orgsim.scenario.schema import Scenario

MONTHLY_COUNTERS = (
    *(column for column in MONTHLY_COLUMNS if column not in DERIVED_MONTHLY),
    "mqls_recycled",
    "sqls_padded",
    "outbound_hours",
    "sdr_busy_hours",
    "sdr_present_hours",
    "touches",
    "mqls_untouched",
    "opportunities_closed",
    "sdr_hires",
    "ae_working_area",
    "sla_review_hours",
    "opportunities_diverted",
    "wins_diverted",
    "pipeline_value",
    "pipeline_value_diverted",
    "manager_selling_hours",
    "sdr_pulled_hours",
    "sdr_content_hours",
    "ae_slot_area",
    "ae_review_hours",
    "ae_hires",
    "revenue_other_sources",
    *(f"cost_{part}" for part in MonthCosts.parts()),
)
"""What the model books month by month: the counted monthly columns and the KPIs' ingredients."""


DIALED_BLOCK = 128
"""SQLs whose random numbers are drawn at once for dialing sources."""


def run_replication(
    scenario: Scenario, streams: Streams | int | np.random.SeedSequence
) -> ReplicationResult:
    """Simulate one replication of ``scenario``; ``streams`` may be a seed.

    Python's cycle collector is paused meanwhile, and left as it was found: a
    replication frees its own objects (``Replication.run``), so the collector's
    walks over every live object find nothing, and they grow with the org (3.5%
    of a replication's instructions at 16x the baseline).
    """
    if not isinstance(streams, Streams):
        streams = Streams.from_seed(streams)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Replication(scenario, streams).run()
    finally:
        if collecting:
            gc.enable()


class Replication:
    """The state of one simulated year (or whatever the calendar says) of the org."""

    __deletable__ = ("desk", "floor", "ae_seats")  # mypyc: ``run`` lets go of them (setup.py)

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        self.scenario = s = scenario
        self.streams = streams
        self.clock = clock = Clock.from_calendar(s.calendar)
        self.env = env = Environment()
        self.in_marketing = s.org.inside_sales_reports_to == "marketing"
        self.book = {
            name: [0.0] * clock.total_months
            for name in (*MONTHLY_COUNTERS, *source_columns(s.demand))
        }
        self.source_names = tuple(s.demand.sources)
        # Per-event bookings by source: each column's name is built once, not per SQL or deal.
        self.sqls_of = _StageColumns(self.book, "sqls")
        self.opportunities_of = _StageColumns(self.book, "opportunities")
        self.wins_of = _StageColumns(self.book, "wins")
        ae_work = s.teams.ae.work
        self.review_hours_per_rejected_sql = (
            ae_work.hours_per_rejected_sql if ae_work.enabled else 0.0  # ae_hours.py
        )
        self.opened_from: dict[int, str] = {}  # id of an open opportunity -> its lead source
        self.month = 0
        self.target_yield = planned_yield(s)
        self.target_book = METRIC_BOOK[s.policies.sql_target.metric]
        self.sql_target = monthly_target(s.policies.sql_target, [], 0, self.target_yield)

        marketing, sdr, ae = s.teams.marketing, s.teams.sdr, s.teams.ae
        marketer_skill = marketing.skill.sample(streams.marketer_skill, marketing.headcount)
        self.marketing_skill = float(marketer_skill.mean()) if marketing.headcount else 1.0
        self.manager = s.management.sdr_manager
        self.manager_skill = float(self.manager.skill.sample(streams.management, 1)[0])
        self.manager_time = team_time(self.manager.time, self.manager.player_coach)
        self.selling_hours_per_day = selling_hours_per_day(
            self.manager.time, self.manager.player_coach
        )
        self.skill_factor = 1.0
        self.productivity = 1.0
        self.sla_min_attempts = s.org.sla.min_attempts if s.org.sla.enabled else None
        self.neglect = NeglectRule.from_scenario(s)
        # Share of a present SDR's clock hours the SLA's reviews take (hours a month over a month).
        self.sla_review_share = (
            s.org.sla.sdr_review_hours_per_month / clock.hours_per_month
            if s.org.sla.enabled
            else 0.0
        )
        self.own_content_share = own_content_share(
            s.policies.sales_made_content, s.org.inside_sales_reports_to, clock.hours_per_month
        )

        rules = FollowUpRules.from_scenario(
            s, contact_lift(s.policies.multichannel, self.in_marketing)
        )
        self.desk = FollowUpDesk(
            env,
            rules,
            self._on_inbound_sql,
            self._on_nurture,
            self._behind_target,
            self._on_departed,
        )
        self.acceptance = AcceptanceRule.from_scenario(s)
        self.roles = roles = Roles.from_scenario(s)
        self.outbound_acceptance = AcceptanceRule.from_scenario(s, roles.outbound_in_marketing)
        ae_seats = max([ae.headcount, *(step.headcount for step in ae.hiring_plan)])
        start_skills = ae.skill.sample(streams.ae_skill, ae.headcount).tolist()
        self.floor = SalesFloor(
            env,
            s.selling,
            start_skills + [0.0] * (ae_seats - ae.headcount),  # the plan's later seats: empty
            ae.max_open_opportunities,
            s.followup.fit_reference,
            clock.hours_per_month,
            self._on_close,
        )
        self.ae_seats = AESeats(
            env,
            ae,
            s.selling,
            clock,
            self.floor,
            ae.tenure_months.sample(streams.ae_tenure, ae.headcount),
            streams.ae_hiring,
            streams.ae_hiring_skill,
        )
        planned_content = marketing.headcount * marketing.hours_per_week * clock.weeks_per_month
        self.stock = ContentStock.steady(
            planned_content * marketing.work.content_share * self.marketing_skill,
            s.demand.content.decay_per_month,
        )
        self.pool = NurturePool(s.scoring.nurture, clock.total_months)
        self.ever_mql: set[int] = set()
        if s.calendar.steady_start and s.demand.enabled:
            steady = demand_multipliers(s.demand, 1.0)
            pre_history_mqls = fill_nurture(
                self.pool,
                s,
                [
                    s.demand.leads_per_month
                    * steady.volume
                    * s.demand.seasonality[clock.calendar_month(month)]
                    for month in range(-s.scoring.nurture.months_kept, 0)
                ],
                steady.fit,
                self.marketing_skill,
                scoring_noise_factor(s.policies.closed_loop, self.in_marketing, 0),
                streams.warm_start,
            )
            self.ever_mql.update(pre_history_mqls)
        self.lead_count = 0
        self.to_nurture_ids: list[int] = []
        self.to_nurture_fit: list[float] = []
        self.diverting = 0
        self.pulled: list[SDR] = []
        self.draws = streams.month(0)
        self.dialed_draws: dict[str, list[tuple[float, tuple[float, float, float, float]]]] = {}

        base_skill = sdr.skill.sample(streams.skill, sdr.headcount)
        tenure = sdr.tenure_months.sample(streams.tenure, sdr.headcount)
        self.seats: list[SDR | None] = [
            SDR(i, float(base_skill[i]), -float(tenure[i]) * clock.hours_per_month, person=i)
            for i in range(sdr.headcount)
        ]
        self.people = sdr.headcount  # SDRs ever hired, the first ``headcount`` at the start
        self.open_seats = sdr.headcount  # seats the hiring plan keeps; later ones are closed
        self.recruiting: set[int] = set()  # seats with a hire on the way
        self.marketers = marketing.headcount
        self.sdrs: list[SDR] = [seat for seat in self.seats if seat is not None]
        self.sdr_months: dict[str, list[float]] = {name: [] for name in SDR_MONTH_COLUMNS}

    # ------------------------------------------------------------------ running

    def run(self) -> ReplicationResult:
        calendar = self.env.process(self._calendar())
        for sdr in self.sdrs:
            if self.roles.works_inbound(sdr.seat):
                self.desk.join(sdr)
        self.env.run(until=calendar)
        desk = self.desk.tally()
        result = summarize(
            ReplicationTally(
                scenario=self.scenario,
                clock=self.clock,
                book=self.book,
                sdr_months=self.sdr_months,
                desk=desk,
                floor=self.floor.finish(),
                seats=SeatTally(self.ae_seats.open_seat_months),
                events=events_scheduled(self.env) + desk.touches,
            )
        )
        # The desk and the floor call back into the replication: let go of them, and of
        # the events left over, so all of it is freed now rather than by the cycle
        # collector (4% of a replication's time).
        self.env.close()
        self.desk.close()
        del self.desk, self.floor, self.ae_seats
        return result

    def _calendar(self) -> Generator[simpy.Event, None, None]:
        clock = self.clock
        for month in range(clock.total_months):
            self._open_month(month)
            for day in range(1, clock.days_per_month + 1):
                yield self.env.timeout(clock.hours_per_day)
                self._close_day(month, day)
            self._close_month(month)

    # ------------------------------------------------------------------ months

    def _open_month(self, month: int) -> None:
        s, book, clock = self.scenario, self.book, self.clock
        self.month = month
        self.draws = self.streams.month(month)
        reported = month - clock.warm_up_months + 1
        marketing, sdr_team = s.teams.marketing, s.teams.sdr
        self.marketers = planned_headcount(marketing.hiring_plan, marketing.headcount, reported)
        self._plan_seats(planned_headcount(sdr_team.hiring_plan, sdr_team.headcount, reported))
        book["sdr_seats"][month] = self.open_seats
        book["marketers"][month] = self.marketers
        counted, diverted_part = self.target_book
        team_results = [
            total - diverted
            for total, diverted in zip(book[counted], book[diverted_part], strict=True)
        ]
        self.sql_target = monthly_target(
            s.policies.sql_target, team_results, month, self.target_yield
        ) * seats_factor(s.policies.sql_target, book["sdr_seats"], month)
        book["sql_target"][month] = self.sql_target
        self.dialed_draws = {"sqls_outbound": [], "sqls_diverted": []}
        start = clock.month_start(month)
        present = [sdr for sdr in self.seats if sdr is not None]

        manager_month = split_manager_time(
            self.manager_time, len(present), clock.weeks_per_month * clock.working_share(month)
        )
        # She arrives when the reported period begins (manager_learning.py).
        skill_now = self.manager_skill * learning_factor(
            self.manager.learning, month - clock.warm_up_months
        )
        # Coaching switched off acts as perfect coaching everywhere: skill and attrition.
        quality = (
            coaching_quality(manager_month.coverage, skill_now)
            if self.manager.coaching.enabled
            else 1.0
        )
        self.skill_factor = coaching_factor(quality, self.manager.coaching_lift)
        for sdr in present:
            sdr.skill = self._skill(sdr, start)
        self.manager_month = manager_month
        self.productivity = marketing_productivity(
            manager_month, self.manager_time, self.in_marketing
        )
        line_in_marketing = self.in_marketing or self.roles.outbound_in_marketing
        reps_in_marketing = sum(self.roles.in_marketing(sdr.seat) for sdr in present)
        self.split = split_org_month(s.policies.split_org, line_in_marketing, reps_in_marketing)
        book["manager_hours_sdr_planned"][month] = manager_month.planned_hours
        book["manager_hours_sdr_spent"][month] = manager_month.spent_hours
        book["coaching_quality"][month] = quality

        leaves, when = draw_exits(
            monthly_hazard(s.teams.sdr.attrition, quality), len(self.seats), self.draws.attrition
        )
        for seat, occupant in enumerate(self.seats):
            if occupant is not None and leaves[seat]:
                delay = start + when[seat] * clock.hours_per_month - self.env.now
                self.env.timeout(delay, seat).callbacks.append(self._on_exit)

        multipliers = demand_multipliers(s.demand, self.stock.ratio(s.demand.content.lag_months))
        fit_lift = lead_fit_factor(s.policies.closed_loop, self.in_marketing, month)
        season = s.demand.seasonality[clock.calendar_month(month)]
        multipliers = replace(
            multipliers, volume=multipliers.volume * season, fit=multipliers.fit * fit_lift
        )
        self.floor.win_multiplier = multipliers.win
        self.ae_seats.open_month(
            month, self.draws, book["ae_review_hours"][month - 1] if month else 0.0
        )
        for deal in sourced_deals(
            s.selling,
            self.ae_seats.productive_aes(),
            start,
            clock.hours_per_month,
            clock.calendar_days_to_hours(1.0),
            self.draws.pipeline,
        ):
            self.env.timeout(deal.time - self.env.now, deal).callbacks.append(self._on_sourced)
        self.desk.receive(self._mql_batch(month, start, multipliers))

    def _mql_batch(self, month: int, start: float, multipliers: DemandMultipliers) -> MqlBatch:
        s, streams, clock = self.scenario, self.draws, self.clock
        leads = generate_leads(
            s.demand,
            multipliers,
            start,
            clock.hours_per_month,
            streams.arrivals,
            streams.fit,
            streams.lead_source,
        )
        ids = lead_ids(self.lead_count, leads.source, source_count(s.demand))
        self.lead_count += leads.fit.size
        self.book["leads"][month] = leads.fit.size
        noise = scoring_noise_factor(s.policies.closed_loop, self.in_marketing, month)
        self.book["scoring_noise_factor"][month] = noise
        scores = score_leads(leads.fit, s.scoring, self.marketing_skill, streams.scoring, noise)
        mql = is_mql(scores, s.scoring)
        back_ids, back_fit, back_entered = self.pool.draw_returns(month)
        back_scores = score_leads(back_fit, s.scoring, self.marketing_skill, streams.scoring, noise)
        back_mql = is_mql(back_scores, s.scoring)
        self.pool.add(
            back_ids[~back_mql],
            back_fit[~back_mql],
            back_entered[~back_mql],
            month,
            streams.nurture,
        )
        self.pool.add(ids[~mql], leads.fit[~mql], month, month, streams.nurture)
        back_times = start + streams.arrivals.uniform(
            0.0, clock.hours_per_month, int(back_mql.sum())
        )

        times = np.concatenate([leads.times[mql], back_times])
        order = np.argsort(times, kind="stable")
        lead = np.concatenate([ids[mql], back_ids[back_mql]])[order].tolist()
        fit = np.concatenate([leads.fit[mql], back_fit[back_mql]])[order]
        score = np.concatenate([scores[mql], back_scores[back_mql]])[order]
        first_time = [lead_id for lead_id in lead if lead_id not in self.ever_mql]
        new = len(first_time)
        self.ever_mql.update(lead)
        if self.source_names:
            self._book_by_source(month, "leads", leads.source)
            self._book_by_source(month, "mqls", np.array(first_time) % len(self.source_names))
        self.book["mqls"][month] = new
        self.book["mqls_recycled"][month] = len(lead) - new
        return self._ticket_draws(lead, times[order], fit, score)

    def _book_by_source(self, month: int, stage: str, codes: np.ndarray) -> None:
        counts = np.bincount(codes.astype(np.int64), minlength=len(self.source_names))
        for name, count in zip(self.source_names, counts.tolist(), strict=True):
            self.book[source_column(stage, name)][month] = count

    def _ticket_draws(
        self, lead: list[int], times: np.ndarray, fit: np.ndarray, score: np.ndarray
    ) -> MqlBatch:
        s, streams = self.scenario, self.draws
        n = len(lead)
        # Each array first on its stream, or a column of the per-MQL matrix (BATCH_PURPOSES):
        # acceptance, qualification, padding, neglect, SLA compliance.
        u_mql = streams.handoff.random((n, 5))
        agreed = (u_mql[:, 4] < s.org.sla.compliance) & s.org.sla.enabled
        planned = planned_attempts(
            s.followup,
            self.sla_min_attempts,
            n,
            streams.followup,
            self.neglect.attempt_factor,
            agreed,
        )
        ends = np.cumsum(planned)
        attempts = int(ends[-1]) if n else 0  # draws for the attempts planned, no more
        work = s.teams.sdr.work
        return MqlBatch(
            lead=lead,
            arrival=times.tolist(),
            fit=fit.tolist(),
            score=score.tolist(),
            planned=planned.tolist(),
            first=(ends - planned).tolist(),
            touch_hours=(work.touch_minutes.sample(streams.touch, attempts) / 60.0).tolist(),
            retry_gap=work.retry_gap_hours.sample(streams.retry, attempts).tolist(),
            contact_before=self.desk.rules.contact_deadlines(
                streams.qualification.random(attempts)
            ).tolist(),
            u_qualify=u_mql[:, 1].tolist(),
            u_pad=u_mql[:, 2].tolist(),
            u_neglect=u_mql[:, 3].tolist(),
            agreed=agreed.tolist(),
            sql_draws=self._sql_draws(u_mql[:, 0], streams.selling, streams.cycle, streams.deal),
        )

    def _sql_draws(
        self,
        u_accept: np.ndarray,
        win_rng: np.random.Generator,
        cycle_rng: np.random.Generator,
        deal_rng: np.random.Generator,
    ) -> list[tuple[float, float, float, float]]:
        """Per SQL: acceptance uniform, win uniform, cycle (working hours), deal size.

        A month's MQL batch passes a stream per array (``BATCH_PURPOSES``); dialed
        SQLs pass their source's one stream, drawn in fixed-size blocks.
        """
        sell, n = self.scenario.selling, u_accept.size
        u_win = win_rng.random(n)
        days = sell.cycle_days.sample(cycle_rng, n)
        cycle = self.clock.calendar_days_to_hours(1.0) * days
        deal = sell.deal_size.sample(deal_rng, n)
        return list(
            zip(u_accept.tolist(), u_win.tolist(), cycle.tolist(), deal.tolist(), strict=True)
        )

    def _close_month(self, month: int) -> None:
        s, book, clock = self.scenario, self.book, self.clock
        marketing = s.teams.marketing
        start, end = clock.month_start(month), clock.month_start(month + 1)
        hours = (
            self.marketers
            * marketing.hours_per_week
            * clock.weeks_per_month
            * clock.working_share(month)
        )
        content = (
            hours * marketing.work.content_share * self.productivity * self.marketing_skill
            - book["diverted_hours"][month] * marketing.work.content_share
            - self.split.content_hours_taken
        )
        book["content_hours"][month] = max(content, 0.0)
        self.stock.add_month(book["content_hours"][month])
        filled = sum(_overlap(sdr, start, end) for sdr in self.sdrs) / clock.hours_per_month
        book["sdr_filled_seats"][month] = filled
        for column, running_total in (
            ("touches", self.desk.touches),
            ("mqls_untouched", self.desk.untouched),
            ("opportunities_closed", self.floor.closed_sql_sourced),
        ):
            book[column][month] = running_total - sum(book[column][:month])
        book["pipeline_open"][month] = self.floor.in_system
        self.floor.finish()
        book["ae_working_area"][month] = self.floor.area_working
        book["ae_slot_area"][month] = self.floor.area_slots
        book["ae_filled_seats"][month] = self.ae_seats.filled_seat_months(start, end)
        book["ae_exits"][month] = self.ae_seats.exits - sum(book["ae_exits"][:month])
        book["ae_hires"][month] = self.ae_seats.hires - sum(book["ae_hires"][:month])
        recycled = np.array(self.to_nurture_ids, dtype=np.int64)
        self.pool.add(recycled, np.array(self.to_nurture_fit), month, month, self.draws.nurture)
        self.to_nurture_ids, self.to_nurture_fit = [], []
        self.diverting = 0
        for pulled in self.pulled:
            self.desk.restore(pulled)
        self.pulled = []
        self._close_sdr_months(month, end)

        sdr, ae = s.teams.sdr, s.teams.ae
        manager_review = s.org.sla.manager_review_hours_per_month if s.org.sla.enabled else 0.0
        book["sla_review_hours"][month] += manager_review
        costs = MonthCosts(
            programs=s.demand.program_spend_per_month,
            marketing=seat_cost(marketing.loaded_cost_per_year, self.marketers),
            sdr=seat_cost(sdr.loaded_cost_per_year, filled),
            management=(
                self.manager_month.booked_hours
                + manager_review
                + book["manager_selling_hours"][month]
            )
            * hourly_rate(
                self.manager.loaded_cost_per_year,
                self.manager.time.hours_per_week * clock.weeks_per_month * 12,
            ),
            overheads=self.split.overhead_cost,
            recruiting=book["sdr_hires"][month] * sdr.backfill.recruiting_cost_per_hire,
            ae=seat_cost(ae.loaded_cost_per_year, book["ae_filled_seats"][month])
            + book["ae_hires"][month] * ae.backfill.recruiting_cost_per_hire,
        )
        for part in MonthCosts.parts():
            book[f"cost_{part}"][month] = getattr(costs, part)

    def _close_sdr_months(self, month: int, end: float) -> None:
        """Book each SDR's month (the per-person table); forget those who left before ``end``."""
        columns = self.sdr_months
        for sdr in self.sdrs:
            if sdr.month_present > 0:
                for name, value in (
                    ("month", month),
                    ("seat", sdr.seat),
                    ("person", sdr.person),
                    ("present_hours", sdr.month_present),
                    ("busy_hours", sdr.month_busy),
                    ("outbound_hours", sdr.month_outbound),
                    ("touches", sdr.touches),
                ):
                    columns[name].append(float(value))
            sdr.month_present = sdr.month_busy = sdr.month_outbound = 0.0
            sdr.touches = 0
        self.sdrs = [sdr for sdr in self.sdrs if sdr.left_at > end]

    # ------------------------------------------------------------------ days

    def _close_day(self, month: int, day: int) -> None:
        s, clock, book = self.scenario, self.clock, self.book
        end = self.env.now
        begin = end - clock.hours_per_day
        sdr_team = s.teams.sdr
        share = (
            sdr_team.hours_per_week
            / (5 * clock.hours_per_day)
            * (1 - sdr_team.work.admin_share)
            * clock.working_share(month)
        )
        prospecting, skill = self._sdr_day(month, begin, end, share)
        outbound = s.followup.outbound
        if outbound.enabled and prospecting:
            booked = meetings_booked(prospecting, skill, outbound, self.draws.outbound)
            self._book_sqls(booked, "sqls_outbound", outbound.fit, self.draws.outbound, 0.0)
        if self.selling_hours_per_day > 0:
            self._manager_sells(month)
        pull = s.policies.quarter_end_pull
        if pull.enabled and day == pull.trigger_working_day:
            self._pull_sdrs(month, day)

        policy = s.policies.end_of_month_diversion
        if day == policy.trigger_working_day:
            self.diverting = diverted_marketers(
                policy,
                s.org.inside_sales_reports_to,
                book[self.target_book[0]][month],
                self.sql_target,
                day,
                clock.days_per_month,
                self.marketers,
            )
        elif self.diverting and day > policy.trigger_working_day:
            daily = s.teams.marketing.hours_per_week / 5
            book["diverted_hours"][month] += self.diverting * daily
            hours = [daily] * self.diverting
            dialing = [policy.dialing_skill] * self.diverting
            booked = meetings_booked(hours, dialing, outbound, self.draws.diversion)
            self._book_sqls(
                booked, "sqls_diverted", policy.fit, self.draws.diversion, policy.win_penalty
            )

    def _sdr_day(
        self, month: int, begin: float, end: float, share: float
    ) -> tuple[list[float], list[float]]:
        """Book each SDR's day in [begin, end); the prospecting hours and skills of those present.

        Once a working day per SDR, so written for speed: sums run in locals in
        the order the book would take them, and ``min``/``max`` of two floats as
        comparisons (the same values, NaN included: ``min(a, b)`` is ``b if b < a
        else a``).
        """
        book = self.book
        review_share, content_share = self.sla_review_share, self.own_content_share
        prospects = self.roles.prospects  # an MDR works inbound only (roles.py)
        review_total = book["sla_review_hours"][month]
        content_total = book["sdr_content_hours"][month]
        pulled_total = book["sdr_pulled_hours"][month]
        available = busy_total = 0.0
        prospecting: list[float] = []
        skill: list[float] = []
        for sdr in self.sdrs:
            left, hired = sdr.left_at, sdr.hired_at
            present = (end if end < left else left) - (begin if begin > hired else hired)
            # The hours of a touch in progress that fall after today are tomorrow's.
            touch_end = sdr.touch_end
            carried = touch_end - end if sdr.busy and touch_end > end else 0.0
            if present > 0:
                busy = sdr.busy_today - carried
                review = present * review_share  # the SLA's definitions and reviews
                free = present * share - busy
                free_floor = 0.0 if free < 0.0 else free
                review_booked = free_floor if free_floor < review else review
                if prospects(sdr.seat):
                    # A sales-run team's own content comes out of prospecting hours.
                    content = present * content_share
                    after_review = free - review
                    after_content = after_review - content
                    outbound_hours = 0.0 if after_content < 0.0 else after_content
                    left_for_content = 0.0 if after_review < 0.0 else after_review
                    content_booked = left_for_content if left_for_content < content else content
                else:
                    outbound_hours = content_booked = 0.0
                review_total += review_booked
                content_total += content_booked
                available += present
                busy_total += busy
                prospecting.append(outbound_hours)
                skill.append(sdr.skill)
                sdr.month_present += present
                sdr.month_busy += busy
                sdr.month_outbound += outbound_hours
                if sdr.pulled:
                    pulled_total += present
            sdr.busy_today = carried
        book["sla_review_hours"][month] = review_total
        book["sdr_content_hours"][month] = content_total
        book["sdr_pulled_hours"][month] = pulled_total
        book["sdr_present_hours"][month] += available
        book["sdr_busy_hours"][month] += busy_total
        book["outbound_hours"][month] += sum(prospecting)
        return prospecting, skill

    def _manager_sells(self, month: int) -> None:
        """A player-coach's prospecting day: outbound SQLs from her own stream."""
        hours, outbound = self.selling_hours_per_day, self.scenario.followup.outbound
        self.book["manager_selling_hours"][month] += hours
        if outbound.enabled:
            rng = self.draws.player_coach
            skill = self.manager.player_coach.selling_skill
            booked = meetings_booked([hours], [skill], outbound, rng)
            self._book_sqls(booked, "sqls_outbound", outbound.fit, rng, 0.0, pool="player_coach")

    def _pull_sdrs(self, month: int, day: int) -> None:
        """Sales behind at quarter end takes SDRs off inbound for the rest of the month."""
        s = self.scenario
        present = [sdr for sdr in self.seats if sdr is not None]
        count = pulled_sdrs(
            s.policies.quarter_end_pull,
            s.org.inside_sales_reports_to,
            self.clock.months_from_january(month),  # sales' quarters follow the calendar
            self.book[self.target_book[0]][month],
            self.sql_target,
            day,
            self.clock.days_per_month,
            len(present),
        )
        for sdr in present[:count]:
            self.desk.pull(sdr)
            self.pulled.append(sdr)

    def _book_sqls(
        self,
        count: int,
        source: str,
        fit_dist: Distribution,
        rng: np.random.Generator,
        push_penalty: float,
        pool: str | None = None,
    ) -> None:
        """SQLs booked by dialing (SDR outbound or diverted marketers), handed off at once.

        Their random numbers come in blocks from the source's own stream, so a
        dialed SQL costs no NumPy call of its own.
        """
        if count == 0:
            return
        month, kind = self.month, source.removeprefix("sqls_")
        self.book["sqls"][month] += count
        self.book[source][month] += count
        drawn = self.dialed_draws.setdefault(pool or source, [])
        while len(drawn) < count:
            fits = fit_dist.sample(rng, DIALED_BLOCK).tolist()
            block = self._sql_draws(rng.random(DIALED_BLOCK), rng, rng, rng)
            drawn[:0] = [(fit, draws) for fit, draws in zip(fits, block, strict=True)][::-1]
        for _ in range(count):
            fit, draws = drawn.pop()
            self._handoff(fit, False, draws, push_penalty, self.acceptance.sla, kind)

    # ------------------------------------------------------------------ callbacks

    def _skill(self, sdr: SDR, time: float) -> float:
        tenure = (time - sdr.hired_at) / self.clock.hours_per_month
        return effective_skill(
            sdr.base_skill, tenure, self.scenario.teams.sdr.ramp, self.skill_factor
        )

    def _behind_target(self, now: float) -> bool:
        elapsed = (now - self.clock.month_start(self.month)) / self.clock.hours_per_month
        return is_behind(self.book[self.target_book[0]][self.month], self.sql_target, elapsed)

    def _on_inbound_sql(self, batch: MqlBatch, row: int, padded: bool) -> None:
        month = self.month
        self.book["sqls"][month] += 1
        self.book["sqls_inbound"][month] += 1
        if padded:
            self.book["sqls_padded"][month] += 1
        opened = self._handoff(
            batch.fit[row], padded, batch.sql_draws[row], 0.0, batch.agreed[row], "inbound"
        )
        if self.source_names:
            name = self.source_names[batch.lead[row] % len(self.source_names)]
            self.sqls_of[name][month] += 1
            if opened is not None:
                self.opportunities_of[name][month] += 1
                self.opened_from[id(opened)] = name

    def _handoff(
        self,
        fit: float,
        padded: bool,
        draws: tuple[float, float, float, float],
        push_penalty: float,
        agreed: bool,
        source: str,
    ) -> Opportunity | None:
        """Sales accepts the SQL or not; ``agreed``: handed over under the SLA's definitions."""
        u_accept, u_win, cycle, deal = draws
        rule = self.outbound_acceptance if source == "outbound" else self.acceptance
        if u_accept >= rule.probability(fit, padded, agreed):
            if self.review_hours_per_rejected_sql:  # an AE reviewed it first
                self.book["ae_review_hours"][self.month] += self.review_hours_per_rejected_sql
            return None
        self.book["opportunities"][self.month] += 1
        self.opportunities_of[source][self.month] += 1
        self.book["pipeline_value"][self.month] += deal
        if source == "diverted":
            self.book["pipeline_value_diverted"][self.month] += deal
        opportunity = Opportunity(self.env.now, fit, u_win, cycle, deal, push_penalty, source)
        self.floor.open_opportunity(opportunity)
        return opportunity

    def _on_sourced(self, event: simpy.Event) -> None:
        """An AE- or partner-sourced opportunity reaches the floor (pipeline.py)."""
        deal = cast(SourcedDeal, event.value)
        self.opportunities_of[deal.source][self.month] += 1
        self.floor.open_opportunity(
            Opportunity(
                self.env.now, deal.fit, deal.u_win, deal.cycle_hours, deal.deal, 0.0, deal.source
            )
        )

    def _on_close(self, now: float, won: bool, opportunity: Opportunity) -> None:
        lead_source = self.opened_from.pop(id(opportunity), None)
        if won:
            month = self.clock.month_of(now)
            self.wins_of[opportunity.source][month] += 1
            if opportunity.source in SQL_SOURCES:
                self.book["wins"][month] += 1
                self.book["revenue"][month] += opportunity.deal
            else:
                self.book["revenue_other_sources"][month] += opportunity.deal
            if lead_source is not None:
                self.wins_of[lead_source][month] += 1

    def _on_nurture(self, lead: int, fit: float) -> None:
        self.to_nurture_ids.append(lead)
        self.to_nurture_fit.append(fit)

    def _on_exit(self, event: simpy.Event) -> None:
        """An SDR gives notice: the desk lets them go when their touch in progress ends."""
        seat = cast(int, event.value)
        sdr = self.seats[seat]
        if sdr is None:
            return
        self.seats[seat] = None
        self.book["sdr_exits"][self.month] += 1
        if self.roles.works_inbound(seat):
            self.desk.leave(sdr)
        else:  # an outbound-only SDR is not on the desk: gone at once
            sdr.left_at = self.env.now
            self._on_departed(sdr)

    def _plan_seats(self, planned: int) -> None:
        """Open or close seats to the hiring plan's count; new seats are recruited for."""
        opened = range(self.open_seats, planned)
        closed = range(planned, self.open_seats)
        self.open_seats = planned  # first, so a seat closed now is not backfilled
        self.seats.extend([None] * (planned - len(self.seats)))
        for seat in closed:
            sdr = self.seats[seat]
            if sdr is not None:
                self.seats[seat] = None
                self.desk.leave(sdr)
        for seat in opened:
            if self.seats[seat] is None and seat not in self.recruiting:
                self._recruit(seat, self.streams.hiring, self.streams.hiring_skill, at_once=True)

    def _recruit(
        self,
        seat: int,
        delay_rng: np.random.Generator,
        skill_rng: np.random.Generator,
        at_once: bool,
    ) -> None:
        """A hire into ``seat`` after the backfill delay (``at_once`` with backfill off: a new seat).

        The delay and the hire's skill come from streams of their own, so a hire shifts no later delay.
        """
        backfill = self.scenario.teams.sdr.backfill
        if backfill.enabled:
            days = float(backfill.days.sample(delay_rng, 1)[0])
            delay = self.clock.calendar_days_to_hours(days)
        elif at_once:
            delay = 0.0
        else:
            return
        self.recruiting.add(seat)
        self.env.timeout(delay, (seat, skill_rng)).callbacks.append(self._on_hire)

    def _on_departed(self, sdr: SDR) -> None:
        """The seat is empty from now: recruiting for it starts, so no two people hold it."""
        if sdr.seat < self.open_seats:
            self._recruit(
                sdr.seat, self.streams.backfill, self.streams.backfill_skill, at_once=False
            )

    def _on_hire(self, event: simpy.Event) -> None:
        seat, skill_rng = cast(tuple[int, np.random.Generator], event.value)
        self.recruiting.discard(seat)
        if seat >= self.open_seats or self.seats[seat] is not None:
            return  # the plan closed the seat meanwhile, or it was filled
        sdr_team = self.scenario.teams.sdr
        skill = float(sdr_team.skill.sample(skill_rng, 1)[0])
        sdr = SDR(seat, skill, self.env.now, person=self.people)
        self.people += 1
        sdr.skill = self._skill(sdr, self.env.now)
        self.seats[seat] = sdr
        self.sdrs.append(sdr)
        self.book["sdr_hires"][self.month] += 1
        if self.roles.works_inbound(seat):
            self.desk.join(sdr)


class _StageColumns(dict[str, list[float]]):
    """The book's ``<stage>_<name>`` columns by name, each looked up the first time it is booked."""

    def __init__(self, book: dict[str, list[float]], stage: str) -> None:
        super().__init__()
        self._book, self._stage = book, stage

    def __missing__(self, name: str) -> list[float]:
        column = self[name] = self._book[source_column(self._stage, name)]
        return column


def _overlap(sdr: SDR, begin: float, end: float) -> float:
    """Hours of [begin, end) during which ``sdr`` held the seat."""
    return max(min(sdr.left_at, end) - max(sdr.hired_at, begin), 0.0)
