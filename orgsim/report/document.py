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
from typing import Any

import pandas as pd

from orgsim.analysis import (
    HEADLINE_KPI,
    VERDICT_RESAMPLES,
    kpi_info,
    shared_replications,
    summarize,
    verdicts,
)
from orgsim.analysis.answer import Pair, answer, matched_differences, matched_pairs, owner
from orgsim.analysis.verdict import better_word, plain_change, runs_counted
from orgsim.experiment.output import atomic_write
from orgsim.kpis import CONTRACT_KPIS, KEY_KPIS, VERDICT_KPIS, format_change
from orgsim.plots import png_bytes, standard_figures
from orgsim.plots.style import kpi_label, scenario_order
from orgsim.report.comparison import compare_runs
from orgsim.report.page import page, png_image, table, text
from orgsim.report.runs import Run, combine_runs, distinct_names
from orgsim.report.settings import differing_settings, show_value
from orgsim.report.studies import SHOWN_ROWS, Study
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
    summary: list[str]
    """The executive summary's sentences, the answer first."""


def build_report(
    runs: Sequence[Run], baseline: str | None = None, studies: Sequence[Study] = ()
) -> Report:
    """The report of ``runs`` combined and of ``studies``, each section after the summary.

    With one scenario the verdict is a plain summary sentence; with several,
    the summary is :func:`orgsim.analysis.answer.answer` on the pairs that
    isolate one change, then :func:`orgsim.analysis.verdicts` of the paired
    differences against ``baseline`` (default: the first scenario). An
    explanation among ``studies`` adds what drives the answer, a discovery what
    would change it.
    """
    runs = distinct_names(runs)
    summary: list[str] = []
    per_design: list[str] = []
    pairs_html = ""
    verdict_html, sentences, names = "", [], []
    figures: list[str] = []
    sections: list[str] = []
    notes_html = ""
    chosen = None
    if runs:
        replications, monthly = combine_runs(runs)
        names = scenario_order(replications)
        comparison = compare_runs(runs, replications, baseline)
        chosen = comparison.baseline
        if chosen is None:
            sentences = [_single_summary(replications, names[0])]
            summary = list(sentences)
        else:
            summary, per_design, pairs_html = _answer(runs, replications, chosen)
            verdict_html, sentences = _comparison(comparison.differences, chosen, names)
        specs = standard_figures(replications, monthly, comparison.differences)
        figures += [_figure(png_bytes(spec.draw()), spec.caption) for spec in specs]
        figure_names = [spec.name for spec in specs]
        notes_html = "".join(f'<p class="note">{text(n)}</p>' for n in comparison.notes)
        sections.append(f'<h2 id="kpis">KPIs with 95% intervals</h2>{_kpi_table(replications)}')
        sections.append(f'<h2 id="settings">Settings that differ</h2>{_settings_section(runs)}')
    else:
        figure_names = []
    # What drives the answer and what would change it follow the answer itself.
    context = [line for study in studies for line in (study.drives, study.changes) if line and runs]
    summary[1:1] = context
    for study in studies:
        summary += study.summary if not runs else []
        for figure in study.figures:
            png = figure.png if figure.png is not None else png_bytes(figure.draw())  # type: ignore[misc]
            figures.append(_figure(png, figure.caption))
            figure_names.append(figure.name)
        sections.append(_study_section(study, bool(runs)))
    titles = [study.title for study in studies]
    title = (
        " vs ".join(names)
        if names and len(names) <= 3
        else f"{len(names)} designs compared"
        if names
        else "; ".join(titles)
    )
    count = f"{len(names)} scenario(s), {len(replications)} replications in all · " if runs else ""
    summary_html = "".join(f"<p>{text(line)}</p>" for line in summary[1:]) + pairs_html
    summary += per_design  # in the table of the box; as sentences for scripts
    body = "".join(
        [
            f"<h1>{text(title)}</h1>",
            f'<p class="subtitle">orgsim report · {count}orgsim {text(__version__)}</p>',
            '<nav><a href="#figures">Figures</a>'
            + (
                '<a href="#kpis">KPI table</a><a href="#settings">Settings that differ</a>'
                if runs
                else ""
            )
            + '<a href="#repeat">Repeat</a></nav>',
            # The summary keeps the anchor ``verdict``, which links and the workshop's handout
            # (its story goes before it) already name.
            f'<h2 id="verdict">Summary</h2><div class="verdict"><p class="headline">'
            f"{text(summary[0] if summary else 'Nothing to summarize.')}</p>{summary_html}</div>",
            f'<h2 id="verdicts">Verdicts</h2><details class="verdicts"><summary>Every design '
            f"against {text(chosen)} on {len(VERDICT_KPIS)} KPIs</summary>{verdict_html}</details>"
            f"{notes_html}"
            if verdict_html
            else notes_html,
            f'<h2 id="figures">Figures</h2>{"".join(figures) or "<p>No figures.</p>"}',
            *sections,
            f'<h2 id="repeat">Repeat the run</h2>{_provenance(runs, studies)}',
        ]
    )
    return Report(
        page(f"orgsim report: {title}", body, __version__),
        names,
        chosen,
        sentences,
        figure_names,
        summary,
    )


