"""Study directories (sweep, sensitivity, explain, discover, optimize, calibrate) read for the report.

Each kind is known by the file only it writes (names from the modules that
write them) and becomes a :class:`Study`: what it says in a few sentences,
its figures (drawn again from its tables where a plot function exists, else
the PNGs the command wrote), its main table, and how it was made (seed,
replications, version). A sweep is read as its grid, never pooled into one
scenario; an explanation also gives the comparison's summary its "what drives
it", a discovery its "what would change it".
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from orgsim.analysis import Contribution, kpi_info
from orgsim.analysis.summary import SUMMARY_COLUMNS
from orgsim.calibration.abc import (
    BACKTEST_FIGURE,
    CALIBRATION_JSON,
    MARGINALS_FIGURE,
)
from orgsim.calibration.identified import what_the_data_decided
from orgsim.experiment.discover import DISCOVERY_JSON
from orgsim.experiment.optimize import OPTIMIZATION_JSON, TRIALS_CSV
from orgsim.experiment.rundir import (
    CONTRIBUTIONS_CSV,
    SENSITIVITY_CSV,
    SOBOL_CSV,
    STUDY_JSON,
    SWEEP_CSV,
)
from orgsim.kpis import HEADLINE_KPI
from orgsim.readable import (
    Readable,
    contribution_rows,
    setting_value,
    signed,
    sobol_rows,
    sweep_rows,
    swing_rows,
)
from orgsim.scenario.labels import setting_label, setting_title

MARKERS = (
    (SWEEP_CSV, "sweep"),
    (SENSITIVITY_CSV, "sensitivity"),
    (SOBOL_CSV, "sensitivity"),
    (CONTRIBUTIONS_CSV, "explain"),
    (DISCOVERY_JSON, "discover"),
    (OPTIMIZATION_JSON, "optimize"),
    (CALIBRATION_JSON, "calibrate"),
)
"""The file that marks each kind of study directory, checked in this order."""

SHOWN_ROWS = 8
"""Rows of a study's table shown open; the rest are folded."""


@dataclass(frozen=True)
class StudyFigure:
    """A figure of a study: drawn from its tables, or a PNG it wrote (``png``)."""

    name: str
    caption: str
    draw: Callable[[], Figure] | None = None
    png: bytes | None = None


@dataclass(frozen=True)
class Study:
    """A study directory as the report shows it."""

    kind: str
    directory: Path
    title: str
    summary: list[str]
    provenance: dict[str, Any]
    table: Readable | None = None
    figures: list[StudyFigure] = field(default_factory=list)
    drives: str | None = None
    """For an explanation: which mechanisms drive the difference, in one sentence."""
    changes: str | None = None
    """For a discovery: what in the assumptions would change the answer, in one sentence."""

    @property
    def seed(self) -> int | None:
        return self.provenance.get("seed")

    @property
    def requested(self) -> int | None:
        return self.provenance.get("replications")

    @property
    def version(self) -> str | None:
        return self.provenance.get("version") or self.provenance.get("orgsim_version")


def study_kind(directory: Path) -> str | None:
    """The kind of study ``directory`` holds, or None (a run or a comparison, or nothing)."""
    return next((kind for marker, kind in MARKERS if (directory / marker).is_file()), None)


def read_study(directory: Path) -> Study:
    """Read a study directory of any kind :func:`study_kind` knows."""
    kind = study_kind(directory)
    if kind is None:
        raise ValueError(f"{directory}: not a study directory")
    return READERS[kind](directory)


