"""A manager new to SDRs learns the job: her coaching starts below her skill (first article, con 1).

"Managing individual contributors in marketing, and managing inside sale reps,
are completely different skill sets ... that can make for a bumpy road." A
manager who has not run SDRs before brings ``start_fraction`` of her
sales-management skill to the first month and reaches all of it linearly over
``months`` (the shape of an SDR's own ramp). It applies to whoever is new,
whichever department she comes from or the team reports to; the defaults are
assumptions with ranges in the sensitivity section.

She arrives when the reported period begins: month 0 of the curve is the first
reported month. The warm-up months (``calendar.warm_up_months``) are the org
before she arrived, coached at full skill (a predecessor as skilled as her
draw), so the steady start is the team she takes over, not one already
shaken by her first months.
"""

from __future__ import annotations

from orgsim.scenario.schema import ManagerLearning


def learning_factor(learning: ManagerLearning, month: int) -> float:
    """Share of her skill the manager coaches with in reported ``month`` (0 the first reported
    month; negative, a warm-up month before she arrived: full skill)."""
    if not learning.enabled or month < 0 or month >= learning.months:
        return 1.0
    return learning.start_fraction + (1.0 - learning.start_fraction) * month / learning.months
