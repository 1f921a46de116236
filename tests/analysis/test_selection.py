"""KN selects the best design with the confidence it states, and constraint checks cover the truth."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from orgsim.analysis.selection import (
    Constraint,
    check_constraint,
    kn_constant,
    kn_select,
    kn_select_samples,
    parse_constraint,
)

DESIGNS = ("best", "second", "third", "fourth")
DELTA = 0.5


def paired_normal(means, experiment: int, sd: float = 1.0, shared: float = 0.5):
    """Cost samples on common random numbers: replication i has one shared shock for all designs.

    Each replication's values depend only on (experiment, i), so any batching
    of the replications sees the same numbers.
    """
    means = np.asarray(means, dtype=float)
    calls: list[tuple[tuple[int, ...], int, int]] = []

    def draw(candidates, start, count):
        calls.append((tuple(candidates), start, count))
        rows = []
        for i in range(start, start + count):
            rng = np.random.default_rng([experiment, i])
            common = rng.normal() * math.sqrt(shared)
            noise = rng.normal(size=means.size) * math.sqrt(1 - shared)
            rows.append(means + sd * (common + noise))
        return np.array(rows).T[list(candidates)]

    return draw, calls


def slippage(gap: float) -> list[float]:
    """The least favourable case for KN: every other design exactly ``gap`` worse (costlier)."""
    return [10.0] + [10.0 + gap] * (len(DESIGNS) - 1)


def test_kn_selects_the_true_best_with_at_least_the_stated_confidence():
    experiments = 200
    correct = 0
    for experiment in range(experiments):
        draw, _ = paired_normal(slippage(DELTA), experiment)
        correct += kn_select(draw, DESIGNS, DELTA, confidence=0.95).selected == "best"
    # KN guarantees P(correct) >= 0.95 at the indifference zone; allow three binomial SEs below.
    tolerance = 3 * math.sqrt(0.95 * 0.05 / experiments)
    assert correct / experiments >= 0.95 - tolerance


def test_the_elimination_constant_is_kim_and_nelsons():
    # k = 2, n0 = 3, alpha = 0.05: eta = ((0.1)^-1 - 1) / 2 = 4.5, h² = 2 * 4.5 * 2 = 18.
    assert kn_constant(2, 3, 0.95) == pytest.approx(18.0)
    # More rivals or more confidence widen the zone a design may trail by.
    assert kn_constant(5, 10, 0.95) > kn_constant(2, 10, 0.95)
    assert kn_constant(2, 10, 0.99) > kn_constant(2, 10, 0.95)


def test_a_design_is_eliminated_the_first_time_it_trails_by_more_than_w():
    # k = 2, n0 = 3: h² = 18. The paired differences start 1, 2, 3 (S² = 1) and stay at a mean
    # of 2; with delta = 1, W(r) = (18 - r) / (2r) is 2.5 at r = 3 and 1.75 at r = 4.
    costs = pd.DataFrame({"cheap": np.zeros(10), "dear": [1.0, 2.0, 3.0] + [2.0] * 7})
    selection = kn_select_samples(costs, 1.0, initial=3)
    assert [stage.replications for stage in selection.stages] == [3, 4]
    assert selection.stages[-1].survivors == ("cheap",)
    assert selection.replications == {"cheap": 4, "dear": 4}


def test_kn_needs_fewer_replications_when_the_best_is_far_ahead():
    initial = 10

    def mean_extra_observations(gap: float) -> float:
        """Observations past the k * n0 every run starts with: the part KN adapts."""
        used = [
            kn_select(paired_normal(slippage(gap), e)[0], DESIGNS, DELTA, initial=initial)
            for e in range(40)
        ]
        return float(np.mean([s.observations for s in used])) - len(DESIGNS) * initial

    # Elimination comes once the mean gap exceeds the shrinking W, roughly in proportion to 1/gap.
    assert mean_extra_observations(4 * DELTA) < 0.5 * mean_extra_observations(DELTA)


def test_kn_maximizes_when_asked():
    draw, _ = paired_normal([10.0, 12.0, 11.0], experiment=3)
    selection = kn_select(draw, ("a", "b", "c"), DELTA, minimize=False)
    assert selection.selected == "b"
    assert selection.means["b"] > selection.means["a"]


def test_kn_draws_only_the_survivors_and_continues_their_replication_numbers():
    draw, calls = paired_normal(slippage(2.0), experiment=1)
    selection = kn_select(draw, DESIGNS, DELTA, initial=10, batch_size=5)
    assert calls[0] == ((0, 1, 2, 3), 0, 10)
    starts = [start for _, start, _ in calls]
    assert starts == sorted(starts)
    for (_, start, count), (_, following, _) in itertools.pairwise(calls):
        assert following == start + count
    for earlier, later in itertools.pairwise(selection.stages):
        assert set(later.survivors) < set(earlier.survivors)
        assert later.replications >= earlier.replications
    assert selection.replications["best"] == max(selection.replications.values())


def test_the_batch_size_does_not_change_the_decision():
    answers = set()
    for batch_size in (1, 7, 50):
        draw, _ = paired_normal(slippage(DELTA), experiment=11)
        selection = kn_select(draw, DESIGNS, DELTA, batch_size=batch_size)
        answers.add((selection.selected, tuple(selection.replications.values())))
    assert len(answers) == 1


def test_fixed_samples_give_the_sequential_answer():
    draw, _ = paired_normal(slippage(DELTA), experiment=5)
    sequential = kn_select(draw, DESIGNS, DELTA, batch_size=1)
    samples = pd.DataFrame(draw(range(4), 0, 400).T, columns=list(DESIGNS))
    fixed = kn_select_samples(samples, DELTA)
    assert fixed.concluded
    assert (fixed.selected, fixed.replications) == (sequential.selected, sequential.replications)
    assert fixed.observations == sum(fixed.replications.values())


def test_fixed_samples_that_run_out_say_so_and_give_no_guarantee():
    draw, _ = paired_normal([10.0, 10.0, 10.0], experiment=2)
    samples = pd.DataFrame(draw(range(3), 0, 15).T, columns=["a", "b", "c"])
    selection = kn_select_samples(samples, 0.05)
    assert not selection.concluded
    assert selection.guarantee.startswith("Not decided")
    assert "confidence" not in selection.guarantee


def test_the_guarantee_reads_as_a_sentence():
    draw, _ = paired_normal(slippage(3.0), experiment=0)
    selection = kn_select(draw, DESIGNS, 0.25)
    assert selection.guarantee == "best is best, or within 0.25 of the best, with 95% confidence."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"designs": ("a",)}, "at least two designs"),
        ({"delta": 0.0}, "must be positive"),
        ({"initial": 1}, "two initial"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_kn_rejects_an_ill_posed_problem(kwargs, message):
    draw, _ = paired_normal([1.0, 2.0], experiment=0)
    arguments = {"designs": ("a", "b"), "delta": 0.5, **kwargs}
    with pytest.raises(ValueError, match=message):
        kn_select(draw, arguments.pop("designs"), arguments.pop("delta"), **arguments)


def test_kn_refuses_missing_kpi_values():
    def draw(candidates, start, count):
        return np.full((len(candidates), count), np.nan)

    with pytest.raises(ValueError, match="finite"):
        kn_select(draw, ("a", "b"), 0.5)


def test_a_constraint_is_read_from_the_command_line_form():
    assert parse_constraint("speed_to_lead_hours_p90<=2") == Constraint(
        "speed_to_lead_hours_p90", "<=", 2.0
    )
    assert parse_constraint(" cost_total >= 4e6 ") == Constraint("cost_total", ">=", 4e6)
    with pytest.raises(ValueError, match="KPI<=VALUE"):
        parse_constraint("cost_total < 4e6")
    with pytest.raises(ValueError, match="not a number"):
        parse_constraint("cost_total<=lots")


def test_the_probability_interval_covers_the_truth_at_its_confidence():
    constraint = Constraint("speed_to_lead_hours_p90", "<=", 0.5)
    truth = stats.norm.cdf(0.5)
    experiments = 400
    covered = 0
    for experiment in range(experiments):
        values = np.random.default_rng([17, experiment]).normal(size=30)
        check = check_constraint(values, constraint, confidence=0.95)
        covered += check.low <= truth <= check.high
    tolerance = 3 * math.sqrt(0.95 * 0.05 / experiments)
    assert covered / experiments >= 0.95 - tolerance


def test_feasibility_needs_the_lower_end_to_reach_the_required_probability():
    constraint = Constraint("cost_total", "<=", 4e6)
    rng = np.random.default_rng(8)
    mostly_met = rng.normal(3.5e6, 2e5, size=60)  # P(met) = 0.994
    mostly_missed = rng.normal(4.2e6, 2e5, size=60)  # P(met) = 0.16
    assert check_constraint(mostly_met, constraint).feasible
    assert not check_constraint(mostly_missed, constraint).feasible
    # 20 of 20 met shows more than 0.5 but cannot show 0.9 (the lower end is 0.05^(1/20) ~ 0.83).
    all_met = np.full(20, 3e6)
    assert check_constraint(all_met, constraint).feasible
    assert not check_constraint(all_met, constraint, required=0.9).feasible


def test_a_kpi_a_replication_could_not_compute_counts_as_not_met():
    check = check_constraint([1.0, np.nan, 3.0, 1.5], Constraint("cost_per_win", "<=", 2.0))
    assert (check.met, check.replications, check.probability) == (2, 4, 0.5)
    assert check.sentence.startswith("meets cost_per_win <= $2.00 in 50% of 4 replications")
