"""The HTML report of one or more runs: verdict first, then figures, numbers, settings, provenance.

One self-contained file (figures as base64 PNG, CSS inline) that opens
offline and repeats the run's seed, replications and version so anyone can
rerun it. Every number comes from :mod:`orgsim.analysis`; this module only
chooses and arranges them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orgsim.analysis import HEADLINE_KPI, kpi_info, summarize, verdicts
from orgsim.experiment.output import atomic_write
from orgsim.kpis import CONTRACT_KPIS, VERDICT_KPIS
from orgsim.plots import png_bytes, standard_figures
from orgsim.plots.style import kpi_label, scenario_order
from orgsim.report.comparison import compare_runs
from orgsim.report.page import page, png_image, table, text
from orgsim.report.runs import Run, combine_runs, distinct_names
from orgsim.report.settings import differing_settings, show_value
from orgsim.version import __version__

VOLUMES = ("sqls", "opportunities", "wins")
"""Volumes the one-scenario summary quotes after the headline KPI."""


@dataclass(frozen=True)
class Report:
    """A built report: the HTML and what it says, for scripts (``--format json``) and tests."""

    html: str
    scenarios: list[str]
    baseline: str | None
    verdicts: list[str]
    figures: list[str]


def build_report(runs: Sequence[Run], baseline: str | None = None) -> Report:
    """The report of ``runs`` combined, compared against ``baseline`` (default: the first scenario).

    With one scenario the verdict is a plain summary sentence; with several,
    it is :func:`orgsim.analysis.verdicts` of the paired differences on the
    key KPIs, the headline KPI (cost per win) first.
    """
    runs = distinct_names(runs)
    replications, monthly = combine_runs(runs)
    names = scenario_order(replications)
    comparison = compare_runs(runs, replications, baseline)
    if comparison.baseline is None:
        sentences = [_single_summary(replications, names[0])]
        verdict_html = f'<p class="headline">{text(sentences[0])}</p>'
    else:
        verdict_html, sentences = _comparison(comparison.differences, comparison.baseline, names)
    specs = standard_figures(replications, monthly, comparison.differences)
    figures = "".join(
        f"<figure>{png_image(png_bytes(spec.draw()), spec.caption)}"
        f"<figcaption>{text(spec.caption)}</figcaption></figure>"
        for spec in specs
    )
    title = " vs ".join(names) if len(names) <= 3 else f"{len(names)} scenarios"
    notes_html = "".join(f'<p class="note">{text(n)}</p>' for n in comparison.notes)
    body = "".join(
        [
            f"<h1>{text(title)}</h1>",
            f'<p class="subtitle">orgsim report · {len(names)} scenario(s), '
            f"{len(replications)} replications in all · orgsim {text(__version__)}</p>",
            '<nav><a href="#figures">Figures</a><a href="#kpis">KPI table</a>'
            '<a href="#settings">Settings that differ</a><a href="#repeat">Repeat the run</a></nav>',
            f'<h2 id="verdict">Verdict</h2><div class="verdict">{verdict_html}</div>{notes_html}',
            f'<h2 id="figures">Figures</h2>{figures}',
            f'<h2 id="kpis">KPIs with 95% intervals</h2>{_kpi_table(replications)}',
            f'<h2 id="settings">Settings that differ</h2>{_settings_section(runs)}',
            f'<h2 id="repeat">Repeat the run</h2>{_provenance(runs)}',
        ]
    )
    return Report(
        page(f"orgsim report: {title}", body, __version__),
        names,
        comparison.baseline,
        sentences,
        [spec.name for spec in specs],
    )


def write_report(
    runs: Sequence[Run], out: str | os.PathLike[str], baseline: str | None = None
) -> Report:
    """Build the report and write it to ``out``; a reader never sees half a file."""
    report = build_report(runs, baseline)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda stream: stream.write(report.html.encode("utf-8")), binary=True)
    return report


def _comparison(
    differences: pd.DataFrame | None, baseline: str, names: list[str]
) -> tuple[str, list[str]]:
    """Per compared scenario, the headline KPI's verdict in bold, then the other key KPIs."""
    if differences is None or differences.empty:
        return "<p>No KPI could be compared.</p>", []
    differences = differences[differences["kpi"].isin(VERDICT_KPIS)]
    if differences.empty:
        return "<p>None of the verdict KPIs is in the tables.</p>", []
    lines = verdicts(differences)
    parts = [f"<p>Against <strong>{text(baseline)}</strong>, paired by replication:</p>"]
    sentences = []
    for name in names:
        mine = lines[differences["scenario"] == name]
        if mine.empty:
            continue
        kpis = differences.loc[mine.index, "kpi"]
        first = (
            kpis.index[kpis == HEADLINE_KPI][0] if (kpis == HEADLINE_KPI).any() else kpis.index[0]
        )
        rest = mine.drop(first)
        parts.append(f'<p class="headline">{text(mine[first])}</p>')
        parts.append("<ul>" + "".join(f"<li>{text(s)}</li>" for s in rest) + "</ul>")
        sentences += [mine[first], *rest]
    return "".join(parts), sentences


