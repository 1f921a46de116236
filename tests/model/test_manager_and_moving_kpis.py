"""The manager (background, learning curve, player-coach) and moving KPIs (the target's
metric, sales' quarter-end pull), each in the direction the articles claim.

Arithmetic is checked exactly against its formula. Claims about outcomes are
paired on common random numbers: the paired mean difference must be more than
three standard errors (``paired_z``: mean difference over sd / sqrt(n) of the
replication-by-replication differences) in the claimed direction, which a
mechanism with no effect passes about once in 740 runs per one-sided claim.
Orgs are the default size, horizons 3-6 months, 5-20 replications.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from model_helpers import build, monthly, paired_z, replicate, shipped

from orgsim.model.followup import FollowUpDesk
from orgsim.model.manager_learning import learning_factor
from orgsim.model.player_coach import team_time
from orgsim.model.quarter_end_pull import pulled_sdrs
from orgsim.model.replication import Replication
from orgsim.model.streams import Streams
from orgsim.model.targets import padding_credit, planned_yield
from orgsim.scenario import ScenarioError, load
from orgsim.scenario.distributions import Beta
from orgsim.scenario.schema import (
    ManagerLearning,
    ManagerTime,
    PlayerCoach,
    QuarterEndPull,
    Scenario,
)

N = 20
STEADY_TEAM = {"teams.sdr.attrition.enabled": False}
"""Eight SDRs in their seats all run: a dedicated manager's coverage is then exactly 1."""


# --------------------------------------------------------------------------- the manager


def test_a_sales_background_manager_hired_into_marketing_coaches_as_one_from_sales():
    """Background is a lever of its own: the reporting line does not change who manages."""
    base = {"calendar.months": 3, "org.inside_sales_reports_to": "marketing"}
    hired_from_sales = build({**base, "management.sdr_manager.background": "sales"})
    assert hired_from_sales.management.sdr_manager.skill == Beta(mean=0.8, sd=0.08)
    from_marketing = build({**base, "management.sdr_manager.background": "marketing"})
    in_sales = build({"calendar.months": 3})
    for i in range(3):
        hired, marketer, sales = (
            monthly(scenario, 1, seed=20 + i)[0]
            for scenario in (hired_from_sales, from_marketing, in_sales)
        )
        np.testing.assert_array_equal(hired["coaching_quality"], sales["coaching_quality"])
        assert (marketer["coaching_quality"] < hired["coaching_quality"]).all()


def test_the_learning_curve_rises_linearly_from_its_start_fraction_to_one():
    learning = ManagerLearning(enabled=True, start_fraction=0.4, months=5)
    assert [learning_factor(learning, m) for m in range(7)] == pytest.approx(
        [0.4, 0.52, 0.64, 0.76, 0.88, 1.0, 1.0]
    )
    assert learning_factor(ManagerLearning(), 0) == 1.0  # off by default


def test_a_manager_new_to_sdrs_coaches_below_her_skill_and_the_team_books_fewer_sqls():
    """'Sales management is a skill that few marketers have ... a bumpy road' (first article)."""
    base = {"calendar.months": 5, **STEADY_TEAM}
    new = {
        **base,
        "management.sdr_manager.learning.enabled": True,
        "management.sdr_manager.learning.months": 4,
    }
    seasoned_months, new_months = monthly(build(base), N), monthly(build(new), N)
    expected = [0.5, 0.625, 0.75, 0.875, 1.0]  # from half her skill to all of it in 4 months
    for seasoned, learning in zip(seasoned_months, new_months, strict=True):
        # coverage is 1 throughout, so coaching quality is her skill times the curve, exactly
        ratio = learning["coaching_quality"] / seasoned["coaching_quality"]
        np.testing.assert_allclose(ratio, expected, rtol=1e-12)
    sqls = [
        pd.Series([m["sqls"].sum() for m in months]) for months in (seasoned_months, new_months)
    ]
    assert paired_z(*sqls) < -3