def _figure(png: bytes, caption: str) -> str:
    return f"<figure>{png_image(png, caption)}<figcaption>{text(caption)}</figcaption></figure>"


def _answer(
    runs: Sequence[Run], replications: pd.DataFrame, baseline: str
) -> tuple[list[str], list[str], str]:
    """The answer on the headline KPI, then each design against the design it changes least
    (:mod:`orgsim.analysis.answer`) as sentences and as a table. Without every design's resolved
    YAML, each is judged against ``baseline``."""
    names = scenario_order(replications)
    settings: dict[str, dict[str, Any]] = {}
    for run in runs:
        if len(run.settings) == len(run.scenarios):
            settings.update(zip(run.scenarios, run.settings.values(), strict=True))
    order = [baseline, *(name for name in names if name != baseline)]
    designs = {name: settings.get(name, {}) for name in order}
    if len(settings) == len(names):
        pairs = matched_pairs(designs)
    else:
        pairs = [Pair(name, baseline, False, ()) for name in order[1:]]
    paired = shared_replications(replications)
    if paired.empty or HEADLINE_KPI not in paired.columns:
        return [f"No design could be compared on {kpi_info(HEADLINE_KPI).label}."], [], ""
    seed = next((run.seed for run in runs if baseline in run.scenarios), None) or 0
    table_rows = matched_differences(
        paired, pairs, [HEADLINE_KPI], n_boot=VERDICT_RESAMPLES, seed=seed
    ).to_dict("records")
    owners = {name: owner(designs[name]) for name in order}
    lines = answer(paired, pd.DataFrame(table_rows), pairs, owners)
    per_design = [
        f"{row['scenario']} {plain_change(row, against=row['baseline'])}." for row in table_rows
    ]
    info = kpi_info(HEADLINE_KPI)
    rows = [
        [
            str(row["scenario"]),
            str(row["baseline"]),
            format_change(HEADLINE_KPI, row["diff"], row["rel_diff"]),
            f"{format_change(HEADLINE_KPI, row['diff_t_low'], row['rel_t_low'])} to "
            f"{format_change(HEADLINE_KPI, row['diff_t_high'], row['rel_t_high'])}",
            runs_counted(row, float(row["p_better"])).removeprefix("in "),
        ]
        for row in table_rows
    ]
    header = [
        "Design",
        "Judged against",
        info.title,
        "95% CI",
        f"{better_word(HEADLINE_KPI).capitalize()} in",
    ]
    return lines, per_design, table(header, rows, numeric=(2, 3, 4))


def _study_section(study: Study, in_comparison: bool) -> str:
    """A study's table, its first rows open and the rest folded; its sentences when the summary
    above is a comparison's (else they are the summary)."""
    anchor = f"study-{study.kind}-{study.directory.name}"
    parts = [f'<h2 id="{text(anchor)}">{text(study.title)}</h2>']
    parts += [f"<p>{text(line)}</p>" for line in study.summary if in_comparison]
    shown = study.table
    if shown is not None and shown.rows:
        parts.append(table(shown.header, shown.rows[:SHOWN_ROWS], shown.numeric))
        if len(shown.rows) > SHOWN_ROWS:
            rest = table(shown.header, shown.rows[SHOWN_ROWS:], shown.numeric)
            parts.append(
                f"<details><summary>{len(shown.rows) - SHOWN_ROWS} more rows</summary>{rest}</details>"
            )
    return "".join(parts)


