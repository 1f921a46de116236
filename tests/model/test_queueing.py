"""The model against queueing theory nobody here chose: Erlang C and Little's law."""

from __future__ import annotations

import math

import numpy as np
from model_helpers import HOURS_PER_MONTH, build, replicate, single_touch_desk
from scipy import integrate, stats


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C via Erlang B)."""
    offered = arrival_rate / service_rate
    load = offered / servers
    erlang_b = stats.poisson.pmf(servers, offered) / stats.poisson.cdf(servers, offered)
    erlang_c = erlang_b / (1 - load * (1 - erlang_b))
    return erlang_c / (servers * service_rate - arrival_rate)


def mm_c_desk(arrival_rate: float, touch_hours: float, sdrs: int):
    """Poisson MQL arrivals, exponential one-touch work, FIFO, no decay, nothing else on."""
    touch = {"dist": "exponential", "mean": touch_hours * 60}
    return single_touch_desk(arrival_rate, touch, sdrs, interval=0.0, months=4, warm_up=1)


def test_first_touch_wait_matches_erlang_c():
    arrival_rate, touch_hours, sdrs = 4.8, 0.5, 3  # load 0.8
    runs = replicate(mm_c_desk(arrival_rate, touch_hours, sdrs), n=40)
    waits = runs["speed_to_lead_hours_mean"]
    expected = erlang_c_wait(arrival_rate, 1 / touch_hours, sdrs)
    standard_error = waits.std(ddof=1) / math.sqrt(len(waits))
    assert abs(waits.mean() - expected) < 3 * standard_error, (
        waits.mean(),
        expected,
        standard_error,
    )
    assert (runs["touches"] > 0).all()


def test_more_sdrs_mean_shorter_waits_as_erlang_c_predicts():
    few = replicate(mm_c_desk(4.8, 0.5, 3), n=20)["speed_to_lead_hours_mean"].mean()
    many = replicate(mm_c_desk(4.8, 0.5, 4), n=20)["speed_to_lead_hours_mean"].mean()
    assert many < few
    assert erlang_c_wait(4.8, 2, 4) < erlang_c_wait(4.8, 2, 3)


def test_open_opportunities_obey_littles_law_for_an_infinite_server_sales_floor():
    """With unlimited AE capacity the pipeline is M/G/inf: E[open at t] = rate * int_0^t P(cycle > u) du.

    Every lead becomes an opportunity a constant few minutes after it arrives,
    so opportunities arrive as a Poisson process at the lead rate. The
    time-average pipeline over [0, T] then has expectation
    rate/T * int_0^T (T - u) P(cycle > u) du, which tends to Little's
    rate x mean cycle as T grows.
    """
    months, rate_per_month = 12, 30.0
    scenario = build(
        {
            "calendar.months": months,
            "demand.leads_per_month": rate_per_month,
            "demand.content.enabled": False,
            "demand.fit": 0.6,
            "scoring.enabled": False,
            "scoring.mql_threshold": 0.0,
            "scoring.nurture.enabled": False,
            "teams.sdr.attrition.enabled": False,
            "teams.sdr.work.touch_minutes": 0.6,
            "teams.sdr.work.inbound_check_interval_hours": 0,
            "followup.max_attempts": 1,
            "followup.speed_to_lead.enabled": False,
            "followup.speed_to_lead.contact_immediate": 1.0,
            "followup.qualification_rate": 1.0,
            "followup.outbound.enabled": False,
            "org.sla.enabled": True,
            "org.sla.min_attempts": 1,
            "org.sla.acceptance_rate": 1.0,
            "management.sdr_manager.coaching.enabled": False,
            "teams.sdr.skill": 1.0,
            "teams.sdr.ramp.enabled": False,
            "selling.enabled": False,
            "selling.ae_sourced.enabled": False,
            "selling.partner.enabled": False,
        }
    )
    runs = replicate(scenario, n=40)
    horizon = months * HOURS_PER_MONTH
    rate = rate_per_month / HOURS_PER_MONTH
    cycle = scenario.selling.cycle_days
    hours_per_day = HOURS_PER_MONTH / (365.25 / 12)
    cycle_hours = stats.lognorm(s=cycle.sigma, scale=cycle.median * hours_per_day)
    expected, _ = integrate.quad(lambda u: (horizon - u) * cycle_hours.sf(u), 0, horizon, limit=200)
    expected *= rate / horizon
    observed = runs["pipeline_open_mean"]
    standard_error = observed.std(ddof=1) / math.sqrt(len(observed))
    assert abs(observed.mean() - expected) < 3 * standard_error, (observed.mean(), expected)
    # Little's law at steady state: the long-run pipeline is rate x mean cycle
    assert np.isclose(rate * cycle_hours.mean(), rate * cycle.mean * hours_per_day)
