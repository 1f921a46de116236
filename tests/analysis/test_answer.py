"""The answer judges each design against the design it changes least, and says so in one line."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orgsim.analysis.answer import Pair, answer, matched_differences, matched_pairs, owner


def settings(owner: str, sla: bool = False, closed_loop: bool = False, share: float = 1.0) -> dict:
    return {
        "name": f"{owner} {sla} {closed_loop}",
        "seed": 1,
        "org": {"inside_sales_reports_to": owner, "sla": {"enabled": sla}},
        "management": {"sdr_manager": {"time": {"planned_share": share}}},
        "policies": {"closed_loop": {"enabled": closed_loop}},
    }


DECK = {
    "Sales": settings("sales"),
    "Marketing": settings("marketing", share=0.25),
    "Marketing + SLA": settings("marketing", sla=True, share=0.25),
    "Sales + SLA": settings("sales", sla=True),
    "Marketing done right": settings("marketing", sla=True, closed_loop=True),
}


def test_marketing_designs_are_judged_against_the_nearest_sales_design_beyond_ownership():
    pairs = {pair.design: pair for pair in matched_pairs(DECK)}
    assert pairs["Marketing"].baseline == "Sales"
    assert pairs["Marketing + SLA"].baseline == "Sales + SLA"
    assert pairs["Marketing + SLA"].also_differs == ()
    assert pairs["Marketing done right"].baseline == "Sales + SLA"
    assert pairs["Marketing done right"].also_differs == ("policies.closed_loop.enabled",)
    # A sales-owned design changes something else than ownership: against the first.
    assert pairs["Sales + SLA"].baseline == "Sales"
    assert not pairs["Sales + SLA"].ownership and pairs["Marketing"].ownership


def test_without_a_sales_owned_design_every_design_is_judged_against_the_first():
    designs = {
        "As it turns out": settings("marketing"),
        "Diversion": settings("marketing", sla=True),
    }
    (pair,) = matched_pairs(designs)
    assert (pair.baseline, pair.ownership) == ("As it turns out", False)
    assert owner({}) == "sales"


def test_the_answer_judges_ownership_at_marketings_best_like_for_like():
    replications, pairs, table = deck_costs(seed=3, marketing_sla=0.62, marketing_done_right=0.58)
    assert list(table["scenario"]) == [pair.design for pair in pairs]
    owners = {name: owner(s) for name, s in DECK.items()}
    first, best = answer(replications, table, pairs, owners)
    # Marketing with an SLA beats sales without one, but not sales with one: the answer says so.
    assert first.startswith(
        "Keep inside sales in sales: even at its best, marketing ownership (Marketing done right) "
        "costs 5."
    )
    assert "more per win than Sales + SLA (95% CI " in first and "simulated runs." in first
    assert best.startswith("Lowest cost per win of the 5 designs: Sales + SLA, $")


def test_a_move_that_pays_only_done_one_way_says_how_the_other_ways_fare():
    replications, pairs, table = deck_costs(seed=4, marketing_sla=0.60, marketing_done_right=0.50)
    first, _ = answer(replications, table, pairs, {name: owner(s) for name, s in DECK.items()})
    assert first.startswith(
        "Move inside sales to marketing, done as Marketing done right: it costs 9."
    )
    assert first.endswith("; 2 of the 2 other marketing-owned designs are clearly worse.")


def deck_costs(
    seed: int, marketing_sla: float, marketing_done_right: float
) -> tuple[pd.DataFrame, list[Pair], pd.DataFrame]:
    """60 replications of the deck's cost per win, each design a fixed multiple of sales',
    with 1% noise; its matched pairs and their differences."""
    rng = np.random.default_rng(seed)
    base = rng.lognormal(10, 0.2, 60)
    cost = {
        "Sales": base,
        "Marketing": base * 1.10,
        "Marketing + SLA": base * marketing_sla,
        "Sales + SLA": base * 0.55,
        "Marketing done right": base * marketing_done_right,
    }
    replications = pd.concat(
        pd.DataFrame(
            {
                "scenario": name,
                "replication": range(60),
                "cost_per_win": values * rng.normal(1, 0.01, 60),
            }
        )
        for name, values in cost.items()
    )
    pairs = matched_pairs(DECK)
    table = matched_differences(replications, pairs, ["cost_per_win"], n_boot=0, seed=1)
    return replications, pairs, table