def _single_summary(replications: pd.DataFrame, name: str) -> str:
    """One plain sentence for a single scenario: the headline KPI with its interval and spread."""
    quoted = [k for k in (HEADLINE_KPI, *VOLUMES) if k in replications.columns]
    if not quoted:
        return f"{name}: {len(replications)} replications."
    summary = summarize(replications, kpis=quoted).set_index("kpi")
    head = summary.loc[quoted[0]].to_dict()
    fmt = kpi_info(quoted[0]).format
    sentence = (
        f"{name}: {kpi_info(quoted[0]).label} averages {fmt(head['mean'])} "
        f"(95% CI {fmt(head['ci_low'])} to {fmt(head['ci_high'])}) over {int(head['n'])} "
        f"replications; 90% of replications fall between {fmt(head['p5'])} and {fmt(head['p95'])}."
    )
    means = summary["mean"].to_dict()
    volumes = [f"{kpi_info(k).format(means[k])} {kpi_info(k).label}" for k in quoted[1:]]
    if volumes:
        listed = ", ".join(volumes[:-1]) + (" and " if len(volumes) > 1 else "") + volumes[-1]
        sentence += f" On average a replication yields {listed}."
    return sentence


def _kpi_table(replications: pd.DataFrame) -> str:
    """Mean, 95% CI and 5th/50th/95th percentiles of every contract KPI, per scenario."""
    kpis = [k for k in CONTRACT_KPIS if k in replications.columns]
    summary = summarize(replications, kpis=kpis)
    rows = []
    for kpi in kpis:
        fmt = kpi_info(kpi).format
        for i, row in enumerate(summary[summary["kpi"] == kpi].to_dict("records")):
            rows.append(
                [
                    kpi_label(kpi) if i == 0 else "",
                    row["scenario"],
                    fmt(row["mean"]),
                    f"{fmt(row['ci_low'])} to {fmt(row['ci_high'])}",
                    fmt(row["p5"]),
                    fmt(row["p50"]),
                    fmt(row["p95"]),
                    str(row["n"]),
                ]
            )
    header = ["KPI", "Scenario", "Mean", "95% CI of the mean", "p5", "p50", "p95", "n"]
    return table(header, rows, numeric=range(2, 8))


def _settings_section(runs: Sequence[Run]) -> str:
    if len(runs) < 2:
        return "<p>One run: there is nothing to compare its settings with.</p>"
    if any(not run.settings for run in runs):
        return (
            '<p class="note">Not every run has a scenario.yaml, so settings cannot be compared.</p>'
        )
    rows = differing_settings([run.settings for run in runs])
    if not rows:
        return "<p>The runs' resolved scenarios are identical apart from their names.</p>"
    header = ["Setting", *(" / ".join(run.scenarios) for run in runs)]
    return table(header, ([key, *map(show_value, values)] for key, values in rows))


def _provenance(runs: Sequence[Run]) -> str:
    """Seed, replications and version per run, the command that repeats it, and its scenario."""
    rows = [
        [
            str(run.directory),
            " / ".join(run.scenarios),
            "not recorded" if run.seed is None else str(run.seed),
            str(run.requested),
            run.version or "not recorded",
        ]
        for run in runs
    ]
    parts = [table(["Run directory", "Scenario", "Seed", "Replications", "orgsim version"], rows)]
    for run in runs:
        if not run.scenario_yaml:
            continue
        command = f"orgsim run {run.directory / 'scenario.yaml'}"
        if run.seed is not None:
            command += f" --seed {run.seed}"
        command += f" --reps {run.requested}"
        parts.append(
            f"<h3>{text(' / '.join(run.scenarios))}</h3><pre><code>{text(command)}</code></pre>"
            f"<details><summary>The resolved scenario.yaml</summary>"
            f"<pre>{text(run.scenario_yaml)}</pre></details>"
        )
    return "".join(parts)