def test_a_player_coachs_week_keeps_her_other_work_and_gives_the_team_the_rest():
    time = ManagerTime(hours_per_week=45, planned_share=0.25)
    coached = team_time(time, PlayerCoach(enabled=True, selling_share=0.1))
    assert coached.hours_per_week * coached.planned_share == pytest.approx(45 * 0.15)
    assert coached.hours_per_week * (1 - coached.planned_share) == pytest.approx(45 * 0.75)
    assert team_time(time, PlayerCoach()) is time


def test_a_player_coach_adds_outbound_sqls_and_coaches_less_once_her_team_needs_the_hours():
    """Her prospecting adds SDR capacity; the hours come out of her coaching."""
    base = {"calendar.months": 4, **STEADY_TEAM}
    coach = {**base, "management.sdr_manager.player_coach.enabled": True}
    manager, coaching = replicate(build(base), N), replicate(build(coach), N)
    np.testing.assert_allclose(coaching["manager_selling_hours"], 0.25 * 45 / 5 * 21 * 4)
    assert paired_z(manager["sqls_outbound"], coaching["sqls_outbound"]) > 3
    # 45 h less a quarter leaves 33.75 h a week for a team that needs 8 x 3.5 = 28 h: no loss
    np.testing.assert_array_equal(manager["coaching_quality"], coaching["coaching_quality"])
    # selling half her week leaves 22.5 h: coverage 22.5 / 28, and she is paid for the whole week
    half = {**coach, "management.sdr_manager.player_coach.selling_share": 0.5}
    stretched = replicate(build(half), 5)
    np.testing.assert_allclose(
        stretched["coaching_quality"] / manager["coaching_quality"][:5], 22.5 / 28, rtol=1e-12
    )
    np.testing.assert_allclose(
        stretched["cost_management"], manager["cost_management"][:5], rtol=1e-12
    )


def test_a_player_coach_sells_only_from_the_hours_planned_for_her_team():
    overrides = {
        "management.sdr_manager.time.planned_share": 0.25,
        "management.sdr_manager.player_coach.enabled": True,
        "management.sdr_manager.player_coach.selling_share": 0.3,
    }
    with pytest.raises(ScenarioError) as caught:
        load(shipped_path("marketing_owns_inside_sales"), overrides)
    message = str(caught.value)
    assert "player_coach.selling_share" in message and "planned_share" in message


def test_the_new_keys_are_checked_with_messages_naming_them():
    cases = {
        "policies.sql_target.metric": ("opportunities", "did you mean 'accepted_opportunities'"),
        "policies.quarter_end_pull.trigger_working_day": (25, "only 21 working days"),
        "management.sdr_manager.learning.start_fraction": (0, "must be more than 0 and at most 1"),
    }
    for key, (value, expected) in cases.items():
        with pytest.raises(ScenarioError) as caught:
            load(shipped_path("sales_owns_inside_sales"), {key: value})
        message = str(caught.value)
        assert key in message and expected in message, message


# --------------------------------------------------------------------------- the target's metric


def test_what_a_padded_sql_earns_depends_on_what_the_target_counts():
    assert padding_credit("sql_count", 0.3) == 1.0
    assert padding_credit("accepted_opportunities", 0.3) == 0.3
    assert padding_credit("pipeline_value", 0.3) == 0.3
    scenario = build({"policies.sql_target.metric": "pipeline_value"})
    assert planned_yield(scenario) == pytest.approx(0.7 * 25000 * math.exp(0.6**2 / 2))


def test_a_target_on_accepted_opportunities_removes_most_of_the_padding():
    """AEs reject weak SQLs, so passing them no longer meets the goal (second article)."""
    base = {"calendar.months": 4}
    sql_count = replicate(build(base), N)
    accepted = replicate(build({**base, "policies.sql_target.metric": "accepted_opportunities"}), N)
    assert paired_z(sql_count["sqls_padded"], accepted["sqls_padded"]) < -3
    assert paired_z(sql_count["sql_to_opportunity"], accepted["sql_to_opportunity"]) > 3


