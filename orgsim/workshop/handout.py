"""The offline handout: the deck's story followed by the standard HTML report of its scenarios.

Each step is run to its full replication count on the app's pool (batches
the room already saw come from the cache), written as a run directory and read
back, so the handout is exactly what ``orgsim report`` makes of those runs,
opened by the story: each step's title, talking point and verdict, then the
deck's closing words (its summary steps' talking points).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orgsim.experiment.results import Results
from orgsim.report import Run, build_report, read_run
from orgsim.report.page import text
from orgsim.workshop.engine import Engine, Job
from orgsim.workshop.view import summary


class HandoutError(Exception):
    """A step's run failed, so there is no handout to give; the message says which and why."""


@dataclass(frozen=True)
class StepRun:
    """A step's title, talking point and its finished job."""

    title: str
    talking_point: str
    job: Job


def handout_html(
    steps: Sequence[StepRun], engine: Engine, closing: Sequence[tuple[str, str]] = ()
) -> str:
    """The self-contained report of every scenario the steps ran, with the story first and
    ``closing`` (title, words) after it."""
    for step in steps:
        step.job.finished.wait()
        if step.job.error is not None:
            raise HandoutError(f"step {step.title!r} failed: {step.job.error}")
    with tempfile.TemporaryDirectory(prefix="orgsim-handout-") as scratch:
        runs: list[Run] = []
        seen: set[str] = set()
        for step in steps:
            replications, monthly = step.job.tables()
            for scenario in step.job.scenarios:
                if scenario.name in seen:
                    continue
                seen.add(scenario.name)
                results = Results(
                    scenario=scenario,
                    seed=step.job.seed,
                    requested=step.job.replications,
                    replications=replications[replications["scenario"] == scenario.name],
                    monthly=monthly[monthly["scenario"] == scenario.name],
                    failures=(),
                    workers=engine.workers,
                    backend="local",
                    wall_time=step.job.wall_time,
                    started_at=datetime.now(UTC),
                )
                runs.append(read_run(results.save(Path(scratch) / f"run{len(runs)}")))
        report = build_report(runs)
    story = ['<h2 id="story">The story</h2><ol class="story">']
    for step in steps:
        replications, _ = step.job.tables()
        lines = summary(replications, step.job.seed)["verdicts"]
        story.append(
            f"<li><h3>{text(step.title)}</h3><p>{text(step.talking_point)}</p>"
            + "".join(f'<p class="headline">{text(line)}</p>' for line in lines[:1])
            + "".join(f'<p class="note">{text(line)}</p>' for line in lines[1:])
            + "</li>"
        )
    for title, words in closing:
        story.append(f"<li><h3>{text(title)}</h3><p>{text(words)}</p></li>")
    story.append("</ol>")
    return report.html.replace('<h2 id="verdict">', "".join(story) + '<h2 id="verdict">', 1)