def _json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    loaded = json.loads(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def _pngs(directory: Path, captions: dict[str, str]) -> list[StudyFigure]:
    """The PNGs the command wrote (with ``--plots``, or always for calibrate), in ``captions``' order."""
    return [
        StudyFigure(name, caption, png=(directory / f"{name}.png").read_bytes())
        for name, caption in captions.items()
        if (directory / f"{name}.png").is_file()
    ]


def _sweep(directory: Path) -> Study:
    from orgsim.plots import sweep_curve

    table = pd.read_csv(directory / SWEEP_CSV)
    study = _json(directory / STUDY_JSON)
    keys = [c for c in table.columns if c not in SUMMARY_COLUMNS]
    kpis = [k for k in study.get("kpis", [HEADLINE_KPI]) if k in set(table["kpi"])] or [
        str(table["kpi"].iloc[0])
    ]
    kpi = kpis[0]
    info = kpi_info(kpi)
    curve = table[table["kpi"] == kpi].reset_index(drop=True)
    best = curve.sort_values("mean", ascending=info.direction != "higher").iloc[0]
    at = ", ".join(f"{setting_label(key)} = {best[key]:g}" for key in keys)
    word = "highest" if info.direction == "higher" else "lowest"
    summary = [
        f"{info.title} is {word} at {at}: {info.format(best['mean'])} "
        f"(95% CI {info.format(best['ci_low'])} to {info.format(best['ci_high'])}), "
        f"over {len(curve)} grid points on the same replications."
    ]
    figures = [
        StudyFigure(
            f"sweep_{k}",
            f"Mean {kpi_info(k).label} at each value of {setting_label(keys[0])}: the dark band is "
            "the 95% interval of the mean, the light band where 90% of replications fall.",
            draw=functools.partial(sweep_curve, table, keys[0], k),
        )
        for k in kpis
        if len(keys) == 1
    ]
    readable = sweep_rows(table[table["kpi"].isin(kpis)].to_dict("records"), keys)
    return Study(
        "sweep",
        directory,
        f"Sweep of {', '.join(map(setting_label, keys))}",
        summary,
        study,
        readable,
        figures,
    )


def _sensitivity(directory: Path) -> Study:
    study = _json(directory / STUDY_JSON)
    if (directory / SOBOL_CSV).is_file():
        table = pd.read_csv(directory / SOBOL_CSV)
        label = kpi_info(study.get("kpi", HEADLINE_KPI)).label
        top = table.iloc[0]
        summary = [
            f"{setting_title(top['parameter'])} accounts for the largest share of the variance "
            f"of {label} (total Sobol index {top['ST']:.2f}, first-order {top['S1']:.2f})."
        ]
        return Study(
            "sensitivity",
            directory,
            f"Sobol indices of {label}",
            summary,
            study,
            sobol_rows(table.to_dict("records")),
        )
    from orgsim.plots import tornado

    table = pd.read_csv(directory / SENSITIVITY_CSV)
    kpi = str(table["kpi"].iloc[0]) if "kpi" in table.columns else HEADLINE_KPI
    info = kpi_info(kpi)
    fmt = info.format
    top = table.iloc[0]
    summary = [
        f"{info.title} moves most with {setting_label(top['parameter'])}: from "
        f"{fmt(top['kpi_at_low'])} to {fmt(top['kpi_at_high'])} as it goes from "
        f"{top['low_value']:g} to {top['high_value']:g} (at the scenario's values: "
        f"{fmt(top['base'])})."
    ]
    if len(table) > 1:
        summary[0] += f" Next: {', '.join(setting_label(p) for p in table['parameter'][1:3])}."
    figure = StudyFigure(
        "tornado",
        f"{info.title} at each assumption's low and high end, everything else at the "
        "scenario's values; the widest swing is on top.",
        draw=lambda: tornado(table, kpi=kpi),
    )
    return Study(
        "sensitivity",
        directory,
        f"What moves {info.label}",
        summary,
        study,
        swing_rows(table.to_dict("records"), kpi),
        [figure],
    )


def _explain(directory: Path) -> Study:
    import numpy as np

    from orgsim.plots import contributions_waterfall

    table = pd.read_csv(directory / CONTRIBUTIONS_CSV).fillna({"settings": ""})
    study = _json(directory / STUDY_JSON)
    kpi = study.get("kpi", HEADLINE_KPI)
    info = kpi_info(kpi)
    total = study.get("total") or {
        "n": int(table["n"].max()),
        "mean": float(table["mean"].sum()),
        "low": float("nan"),
        "high": float("nan"),
    }

    movers = table[table["mean"] != 0].head(2)
    named = " and ".join(
        f"{r['group']} ({signed(kpi, r['mean'])})" for r in movers.to_dict("records")
    )
    against = f"{study.get('scenario', 'B')} against {study.get('baseline', 'A')}"
    drives = (
        f"What drives it ({against}): mostly {named}, of {signed(kpi, total['mean'])} per "
        f"{info.label.removeprefix('cost per ')} in all."
        if named and info.label.startswith("cost per ")
        else f"What drives it ({against}): mostly {named}, of {signed(kpi, total['mean'])} in all."
    )
    summary = [
        f"{against}: {info.label} {signed(kpi, total['mean'])} on average (95% CI "
        f"{signed(kpi, total['low'])} to {signed(kpi, total['high'])}); {drives.split(': ', 1)[1]}"
    ]
    whole = Contribution(
        "total", np.asarray(0.0), total["n"], total["mean"], total["low"], total["high"]
    )
    figure = StudyFigure(
        "contributions",
        f"What each mechanism adds to the difference in {info.label} (Shapley values, 95% "
        "intervals), and the total at the bottom.",
        draw=lambda: contributions_waterfall(table, whole, kpi=kpi),
    )
    return Study(
        "explain",
        directory,
        f"What each mechanism contributes: {against}",
        summary,
        study,
        contribution_rows(table.to_dict("records"), kpi),
        [figure],
        drives=drives,
    )


def _discover(directory: Path) -> Study:
    document = _json(directory / DISCOVERY_JSON)
    sentences = [str(s) for s in document.get("sentences", [])]
    wins = document.get("wins", {})
    designs = list(wins)
    if len(designs) == 2 and wins[designs[1]] > wins[designs[0]]:
        # The design that wins at more points leads; its sentences come second in the file.
        sentences = [s for s in sentences if s.startswith(f"{designs[1]} ")] + [
            s for s in sentences if not s.startswith(f"{designs[1]} ")
        ]
    rows = [[str(design), str(count)] for design, count in wins.items()]
    boxed = [s for s in sentences if " where " in s]
    changes = f"What would change it: {(boxed or sentences or ['no region found'])[0]}"
    figures = _pngs(
        directory,
        {
            "discovery_regions": "The sampled assumptions on the two that decide most, coloured "
            "by the design that wins there, with each design's box.",
            "discovery_peeling": "PRIM's peeling trajectory: density against coverage of each box.",
        },
    )
    return Study(
        "discover",
        directory,
        "Where each design wins",
        sentences,
        document,
        Readable(["Design", "Points where it wins"], rows, frozenset({1})),
        figures,
        changes=changes,
    )


def _optimize(directory: Path) -> Study:
    document = _json(directory / OPTIMIZATION_JSON)
    trials = pd.read_csv(directory / TRIALS_CSV) if (directory / TRIALS_CSV).is_file() else None
    kpi = str(document.get("kpi", HEADLINE_KPI))
    info = kpi_info(kpi)
    header: list[str] = []
    rows: list[list[str]] = []
    if trials is not None and kpi in trials.columns:
        levers = [lever["key"] for lever in document.get("levers", [])]
        shown = trials.sort_values(kpi, kind="stable")
        header = ["Trial", *map(setting_title, levers), info.title, "Feasible"]
        rows = [
            [
                str(r["trial"]),
                *(setting_value(r[key]) for key in levers),
                info.format(r[kpi]),
                "yes" if r.get("feasible") else "no",
            ]
            for r in shown.to_dict("records")
        ]
    figures = []
    if trials is not None and kpi in trials.columns:
        from orgsim.plots import optimization_trials

        figures.append(
            StudyFigure(
                "trials",
                f"Each trial's mean {info.label} with its standard error, feasible or not; the "
                "candidates re-run by ranking and selection, and the best so far.",
                draw=functools.partial(optimization_trials, trials, kpi),
            )
        )
    return Study(
        "optimize",
        directory,
        f"The best lever settings for {info.label}",
        [str(document.get("sentence", ""))],
        document,
        Readable(header, rows, frozenset(range(1, len(header) - 1))),
        figures,
    )


def _calibrate(directory: Path) -> Study:
    document = _json(directory / CALIBRATION_JSON)
    posterior = document.get("posterior", [])
    rows = [
        [setting_title(str(p.get("parameter", "")))]
        + [f"{p.get(c, float('nan')):,.4g}" for c in ("median", "ci_low", "ci_high")]
        for p in posterior
    ]
    coverage = document.get("backtest_coverage_90")
    summary = [
        f"Fitted {len(posterior)} parameter(s) of {document.get('scenario', 'the scenario')} to "
        f"{document.get('actuals', {}).get('months', '?')} months of actuals in "
        f"{document.get('simulations', '?')} simulations"
        + (
            f"; {coverage:.0%} of actual months fall inside the 90% band."
            if coverage is not None
            else "."
        ),
        what_the_data_decided(
            (str(p["parameter"]), float(p["width_vs_prior"]))
            for p in posterior
            if "parameter" in p and "width_vs_prior" in p
        ),
    ]
    figures = _pngs(
        directory,
        {
            BACKTEST_FIGURE: "Each actual month against the posterior predictive median and "
            "90% band.",
            MARGINALS_FIGURE: "Each parameter's posterior over its prior.",
        },
    )
    provenance = {**document, "replications": document.get("simulations")}
    return Study(
        "calibrate",
        directory,
        f"Calibration of {document.get('scenario', 'the scenario')}",
        summary,
        provenance,
        Readable(
            ["Parameter", "Posterior median", "90% low", "90% high"], rows, frozenset({1, 2, 3})
        ),
        figures,
    )


READERS: dict[str, Callable[[Path], Study]] = {
    "sweep": _sweep,
    "sensitivity": _sensitivity,
    "explain": _explain,
    "discover": _discover,
    "optimize": _optimize,
    "calibrate": _calibrate,
}
"""How each kind of study directory is read."""