def write_report(
    runs: Sequence[Run],
    out: str | os.PathLike[str],
    baseline: str | None = None,
    studies: Sequence[Study] = (),
) -> Report:
    """Build the report and write it to ``out``; a reader never sees half a file."""
    report = build_report(runs, baseline, studies)
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
        parts.append(f"<p><strong>{text(mine[first])}</strong></p>")
        if not rest.empty:
            items = "".join(f"<li>{text(s)}</li>" for s in rest)
            parts.append(
                f"<details><summary>{len(rest)} more KPIs</summary><ul>{items}</ul></details>"
            )
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
    """Mean, 95% CI and 5th/50th/95th percentiles per scenario: the key KPIs open, the rest folded."""
    kpis = [k for k in CONTRACT_KPIS if k in replications.columns]
    key = [k for k in KEY_KPIS if k in kpis]
    rest = [k for k in kpis if k not in key]
    header = ["KPI", "Scenario", "Mean", "95% CI of the mean", "p5", "p50", "p95", "n"]
    folded = table(header, _kpi_rows(replications, rest), numeric=range(2, 8)) if rest else ""
    return table(header, _kpi_rows(replications, key), numeric=range(2, 8)) + (
        f"<details><summary>{len(rest)} more KPIs</summary>{folded}</details>" if rest else ""
    )


def _kpi_rows(replications: pd.DataFrame, kpis: Sequence[str]) -> list[list[str]]:
    if not kpis:
        return []
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
    return rows


def _settings_section(runs: Sequence[Run]) -> str:
    """Every setting whose value is not the same in all scenarios, one column per scenario."""
    scenarios = [
        (name, s)
        for run in runs
        for name, s in zip(run.scenarios, run.settings.values(), strict=False)
    ]
    if len(scenarios) < 2 and sum(len(run.scenarios) for run in runs) < 2:
        return "<p>One scenario: there is nothing to compare its settings with.</p>"
    if len(scenarios) < sum(len(run.scenarios) for run in runs):
        return '<p class="note">Not every scenario has its resolved YAML, so settings cannot be compared.</p>'
    rows = differing_settings([settings for _, settings in scenarios])
    if not rows:
        return "<p>The resolved scenarios are identical apart from their names.</p>"
    header = ["Setting", *(name for name, _ in scenarios)]
    return table(header, ([key, *map(show_value, values)] for key, values in rows))


def _provenance(runs: Sequence[Run], studies: Sequence[Study] = ()) -> str:
    """Seed, replications and version of every directory, and the command that repeats each run."""
    items: list[tuple[Run | Study, str, str]] = [
        *(
            (run, "compare" if len(run.scenarios) > 1 else "run", " / ".join(run.scenarios))
            for run in runs
        ),
        *((study, study.kind, study.title) for study in studies),
    ]
    rows = [
        [
            str(item.directory),
            kind,
            what,
            "not recorded" if item.seed is None else str(item.seed),
            "not recorded" if item.requested is None else str(item.requested),
            item.version or "not recorded",
        ]
        for item, kind, what in items
    ]
    header = ["Directory", "Kind", "What", "Seed", "Replications", "orgsim version"]
    parts = [table(header, rows)]
    for run in runs:
        for (file, yaml_text), name in zip(run.scenario_yamls.items(), run.scenarios, strict=False):
            command = f"orgsim run {run.directory / file}"
            if run.seed is not None:
                command += f" --seed {run.seed}"
            command += f" --reps {run.requested}"
            parts.append(
                f"<h3>{text(name)}</h3><pre><code>{text(command)}</code></pre>"
                f"<details><summary>The resolved {text(file)}</summary>"
                f"<pre>{text(yaml_text)}</pre></details>"
            )
    return "".join(parts)
