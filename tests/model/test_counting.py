"""Stage counts against binomial expectations when capacity is unlimited and chances fixed."""

from __future__ import annotations

import math

import numpy as np
from model_helpers import build, replicate
from scipy import stats

FIT, REFERENCE = 0.5, 0.6
NOISE, THRESHOLD = 0.1, 0.55
CONTACT, QUALIFY_RATE, ACCEPT, WIN_RATE = 0.4, 0.6, 0.8, 0.3


def fixed_chance_funnel():
    return build(
        {
            "calendar.months": 6,
            "demand.leads_per_month": 1500,
            "demand.content.enabled": False,
            "demand.fit": FIT,
            "scoring.mql_threshold": THRESHOLD,
            "scoring.noise_sd": NOISE,
            "teams.marketing.skill": 1.0,
            "scoring.nurture.enabled": False,
            "teams.sdr.headcount": 30,
            "teams.sdr.skill": 1.0,
            "teams.sdr.ramp.enabled": False,
            "teams.sdr.attrition.enabled": False,
            "teams.sdr.work.inbound_check_interval_hours": 0,
            "management.sdr_manager.coaching.enabled": False,
            "followup.max_attempts": 1,
            "followup.fit_reference": REFERENCE,
            "followup.qualification_rate": QUALIFY_RATE,
            "followup.speed_to_lead.enabled": False,
            "followup.speed_to_lead.contact_immediate": CONTACT,
            "followup.outbound.enabled": False,
            "policies.handoff.padding.enabled": False,
            "policies.handoff.acceptance_rate_without_sla": ACCEPT,
            "policies.handoff.fit_elasticity": 0.0,
            "teams.ae.skill": 1.0,
            "teams.ae.ramp.enabled": False,
            "selling.enabled": False,
            "selling.win_rate": WIN_RATE,
            "selling.fit_elasticity": 0.0,
            "selling.cycle_days": 5,
        }
    )


def assert_binomial(successes: np.ndarray, trials: np.ndarray, chance: float) -> None:
    """Pooled over replications, successes lie within 3 standard errors of trials x chance."""
    expected = trials.sum() * chance
    standard_error = math.sqrt(trials.sum() * chance * (1 - chance))
    assert abs(successes.sum() - expected) < 3 * standard_error, (successes.sum(), expected)


def test_every_stage_count_matches_its_binomial_expectation():
    runs = replicate(fixed_chance_funnel(), n=20)
    p_mql = stats.norm.sf((THRESHOLD - FIT) / NOISE)
    p_sql = CONTACT * QUALIFY_RATE * FIT / REFERENCE
    assert_binomial(runs["mqls"].to_numpy(), runs["leads"].to_numpy(), p_mql)
    assert_binomial(runs["sqls"].to_numpy(), runs["touches"].to_numpy(), p_sql)
    assert_binomial(runs["opportunities"].to_numpy(), runs["sqls"].to_numpy(), ACCEPT)
    assert_binomial(runs["wins"].to_numpy(), runs["opportunities_closed"].to_numpy(), WIN_RATE)


def test_lead_counts_are_poisson_with_the_configured_rate():
    runs = replicate(fixed_chance_funnel(), n=20)
    leads = runs["leads"].to_numpy()
    mean = 1500 * 6
    assert abs(leads.mean() - mean) < 3 * math.sqrt(mean / leads.size)
