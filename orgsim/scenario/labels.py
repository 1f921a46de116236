"""What to call a setting on an axis or in a table: ``SDR manager's planned share``, not a dotted key.

The schema's descriptions are sentences with sources, too long for a tick
label; a chart needs a few words. The settings people vary (the assumed
ranges of sensitivity and discover, the levers of sweeps and the workshop)
have a short label here; any other key reads as its last words, so no chart
shows ``management.sdr_manager.time.planned_share``.
"""

from __future__ import annotations

import re

SETTING_LABELS = {
    "demand.leads_per_month": "leads a month",
    "demand.fit.mean": "mean lead fit",
    "demand.content.lead_elasticity": "leads' response to content",
    "teams.sdr.headcount": "SDR headcount",
    "teams.marketing.headcount": "marketing headcount",
    "teams.ae.headcount": "AE headcount",
    "teams.sdr.attrition.poor_coaching_sensitivity": "SDR attrition from poor coaching",
    "teams.sdr.work.inbound_check_interval_hours": "SDRs' inbound check interval (h)",
    "teams.sdr.roles.inbound_share": "MDR share of SDR seats",
    "teams.ae.work.hours_per_opportunity": "AE hours per opportunity",
    "teams.ae.work.hours_per_rejected_sql": "AE hours per rejected SQL",
    "management.sdr_manager.time.planned_share": "SDR manager's planned share of week",
    "management.sdr_manager.time.hours_needed_per_rep_per_week": "manager hours an SDR needs a week",
    "management.sdr_manager.time.leadership_dependency": "marketers' dependence on their leader",
    "management.sdr_manager.coaching_lift": "lift from full coaching",
    "management.sdr_manager.skill_by_background.sales.mean": "skill of a manager from sales",
    "management.sdr_manager.skill_by_background.marketing.mean": "skill of a manager from marketing",
    "management.sdr_manager.learning.start_fraction": "new manager's starting skill share",
    "management.sdr_manager.learning.months": "months to a manager's full skill",
    "management.sdr_manager.player_coach.selling_share": "player-coach's selling share",
    "management.sdr_manager.player_coach.selling_skill": "player-coach's selling skill",
    "policies.multichannel.contact_lift": "multichannel contact lift",
    "policies.handoff.friction.acceptance_penalty": "handoff friction's acceptance penalty",
    "policies.handoff.neglect.drop_share": "MQLs a sales-run team never works",
    "policies.handoff.neglect.attempt_factor": "sales-run team's attempts factor",
    "policies.handoff.neglect.check_interval_factor": "sales-run team's slower inbound checks",
    "policies.closed_loop.noise_reduction": "closed loop's scoring-noise cut",
    "policies.closed_loop.fit_lift": "closed loop's lead-fit lift",
    "policies.end_of_month_diversion.share_of_marketers": "marketers diverted at month end",
    "policies.end_of_month_diversion.trigger_working_day": "month-end diversion's trigger day",
    "policies.quarter_end_pull.share_of_sdrs": "SDRs pulled at quarter end",
    "policies.sales_made_content.hours_per_sdr_per_month": "SDR hours on sales-made content",
    "policies.split_org.tools_and_training_per_month": "split-org tools and training ($/month)",
    "org.inside_sales_reports_to": "who inside sales reports to",
    "org.sla.enabled": "signed SLA",
    "management.sdr_manager.time.overflow_policy": "manager's overflow policy",
    "org.sla.sql_definition_fit": "SLA's SQL definition (fit)",
    "org.sla.compliance": "SLA compliance",
    "followup.speed_to_lead.contact_half_life_hours": "contact chance half-life (h)",
    "followup.outbound.dials_per_meeting": "dials per meeting",
    "selling.ae_sourced.per_ae_per_month": "AE-sourced opportunities per AE",
    "selling.win_rate": "win rate",
    "followup.qualification_rate": "qualification rate",
}
"""Short labels of the settings people vary, lower case as in a sentence."""

_WORDS = {"sdr": "SDR", "sdrs": "SDRs", "ae": "AE", "aes": "AEs", "sla": "SLA", "mql": "MQL"}


def setting_label(key: str) -> str:
    """A few words for dotted ``key``: its label above, else its last two parts as words."""
    if key in SETTING_LABELS:
        return SETTING_LABELS[key]
    parts = [part for part in key.split(".") if part not in {"mean", "median", "value"}]
    words = " ".join(re.split(r"[_\s]+", " ".join(parts[-2:])))
    return " ".join(_WORDS.get(word, word) for word in words.split())


def setting_title(key: str) -> str:
    """:func:`setting_label` with a capital first letter, for axes and table headers."""
    label = setting_label(key)
    return label[:1].upper() + label[1:]