def test_diversion_and_the_run_rate_read_the_metric_the_target_counts():
    """With accepted opportunities, each month's target is the team's own recent opportunities.

    The run rate runs through the warm-up: the first simulated month's target is the planned
    140 SQLs at 0.7 acceptance, and every later month's, the first reported one's included, is
    the mean of the (up to) three months before it, warm-up months counted (targets.py).
    """
    scenario = shipped(
        "marketing_owns_inside_sales_with_diversion",
        {"policies.sql_target.metric": "accepted_opportunities"},
    )
    warm_up = scenario.calendar.warm_up_months
    assert warm_up > 0  # so the first reported month's target is a run rate, not the plan
    for i in range(3):
        rep = Replication(scenario, Streams.for_replication(11, i))
        reported = rep.run().monthly
        book = {name: np.asarray(values) for name, values in rep.book.items()}
        np.testing.assert_array_equal(reported["sql_target"], book["sql_target"][warm_up:])
        assert book["sql_target"][0] == pytest.approx(140 * 0.7)
        team = book["opportunities_inbound"] + book["opportunities_outbound"]
        for month in range(1, warm_up + 12):
            recent = team[max(0, month - 3) : month]
            assert book["sql_target"][month] == pytest.approx(recent.mean(), rel=1e-12)


# --------------------------------------------------------------------------- the quarter-end pull


def test_the_pull_needs_a_sales_run_team_a_quarters_last_month_its_trigger_day_and_a_shortfall():
    policy = QuarterEndPull(enabled=True)
    args = {"monthly_target": 100, "day": 16, "days_per_month": 21, "sdrs": 8}
    # months from January: 2 is March, a quarter's end; 1 is February; 14 the next March
    assert pulled_sdrs(policy, "sales", 2, to_date=50, **args) == 4
    assert pulled_sdrs(policy, "sales", 14, to_date=50, **args) == 4
    assert pulled_sdrs(policy, "sales", 2, to_date=90, **args) == 0  # on track
    assert pulled_sdrs(policy, "sales", 1, to_date=50, **args) == 0  # not a quarter's end
    assert pulled_sdrs(policy, "marketing", 2, to_date=50, **args) == 0
    anyone = QuarterEndPull(enabled=True, applies_to="any_team")
    assert pulled_sdrs(anyone, "marketing", 2, to_date=50, **args) == 4
    assert pulled_sdrs(QuarterEndPull(), "sales", 2, to_date=50, **args) == 0


PULL = {
    "calendar.months": 3,
    "policies.quarter_end_pull.enabled": True,
    "policies.quarter_end_pull.share_of_sdrs": 1.0,
    "policies.sql_target.basis": "fixed",
    "policies.sql_target.monthly": 10_000,  # behind every month, so the quarter's end pulls
    **STEADY_TEAM,
}
KEPT = {**PULL, "policies.quarter_end_pull.enabled": False}


def books(scenario: Scenario, n: int, seed: int = 11) -> list[dict[str, list[float]]]:
    """Each replication's whole monthly book, warm-up months first (simulated month order)."""
    kept = []
    for i in range(n):
        rep = Replication(scenario, Streams.for_replication(seed, i))
        rep.run()
        kept.append(rep.book)
    return kept


def test_sales_pulling_sdrs_off_inbound_at_quarter_end_costs_marketings_mqls():
    """'Moving KPIs down-funnel is a bad idea, too' (second article): MQLs wait while SDRs dial."""
    kept = replicate(build(KEPT), N)
    pulled = replicate(build(PULL), N)
    # all 8 SDRs, for the 5 working days after day 16 of month 3, 8 hours a day
    np.testing.assert_allclose(pulled["sdr_pulled_hours"], 8 * 5 * 8, rtol=1e-12)
    assert paired_z(kept["speed_to_lead_hours_p90"], pulled["speed_to_lead_hours_p90"]) > 3
    assert paired_z(kept["sqls_inbound"], pulled["sqls_inbound"]) < -3
    # The pulled prospect in the quarter's last month (March); the inbound work they leave is
    # done later, so over whole quarters the hours move rather than grow: December's pull, in
    # the warm-up, takes January's. The claim is the quarter-end month's.
    march = [book["outbound_hours"][-1] for book in books(build(PULL), N)]
    march_kept = [book["outbound_hours"][-1] for book in books(build(KEPT), N)]
    assert paired_z(pd.Series(march_kept), pd.Series(march)) > 3


