"""The closing step: what every other step showed, and which design the numbers favour.

The facilitator's recommendation is the closing step's talking point, written
in the deck; this adds what the room saw to back it: each step's verdict as
the room last left its levers, and the design with the best mean of the
headline KPI among all the designs shown. Every design runs on the same seed
and replication indices, so their means are comparable across steps (the same
scenario has the same mean in every step it appears in).

The sentence is the workshop's own (``orgsim/analysis/verdict.py`` words
comparisons, not a closing tally), kept here until the two are unified.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from orgsim.analysis import HEADLINE_KPI, kpi_info


def closing(titles: Sequence[str], views: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The closing step's content from each study step's title and its view, JSON-ready.

    ``done`` says every step has its full count; until then the best design
    is named from the replications in so far and says so.
    """
    done = all(view["done"] for view in views)
    steps = [
        {key: view[key] for key in ("verdict", "moved", "done", "error", "scenarios")}
        | {"title": title}
        for title, view in zip(titles, views, strict=True)
    ]
    return {"done": done, "steps": steps, "best": best_design(views, done)}


def best_design(views: Sequence[dict[str, Any]], done: bool) -> str:
    """One sentence naming the design with the best mean headline KPI of all the views."""
    info = kpi_info(HEADLINE_KPI)
    means = {name: kpis[HEADLINE_KPI] for view in views for name, kpis in view["means"].items()}
    if not means or info.direction == "neutral":
        return ""
    pick = min if info.direction == "lower" else max
    name = pick(means, key=means.__getitem__)
    best = "lowest" if info.direction == "lower" else "highest"
    replications = min(view["shown"] for view in views)
    sample = f"{replications} replications" + ("" if done else " so far")
    return (
        f"Of the {len(means)} designs shown, {name} has the {best} {info.label}: "
        f"{info.format(means[name])} on average over {sample}."
    )