def test_sales_quarters_follow_the_calendar_not_the_warm_up():
    """Quarters close in March, June, September and December, whichever month the reported
    period starts in and however many warm-up months come before it."""
    assert build(PULL).calendar.warm_up_months == 4  # simulated months 0-3, then 3 reported
    # reported from January: Sep Oct Nov Dec | Jan Feb Mar; from February: Oct .. Jan | Feb Mar Apr
    pulled_in = {1: (0, 3, 6), 2: (2, 5), 3: (1, 4)}
    for start_month, months in pulled_in.items():
        for book in books(build({**PULL, "calendar.start_month": start_month}), 2):
            expected = [8 * 5 * 8 if m in months else 0.0 for m in range(7)]  # 8 SDRs, days 17-21
            np.testing.assert_allclose(book["sdr_pulled_hours"], expected, rtol=1e-12)


def test_only_a_sales_run_team_is_pulled():
    marketing = {**PULL, "org.inside_sales_reports_to": "marketing"}
    on = replicate(build(marketing), 3)
    off = replicate(build({**marketing, "policies.quarter_end_pull.enabled": False}), 3)
    assert (on["sdr_pulled_hours"] == 0).all()
    assert on["sqls"].equals(off["sqls"])


def test_the_desk_keeps_its_policy_through_pulls_exits_and_returns(monkeypatch):
    """Pulled SDRs leave the desk and come back at month end, and may give notice meanwhile."""
    run, pull, restore = FollowUpDesk._run, FollowUpDesk.pull, FollowUpDesk.restore
    pulls: list[int] = []

    def checked(original):
        def step(desk, *args):
            original(desk, *args)
            desk.check_invariants()

        return step

    def counted_pull(desk, sdr):
        pulls.append(sdr.person)
        checked(pull)(desk, sdr)

    monkeypatch.setattr(FollowUpDesk, "_run", checked(run))
    monkeypatch.setattr(FollowUpDesk, "pull", counted_pull)
    monkeypatch.setattr(FollowUpDesk, "restore", checked(restore))
    every_month_and_many_exits = {
        "teams.sdr.attrition.enabled": True,
        "teams.sdr.attrition.monthly_rate": 0.5,
        "policies.quarter_end_pull.months_per_quarter": 1,
    }
    results = replicate(build({**PULL, **every_month_and_many_exits}), 3)
    assert pulls and (results["sdr_exits"] > 0).all()
    assert (results["touches"] > 0).all()


# --------------------------------------------------------------------------- sales-made content


def test_a_sales_run_team_making_its_own_content_loses_those_hours_of_prospecting():
    """'Sales people should be selling, not creating their own MOFU and BOFU products' (second
    article): the mirror of marketers making a marketing-run team's follow-up content."""
    # without padding, fewer outbound SQLs cannot change which MQLs go to nurture, so the
    # inbound desk works exactly the same MQLs and the hours come from prospecting alone
    base = {"calendar.months": 3, "policies.handoff.padding.enabled": False, **STEADY_TEAM}
    own = {**base, "policies.sales_made_content.enabled": True}
    supplied, making = replicate(build(base), N), replicate(build(own), N)
    hours = 6 * 8 * 3  # 6 h a month for each of 8 SDRs, 3 months
    np.testing.assert_allclose(making["sdr_content_hours"], hours, rtol=1e-12)
    np.testing.assert_allclose(
        supplied["outbound_hours"] - making["outbound_hours"], hours, rtol=1e-9
    )
    assert paired_z(supplied["sqls_outbound"], making["sqls_outbound"]) < -3
    marketing = {**own, "org.inside_sales_reports_to": "marketing"}
    assert (replicate(build(marketing), 2)["sdr_content_hours"] == 0).all()


def shipped_path(name: str):
    from model_helpers import SCENARIOS

    return SCENARIOS / f"{name}.yaml"
