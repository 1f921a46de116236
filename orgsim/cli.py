"""The ``orgsim`` command: thin click wrappers over the public API."""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

import click
import yaml

from orgsim.analysis import HEADLINE_KPI
from orgsim.calibration.abc import DEFAULT_BUDGET
from orgsim.experiment import (
    BACKENDS,
    DEFAULT_REPLICATIONS,
    DISCOVER_REPLICATIONS,
    EXPLAIN_REPLICATIONS,
    PRECISION_MAX_REPLICATIONS,
    SOBOL_CSV,
    SOBOL_REPLICATIONS,
    TRIAL_REPLICATIONS,
    BackendName,
    DaskUnavailableError,
    OutputExistsError,
    OutputFile,
    OutputLocationError,
    atomic_write,
    check_destination,
    describe_stop,
    exit_status,
    simulate,
    simulate_until_precise,
    staged_directory,
    study_file,
    study_seed,
    summary_table,
    write_files,
)
from orgsim.kpis import KEY_KPIS, KPI_NAMES, format_change, kpi_info
from orgsim.readable import (
    Readable,
    contribution_rows,
    signed,
    sobol_rows,
    sweep_rows,
    swing_rows,
)
from orgsim.scenario import Problem, Scenario, ScenarioError, load, resolved_yaml, validate_files
from orgsim.scenario.document import MAX_INTEGER_DIGITS
from orgsim.terminal import progress_bar, text_table
from orgsim.version import __version__
from orgsim.workshop.deck import is_deck, load_deck

if TYPE_CHECKING:
    from orgsim.experiment import Discovery, Optimization, Results

F = TypeVar("F", bound=Callable[..., Any])

SET_SOURCE = "--set"
"""How messages name a command-line override: ``--set key=value``."""


class OrgsimGroup(click.Group):
    """Every command's ``ScenarioError`` becomes its problems on stderr and exit status 2.

    Bad input is the user's to fix, so it gets a message per problem and no
    traceback. A stop (Ctrl-C, or SIGTERM and SIGHUP once ``orgsim.__main__``
    has made them stops) gets one line and exit status 128 + the signal's
    number. Any command added to ``main`` gets both for free.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScenarioError as error:
            report_problems(error.problems)
            ctx.exit(2)
        except KeyboardInterrupt as stop:
            click.echo(f"\n{describe_stop(stop)}.", err=True)
            ctx.exit(exit_status(stop))


def report_problems(problems: list[Problem]) -> None:
    """Print each problem on its own line of stderr."""
    for problem in problems:
        click.echo(str(problem), err=True)


def _parse_overrides(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for item in values:
        key, equals, text = item.partition("=")
        if not equals or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", ctx, param)
        if re.search(rf"\d{{{MAX_INTEGER_DIGITS + 1}}}", text):
            message = (
                f"{item[:80]!r}: VALUE holds a number over {MAX_INTEGER_DIGITS} digits long; "
                "no setting needs one"
            )
            raise click.BadParameter(message, ctx, param)
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as error:
            problem = getattr(error, "problem", None) or error
            message = f"{item!r}: VALUE is not valid YAML ({problem})"
            raise click.BadParameter(message, ctx, param) from None
        overrides.pop(key.strip(), None)
        overrides[key.strip()] = value
    return overrides


def overrides_option(command: F) -> F:
    """Add ``--set KEY=VALUE`` (repeatable) to a command; it receives ``overrides: dict``.

    Pass them on as ``load(path, overrides, override_source=SET_SOURCE)`` so
    messages name the ``--set`` that caused them.
    """
    return click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        callback=_parse_overrides,
        help="Override a scenario key, e.g. --set teams.sdr.headcount=10 or "
        "--set 'demand.fit={dist: beta, mean: 0.4, sd: 0.1}'. VALUE is YAML. Repeatable.",
    )(command)


def format_option() -> Callable[[F], F]:
    """``--format table|json``, the same on every command: what a person reads, or JSON for scripts."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="What stdout gets: table for people, or JSON for scripts.",
    )


@dataclass(frozen=True, slots=True)
class Experiment:
    """How to run: ``--reps``, ``--seed``, and where (``--workers``, ``--backend``, ``--address``)."""

    replications: int | None
    seed: int | None
    workers: int | None
    backend: BackendName
    address: str | None

    @property
    def where(self) -> Where:
        """Keyword arguments for every ``simulate``-based API."""
        return {"workers": self.workers, "backend": self.backend, "address": self.address}


class Where(TypedDict):
    """Where a study runs, as every API function of the experiment layer takes it."""

    workers: int | None
    backend: BackendName
    address: str | None


@dataclass(frozen=True, slots=True)
class Output:
    """Where results go and how stdout reads: ``--out``, ``--force``, ``--format``, ``--plots``."""

    out: Path
    force: bool
    format: str
    plots: bool


FILE_REPLICATIONS = f"Replications (default: the file's, else {DEFAULT_REPLICATIONS})."
"""--reps's help where the scenario file's count is the default."""


def experiment_options(replications_help: str = FILE_REPLICATIONS) -> Callable[[F], F]:
    """Add the run options; the command receives them as ``experiment: Experiment``."""
    return functools.partial(_experiment_options, replications_help=replications_help)


def _experiment_options(command: F, replications_help: str) -> F:
    @functools.wraps(command)
    def bundled(
        *args: Any,
        replications: int | None,
        seed: int | None,
        workers: int | None,
        backend: BackendName,
        address: str | None,
        **kwargs: Any,
    ) -> Any:
        _check_address(backend, address)
        experiment = Experiment(replications, seed, workers, backend, address)
        return command(*args, experiment=experiment, **kwargs)

    options = [
        click.option(
            "--reps",
            "replications",
            type=click.IntRange(min=1),
            help=replications_help,
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            help="Run seed (default: the file's, else fresh entropy, recorded with the results).",
        ),
        *WHERE_OPTIONS,
    ]
    return _apply(options, bundled)


def where_options(command: F) -> F:
    """Add ``--workers``, ``--backend`` and ``--address``; the command receives ``where: Where``."""

    @functools.wraps(command)
    def bundled(
        *args: Any, workers: int | None, backend: BackendName, address: str | None, **kwargs: Any
    ) -> Any:
        _check_address(backend, address)
        return command(
            *args, where=Where(workers=workers, backend=backend, address=address), **kwargs
        )

    return _apply(WHERE_OPTIONS, bundled)


WHERE_OPTIONS = [
    click.option(
        "--workers",
        type=click.IntRange(min=1),
        help="Worker processes (default: every core; 1 runs in this process).",
    ),
    click.option(
        "--backend",
        type=click.Choice(BACKENDS),
        default="local",
        show_default=True,
        help="local: a process pool on this machine. dask: a Dask LocalCluster, or --address.",
    ),
    click.option(
        "--address", metavar="ADDR", help="A Dask scheduler to use, e.g. tcp://scheduler:8786."
    ),
]
"""Where replications run: every command that runs them takes these."""


def output_options(default_out: str) -> Callable[[F], F]:
    """Add the output options; the command receives them as ``output: Output``.

    ``default_out`` may name ``{stem}``, the first FILE argument without .yaml.
    """

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def bundled(
            *args: Any,
            out: Path | None,
            force: bool,
            output_format: str,
            plots: bool,
            **kwargs: Any,
        ) -> Any:
            first = kwargs.get("file") or (kwargs.get("files") or [""])[0]
            target = out if out is not None else Path(default_out.format(stem=Path(first).stem))
            return command(*args, output=Output(target, force, output_format, plots), **kwargs)

        options = [
            click.option(
                "--out",
                type=click.Path(path_type=Path),
                help=f"Output directory (default: {default_out.format(stem='<FILE without .yaml>')}).",
            ),
            click.option(
                "--force", is_flag=True, help="Replace the output directory if it exists."
            ),
            format_option(),
            click.option("--plots", is_flag=True, help="Also write the figures, as PNG and SVG."),
        ]
        return _apply(options, bundled)

    return decorate


def _apply(options: list[Callable[[Any], Any]], command: Any) -> Any:
    for option in reversed(options):
        command = option(command)
    return command


def _check_address(backend: str, address: str | None) -> None:
    if address is not None and backend != "dask":
        raise click.UsageError("--address names a Dask scheduler: add --backend dask")


@contextmanager
def _output_errors(output: Output) -> Iterator[None]:
    """An existing or unwritable output directory, a missing Dask or a stop end the command cleanly.

    The output directory is checked first, so that a run never ends in an
    error it could have given before it started.
    """
    out = output.out
    try:
        check_destination(out, output.force)
        yield
    except OutputExistsError:
        click.echo(
            f"{out} already exists: choose another --out, or --force to replace it", err=True
        )
        raise click.exceptions.Exit(2) from None
    except (OutputLocationError, DaskUnavailableError) as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(2) from None
    except KeyboardInterrupt as stop:
        kept = f"{out} is as it was" if out.exists() else f"nothing was written to {out}"
        click.echo(f"\n{describe_stop(stop)}: workers stopped; {kept}.", err=True)
        raise click.exceptions.Exit(exit_status(stop)) from None


Figures = Callable[[Path], list[str]]
"""Draws a command's figures into a directory; returns what to tell the user it wrote."""


def _write_output(output: Output, files: Sequence[OutputFile], figures: Figures) -> None:
    """The command's directory, whole: its files, with --plots its figures, then renamed into place.

    So ``--force`` leaves no file of the previous output, and a stop or a
    failure while drawing leaves the directory as it was.
    """
    written: list[str] = []
    with staged_directory(output.out, force=output.force) as staging:
        write_files(staging, files)
        if output.plots:
            written = figures(staging)
    for line in written:
        click.echo(line.format(out=output.out), err=True)


def _standard_figures(staging: Path) -> list[str]:
    """The standard figures of a results directory, next to its tables."""
    from orgsim.report import read_run, write_figures

    written = write_figures([read_run(staging)], staging)
    return [f"wrote {len(written)} figures to {{out}}"]


def _named_figures(draw: Mapping[str, Callable[[], Any]]) -> Figures:
    """Figures drawn by ``draw`` (name -> function returning the figure), each as PNG and SVG."""

    def write(staging: Path) -> list[str]:
        from orgsim.plots import save_figure

        lines = []
        for name, figure in draw.items():
            save_figure(figure(), staging, name)
            lines.append(f"wrote {{out}}/{name}.png and .svg")
        return lines

    return write


def _discovery_figures(result: Discovery) -> Figures:
    """The boxes over the two most telling parameters (when there are two), and the peeling."""
    from orgsim.plots import peeling_trajectory, region_scatter

    draw: dict[str, Callable[[], Any]] = {}
    if len(result.parameters) >= 2:
        x, y = result.most_important(2)
        draw["discovery_regions"] = lambda: region_scatter(
            result.points, result.regions, x, y, result.labels
        )
    draw["discovery_peeling"] = lambda: peeling_trajectory(result.regions)
    return _named_figures(draw)


def _optimization_figures(result: Optimization, kpi: str) -> Figures:
    """Every trial's KPI, the winner marked."""
    from orgsim.plots import optimization_trials

    return _named_figures({"trials": lambda: optimization_trials(result.trials, kpi)})


@click.group(cls=OrgsimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orgsim")
def main() -> None:
    """Simulate who should own inside sales: run, compare and explain org designs."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@overrides_option
@format_option()
def validate(files: tuple[str, ...], overrides: dict[str, Any], output_format: str) -> None:
    """Check scenario files and workshop decks (a deck's scenarios included).

    Prints OK per good file, or every problem of every file on stderr and
    exits with status 2. With --format json, stdout gets each file's problems
    (file, line, key, message) whatever the outcome.
    """
    found: dict[str, list[Problem]] = {}
    for name in files:
        if is_deck(name):
            try:
                load_deck(name)
            except ScenarioError as error:
                found[name] = error.problems
            else:
                found[name] = []
        else:
            found.update(validate_files([name], overrides, override_source=SET_SOURCE))
    bad = {name: problems for name, problems in found.items() if problems}
    if output_format == "json":
        click.echo(
            json.dumps(
                {name: [p.as_dict() for p in problems] for name, problems in found.items()},
                indent=2,
            )
        )
    for name, problems in found.items():
        if problems:
            report_problems(problems)
        elif output_format == "table":
            click.echo(f"{name}: OK")
    if bad:
        count = sum(len(problems) for problems in bad.values())
        click.echo(f"{count} problem(s) in {len(bad)} of {len(found)} file(s)", err=True)
        raise click.exceptions.Exit(2)


@main.command()
@click.argument("file", type=click.Path())
@overrides_option
@format_option()
def show(file: str, overrides: dict[str, Any], output_format: str) -> None:
    """Print the resolved scenario.

    FILE with extends, overrides and every default applied, as YAML (or JSON).
    """
    scenario = load(file, overrides, override_source=SET_SOURCE)
    if output_format == "json":
        click.echo(json.dumps(scenario.model_dump(mode="json", by_alias=True), indent=2))
    else:
        click.echo(resolved_yaml(scenario), nl=False)


# Figures and the HTML report. orgsim.report imports matplotlib, so it is imported
# inside the commands: the other commands start without it.


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the figures (default: DIRECTORY itself).",
)
@format_option()
def plot(directory: Path, out: Path | None, output_format: str) -> None:
    """Write the figures a results DIRECTORY supports, as PNG and SVG."""
    from orgsim.report import RunDirectoryError, read_run, write_figures

    target = out or directory
    try:
        run = read_run(directory)
        # The figures join what is there, all of them at once.
        with staged_directory(target, extend=True) as staging:
            names = [figure.name for figure in write_figures([run], staging)]
    except RunDirectoryError as error:
        raise click.BadParameter(str(error), param_hint="DIRECTORY") from None
    except OutputLocationError as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(2) from None
    files = [(name, target / f"{name}.png", target / f"{name}.svg") for name in names]
    if output_format == "json":
        figures = [{"name": name, "png": str(png), "svg": str(svg)} for name, png, svg in files]
        click.echo(json.dumps({"directory": str(target), "figures": figures}, indent=2))
    else:
        for _, png, svg in files:
            click.echo(f"{png}\n{svg}")


@main.command()
@click.argument("directories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file (default: DIR/report.html for one run, ./report.html for several).",
)
@click.option("--baseline", metavar="NAME", help="Scenario to compare with (default: the first).")
@format_option()
def report(
    directories: tuple[Path, ...], out: Path | None, baseline: str | None, output_format: str
) -> None:
    """Write a self-contained HTML report of results directories of any kind.

    Run and compare directories (one per scenario or several designs, same
    seed) are compared on common random numbers; sweep, sensitivity, explain,
    discover, optimize and calibrate directories each get their own section.
    The summary comes first (with an explain or discover directory beside a
    comparison, what drives the answer and what would change it), then
    figures, KPIs, the settings that differ and how to repeat each run.
    """
    from orgsim.report import BaselineError, RunDirectoryError, read_run, write_report
    from orgsim.report.studies import read_study, study_kind

    target = out or (
        directories[0] / "report.html" if len(directories) == 1 else Path("report.html")
    )
    kinds = {directory: study_kind(directory) for directory in directories}
    try:
        runs = [read_run(directory) for directory, kind in kinds.items() if kind is None]
        studies = [read_study(directory) for directory, kind in kinds.items() if kind]
    except (RunDirectoryError, ValueError, OSError) as error:
        raise click.BadParameter(str(error), param_hint="DIRECTORIES") from None
    try:
        built = write_report(runs, target, baseline, studies)
    except BaselineError as error:
        raise click.BadParameter(str(error), param_hint="--baseline") from None
    if output_format == "json":
        summary = {
            "report": str(target),
            "scenarios": built.scenarios,
            "baseline": built.baseline,
            "figures": built.figures,
            "summary": built.summary,
            "verdicts": built.verdicts,
        }
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(str(target))


POSTERIOR_OPTION = click.option(
    "--posterior",
    type=click.Path(dir_okay=False),
    help="posterior.csv of orgsim calibrate: each replication draws its parameters from it.",
)


@main.command()
@click.argument("file", type=click.Path())
@experiment_options()
@overrides_option
@output_options("results/{stem}")
@POSTERIOR_OPTION
@click.option(
    "--until-precision",
    "precision",
    type=click.FloatRange(min=0, min_open=True),
    callback=lambda ctx, param, value: _finite(value, param),
    help="Add replications in batches until the 95% CI half-width of --precision-kpi is "
    "below this share of its mean (e.g. 0.02); --reps is then the most to run "
    f"(default {PRECISION_MAX_REPLICATIONS}).",
)
@click.option(
    "--precision-kpi",
    default=HEADLINE_KPI,
    show_default=True,
    callback=lambda ctx, param, value: _known_kpi(value, param),
    help="The KPI --until-precision watches.",
)
def run(
    file: str,
    experiment: Experiment,
    overrides: dict[str, Any],
    output: Output,
    posterior: str | None,
    precision: float | None,
    precision_kpi: str,
) -> None:
    """Run FILE's scenario many times and write the results directory.

    With --posterior, replication i takes the posterior's i-th draw (resampled by
    weight from the seed), as compare --posterior does in every design.

    Files in the output directory: replications.csv (and .parquet with
    pyarrow), monthly.csv, summary.json, scenario.yaml. Exit status 0 when
    every replication completed, 1 when some raised (the rest are saved), 2
    for bad input or an existing output directory, 130 when interrupted.
    """
    scenario = load(file, overrides, override_source=SET_SOURCE)
    replications, seed = experiment.replications, experiment.seed
    if posterior is not None and precision is not None:
        raise click.UsageError("--posterior and --until-precision do not combine: give one")
    with _output_errors(output):
        if posterior is not None:
            from orgsim.calibration.second_order import run_over_posterior

            draws, count, seed = _over_posterior(scenario, posterior, experiment)
            results = run_over_posterior(scenario, draws, count, seed, **experiment.where)
        elif precision is None:
            with progress_bar(scenario.name) as progress:
                results = simulate(
                    scenario, replications, seed, progress=progress, **experiment.where
                )
        else:
            with progress_bar(scenario.name) as progress:
                results, stop = simulate_until_precise(
                    scenario,
                    precision_kpi,
                    precision,
                    seed,
                    max_replications=replications,
                    progress=progress,
                    **experiment.where,
                )
            state = "reached" if stop.converged else "not reached"
            click.echo(
                f"precision {precision:g} on {precision_kpi} {state} after {stop.replications} "
                f"replications (relative half-width {stop.relative_half_width:.3g})",
                err=True,
            )
        _write_output(output, results.files(), _standard_figures)

    click.echo(
        f"{results.requested} replications in {results.wall_time:.1f} s "
        f"({results.replications_per_second:.1f}/s, {results.workers} {results.backend} "
        f"worker{'s' if results.workers != 1 else ''}); wrote {output.out}: "
        + ", ".join(sorted(path.name for path in output.out.iterdir())),
        err=True,
    )
    if output.format == "json":
        click.echo(results.summary_json(), nl=False)
    elif not results.replications.empty:
        click.echo(
            f"{scenario.name}: {len(results.replications)} replications, seed {results.seed}"
        )
        click.echo(summary_table(results.summary()))
    _exit_on_failures([results])


SHOWN_FAILURES = 20
"""Failed replications named one by one on stderr; summary.json lists them all."""


def _exit_on_failures(runs: Sequence[Results]) -> None:
    """Name the failed replications of every run on stderr, and exit 1 if there is one."""
    for run in runs:
        if not run.failures:
            continue
        name = run.scenario.name
        if run.replications.empty:
            click.echo(f"{name}: every one of its {run.requested} replications failed", err=True)
        click.echo(f"{name}: {len(run.failures)} replication(s) failed and are left out:", err=True)
        for failure in run.failures[:SHOWN_FAILURES]:
            click.echo(f"  {failure.describe()}", err=True)
        if len(run.failures) > SHOWN_FAILURES:
            click.echo(f"  and {len(run.failures) - SHOWN_FAILURES} more", err=True)
    if any(run.failures for run in runs):
        raise click.exceptions.Exit(1)


def _finite(value: float | None, param: click.Parameter) -> float | None:
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"must be a finite number such as 0.02, got {value}", param=param)
    return value


def _known_kpi(name: str, param: click.Parameter) -> str:
    if name not in KPI_NAMES:
        close = difflib.get_close_matches(name, KPI_NAMES, n=3)
        hint = (
            f"; did you mean {' or '.join(close)}?" if close else f"; one of {', '.join(KPI_NAMES)}"
        )
        raise click.BadParameter(f"unknown KPI {name!r}{hint}", param=param)
    return name


def _echo_table(table: Any, output: Output, text: str) -> None:
    """A result table on stdout: JSON records of ``table``, or ``text`` for people; then where."""
    if output.format == "json":
        click.echo(table.to_json(orient="records", indent=2))
        return
    click.echo(text)
    click.echo(f"wrote {output.out}", err=True)


def _seed_and_replications(experiment: Experiment, scenario: Scenario) -> tuple[int, int]:
    """The seed and replications the study will run, resolved first so ``study.json`` has them."""
    from orgsim.experiment import study_replications, study_seed

    return study_seed(experiment.seed, scenario), study_replications(
        experiment.replications, scenario
    )


def _readable(table: Readable) -> str:
    return text_table(table.header, table.rows, right=table.numeric)


@main.command(name="compare")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@experiment_options()
@overrides_option
@output_options("results/compare")
@POSTERIOR_OPTION
@click.option(
    "--findings",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help="An explain or discover directory made earlier: the summary adds what drives the "
    "answer, or what would change it. Repeatable.",
)
def compare_command(
    files: tuple[str, ...],
    experiment: Experiment,
    overrides: dict[str, Any],
    output: Output,
    posterior: str | None,
    findings: tuple[Path, ...],
) -> None:
    """Compare designs on common random numbers: the answer first, then each design's verdict.

    Every FILE runs with the same seed and replications; --set applies to all.
    Each design is judged against the design it changes least: a marketing-owned
    design against the sales-owned design nearest to it beyond ownership, any
    other against the first. Writes replications.csv, monthly.csv, pairs.csv
    (those pairs), differences.csv/.json (against the first) and comparison.json.
    """
    from orgsim import compare
    from orgsim.experiment import PAIRS_CSV

    if len(files) < 2:
        raise click.UsageError("compare needs at least two scenario files")
    context = _findings(findings)
    scenarios = [load(file, overrides, override_source=SET_SOURCE) for file in files]
    with _output_errors(output):
        with progress_bar("compare") as progress:
            if posterior is None:
                result = compare(
                    scenarios,
                    experiment.replications,
                    experiment.seed,
                    progress=progress,
                    **experiment.where,
                )
            else:
                result = _compare_over_posterior(scenarios, posterior, experiment)
        _write_output(output, result.files(), _standard_figures)
    empty = [run.scenario.name for run in result.runs if run.replications.empty]
    if output.format == "json":
        click.echo(json.dumps(result.document(), indent=2))
    elif empty:
        click.echo(f"nothing to compare: no replication of {' or '.join(empty)} completed")
        click.echo(f"wrote {output.out}", err=True)
    else:
        first, *rest = result.answer()
        click.echo("\n".join([first, *context, *rest]) + "\n")
        click.echo("\n".join(result.matched_verdicts()) + "\n")
        click.echo(_comparison_table(result))
        click.echo(f"wrote {output.out}: every KPI with intervals in {PAIRS_CSV}", err=True)
    _exit_on_failures(result.runs)


def _findings(directories: Sequence[Path]) -> list[str]:
    """What the explain and discover directories given say about the answer, a sentence each."""
    from orgsim.report.studies import read_study, study_kind

    lines = []
    for directory in directories:
        if study_kind(directory) not in ("explain", "discover"):
            raise click.BadParameter(
                f"{directory}: not an explain or discover directory", param_hint="--findings"
            )
        study = read_study(directory)
        lines += [line for line in (study.drives, study.changes) if line]
    return lines


def _comparison_table(result: Any) -> str:
    """Each design's mean of the key KPIs, and its change against the design it is judged against.

    Designs are numbered, and the ``vs`` column gives the number of the design
    each is judged against, so long names are written once.
    """
    number = {name: str(i) for i, name in enumerate(result.scenarios, start=1)}
    against = {pair.design: pair.baseline for pair in result.pairs}
    matched = result.matched.set_index(["scenario", "kpi"])
    means = result.replications.groupby("scenario", sort=False)[list(KEY_KPIS)].mean()
    rows = []
    for name in result.scenarios:
        cells = [number[name], name, number.get(against.get(name, ""), "")]
        for kpi in KEY_KPIS:
            cell = kpi_info(kpi).format(float(means.loc[name, kpi]))
            if (name, kpi) in matched.index:
                row = matched.loc[(name, kpi)]
                cell += f" ({format_change(kpi, row['diff'], row['rel_diff'])})"
            cells.append(cell)
        rows.append(cells)
    header = ["#", "Design", "vs", *(kpi_info(kpi).title for kpi in KEY_KPIS)]
    return text_table(header, rows, right={0, 2, *range(3, 3 + len(KEY_KPIS))})


def _over_posterior(
    first: Scenario, posterior: str, experiment: Experiment
) -> tuple[Any, int, int]:
    """``--posterior``'s draws, and the replications and seed of a run over them."""
    from orgsim.calibration.abc import fresh_seed
    from orgsim.calibration.posterior import read_posterior

    draws = read_posterior(posterior)
    count = experiment.replications or first.replications or DEFAULT_REPLICATIONS
    seed = experiment.seed if experiment.seed is not None else first.seed
    seed = fresh_seed() if seed is None else seed
    click.echo(f"over {count} draws from {posterior}, seed {seed}", err=True)
    return draws, count, seed


def _compare_over_posterior(
    scenarios: list[Scenario], posterior: str, experiment: Experiment
) -> Any:
    """``compare --posterior``: each replication under its own posterior draw."""
    from orgsim.calibration.second_order import compare_over_posterior

    draws, count, seed = _over_posterior(scenarios[0], posterior, experiment)
    return compare_over_posterior(scenarios, draws, count, seed, **experiment.where)


@main.command(name="sweep")
@click.argument("file", type=click.Path())
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="KEY=LO:HI:STEPS",
    help="A key and its grid, e.g. management.sdr_manager.time.planned_share=0.1:1:10. One or two.",
)
@click.option(
    "--kpi",
    "kpis",
    multiple=True,
    default=[HEADLINE_KPI],
    show_default=True,
    help="KPI(s) to print and plot.",
)
@experiment_options()
@overrides_option
@output_options("results/sweep")
def sweep_command(
    file: str,
    varies: tuple[str, ...],
    kpis: tuple[str, ...],
    experiment: Experiment,
    overrides: dict[str, Any],
    output: Output,
) -> None:
    """Run FILE over a grid of one or two keys, every point on common random numbers."""
    from orgsim import sweep
    from orgsim.experiment import parse_vary

    try:
        vary = dict(parse_vary(text) for text in varies)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--vary") from None
    scenario = load(file, overrides, override_source=SET_SOURCE)
    seed, count = _seed_and_replications(experiment, scenario)
    with _output_errors(output):
        with progress_bar("sweep") as progress:
            result = sweep(scenario, vary, count, seed, progress=progress, **experiment.where)
        from orgsim.plots import sweep_curve

        key = next(iter(vary))
        curves = {
            f"sweep_{kpi}": functools.partial(sweep_curve, result.table, key, kpi)
            for kpi in kpis
            if len(vary) == 1
        }
        details = {"vary": {k: list(v) for k, v in vary.items()}, "kpis": list(kpis)}
        provenance = study_file("sweep", seed, count, [scenario.name], details)
        _write_output(output, [*result.files(), provenance], _named_figures(curves))
    rows = result.table[result.table["kpi"].isin(kpis)]
    table = rows[[*result.keys, "kpi", "mean", "ci_low", "ci_high", "p5", "p95"]]
    records = table.to_dict("records")
    _echo_table(table, output, _readable(sweep_rows(records, result.keys)))


@main.command(name="sensitivity")
@click.argument("file", type=click.Path())
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=LO:HI",
    help="A range to try instead of the file's sensitivity section. Repeatable.",
)
@click.option("--kpi", help="The KPI to explain (default: the file's sensitivity.kpi).")
@click.option(
    "--method",
    type=click.Choice(["oat", "sobol"]),
    default="oat",
    show_default=True,
    help="oat: one-at-a-time low/high swings (a tornado). sobol: global Sobol indices over the "
    "ranges (needs the sensitivity extra; runs base-samples x (parameters + 2) designs).",
)
@click.option(
    "--base-samples",
    type=click.IntRange(min=2),
    default=32,
    show_default=True,
    help="Sobol: base sample size (a power of two).",
)
@experiment_options(
    f"Replications (default: the file's, else {DEFAULT_REPLICATIONS}; "
    f"with --method sobol, {SOBOL_REPLICATIONS} per sample point)."
)
@overrides_option
@output_options("results/sensitivity")
def sensitivity_command(
    file: str,
    params: tuple[str, ...],
    kpi: str | None,
    method: str,
    base_samples: int,
    experiment: Experiment,
    overrides: dict[str, Any],
    output: Output,
) -> None:
    """Which assumptions move a KPI most: one-at-a-time swings or Sobol indices, largest first."""
    ranges = dict(_parse_range(text) for text in params) or None
    scenario = load(file, overrides, override_source=SET_SOURCE)
    if kpi is not None and kpi not in KPI_NAMES:
        raise click.BadParameter(f"unknown KPI {kpi!r}", param_hint="--kpi")
    seed, count = _seed_and_replications(experiment, scenario)
    with _output_errors(output):
        if method == "sobol":
            count = experiment.replications or SOBOL_REPLICATIONS
            table = _sobol(scenario, ranges, kpi, base_samples, experiment, seed, count)
            sobol_file: OutputFile = (SOBOL_CSV, lambda f: table.to_csv(f, index=False), False)
            details: dict[str, Any] = {"method": "sobol", "kpi": kpi or scenario.sensitivity.kpi}
            provenance = study_file("sensitivity", seed, count, [scenario.name], details)
            _write_output(output, [sobol_file, provenance], _named_figures({}))
            text = _readable(sobol_rows(table.to_dict("records")))
        else:
            from orgsim import sensitivity

            with progress_bar("sensitivity") as progress:
                result = sensitivity(
                    scenario, ranges, kpi, count, seed, progress=progress, **experiment.where
                )
            from orgsim.plots import tornado

            swings = functools.partial(tornado, result.table, kpi=result.kpi)
            details = {"method": "oat", "kpi": result.kpi, "base": result.base}
            provenance = study_file("sensitivity", seed, count, [scenario.name], details)
            files = [*result.files(), provenance]
            _write_output(output, files, _named_figures({"tornado": swings}))
            table = result.table.drop(columns=["kpi", "base"])
            info = kpi_info(result.kpi)
            text = f"{info.title} at the scenario's values: {info.format(result.base)}\n"
            text += _readable(swing_rows(table.to_dict("records"), result.kpi))
    _echo_table(table, output, text)


def _sobol(
    scenario: Scenario,
    ranges: dict[str, tuple[float, float]] | None,
    kpi: str | None,
    base_samples: int,
    experiment: Experiment,
    seed: int,
    replications: int,
) -> Any:
    from orgsim.experiment import SALibUnavailableError, sobol_indices

    try:
        with progress_bar("sobol") as progress:
            return sobol_indices(
                scenario,
                ranges,
                kpi,
                base_samples,
                replications,
                seed,
                progress=progress,
                **experiment.where,
            )
    except SALibUnavailableError as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(2) from None


def _parse_range(text: str) -> tuple[str, tuple[float, float]]:
    key, equals, spec = text.partition("=")
    low, colon, high = spec.partition(":")
    try:
        if not (equals and colon and key.strip()):
            raise ValueError
        return key.strip(), (float(low), float(high))
    except ValueError:
        raise click.BadParameter(
            f"expected KEY=LO:HI, got {text!r}", param_hint="--param"
        ) from None


@main.command(name="explain")
@click.argument("baseline", type=click.Path())
@click.argument("other", type=click.Path())
@click.option("--kpi", default=HEADLINE_KPI, show_default=True, help="The KPI to explain.")
@experiment_options(f"Replications per design (default: {EXPLAIN_REPLICATIONS}).")
@overrides_option
@output_options("results/explain")
@POSTERIOR_OPTION
def explain_command(
    baseline: str,
    other: str,
    kpi: str,
    experiment: Experiment,
    overrides: dict[str, Any],
    output: Output,
    posterior: str | None,
) -> None:
    """What each mechanism contributes to OTHER - BASELINE (Shapley values over setting groups).

    Runs up to 2^groups designs (fewer where a mechanism cannot act): keep --reps modest.
    With --posterior, replication i of every design takes the posterior's i-th draw.
    """
    from orgsim import explain

    a, b = (load(file, overrides, override_source=SET_SOURCE) for file in (baseline, other))
    seed = study_seed(experiment.seed, a)
    count = experiment.replications or EXPLAIN_REPLICATIONS
    with _output_errors(output):
        if posterior is not None:
            from orgsim.calibration.posterior import read_posterior
            from orgsim.calibration.second_order import explain_over_posterior

            draws = read_posterior(posterior)
            click.echo(f"over {count} draws from {posterior}, seed {seed}", err=True)
            result = explain_over_posterior(a, b, draws, count, seed, kpi=kpi, **experiment.where)
        else:
            with progress_bar("explain") as progress:
                result = explain(a, b, kpi, count, seed, progress=progress, **experiment.where)
        from orgsim.plots import contributions_waterfall

        table = result.table()
        waterfall = functools.partial(contributions_waterfall, table, result.total, kpi=result.kpi)
        total = result.total
        details = {
            "kpi": result.kpi,
            "baseline": result.baseline,
            "scenario": result.scenario,
            "total": {"n": total.n, "mean": total.mean, "low": total.ci_low, "high": total.ci_high},
        }
        provenance = study_file("explain", seed, count, [result.baseline, result.scenario], details)
        files = [*result.files(), provenance]
        _write_output(output, files, _named_figures({"contributions": waterfall}))
    info = kpi_info(result.kpi)
    text = (
        f"{result.scenario} against {result.baseline}: {info.label} "
        f"{signed(kpi, total.mean)} on average (95% CI {signed(kpi, total.ci_low)} to "
        f"{signed(kpi, total.ci_high)}; {result.designs} designs of {count} replications), "
        "of which:\n" + _readable(contribution_rows(table.to_dict("records"), result.kpi))
    )
    _echo_table(table, output, text)


@main.command(name="discover")
@click.argument("a", type=click.Path())
@click.argument("b", type=click.Path())
@click.option("--kpi", default=HEADLINE_KPI, show_default=True, help="The KPI a design wins on.")
@click.option(
    "--samples",
    type=click.IntRange(min=10),
    default=64,
    show_default=True,
    help="Points of the Latin hypercube over the ranges.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=LO:HI",
    help="A range to sample instead of the files' sensitivity sections. Repeatable.",
)
@experiment_options(f"Replications per point and design (default: {DISCOVER_REPLICATIONS}).")
@overrides_option
@output_options("results/discover")
def discover_command(
    a: str,
    b: str,
    kpi: str,
    samples: int,
    params: tuple[str, ...],
    experiment: Experiment,
    overrides: dict[str, Any],
    output: Output,
) -> None:
    """Where in the uncertain assumptions does A win, and where B? PRIM boxes, in plain words.

    Samples the files' sensitivity ranges (or --param), runs A and B at every
    point on common random numbers (--reps each, default 10) and writes
    discovery.json and points.csv; --plots adds the boxes over the points.
    """
    from orgsim import discover

    _known_kpi(kpi, click.Option(["--kpi"]))
    ranges = dict(_parse_range(text) for text in params) or None
    first, second = (load(file, overrides, override_source=SET_SOURCE) for file in (a, b))
    with _output_errors(output), _study_errors(), progress_bar("points") as progress:
        result = discover(
            first,
            second,
            kpi,
            samples,
            experiment.replications or DISCOVER_REPLICATIONS,
            experiment.seed,
            parameters=ranges,
            progress=progress,
            **experiment.where,
        )
        _write_output(output, result.files(), _discovery_figures(result))
    if output.format == "json":
        click.echo(json.dumps(result.document(), indent=2))
        return
    wins = result.points["winner"].value_counts()
    tally = ", ".join(f"{name} {wins.get(name, 0)}" for name in result.designs)
    click.echo(f"{kpi}: wins per design over {samples} points: {tally}")
    click.echo("\n".join(result.sentences()))
    click.echo(f"wrote {output.out}", err=True)


@main.command(name="optimize")
@click.argument("file", type=click.Path())
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="KEY=LO:HI[:int]",
    help="A lever and its range, e.g. teams.sdr.headcount=4:12:int. Repeatable.",
)
@click.option("--minimize", "kpi", required=True, metavar="KPI", help="The KPI to minimize.")
@click.option(
    "--constraint",
    "constraint_texts",
    multiple=True,
    metavar="'KPI<=VALUE'",
    help="A KPI limit the winner must meet in most replications, e.g. 'sdr_utilization<=0.9'.",
)
@click.option(
    "--budget", type=click.IntRange(min=1), default=30, show_default=True, help="Search trials."
)
@click.option(
    "--candidates",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Best feasible trials re-run by ranking and selection.",
)
@click.option(
    "--delta",
    type=float,
    help="Indifference zone in the KPI's units: closer than this is a tie "
    "(default: 5% of the best candidate's mean).",
)
@click.option(
    "--search",
    type=click.Choice(["auto", "tpe", "latin-hypercube"]),
    default="auto",
    show_default=True,
    help="auto: optuna's TPE when the optimize extra is installed, else a Latin hypercube.",
)
@experiment_options(f"Replications per trial (default: {TRIAL_REPLICATIONS}).")
@overrides_option
@output_options("results/optimize")
def optimize_command(
    file: str,
    varies: tuple[str, ...],
    kpi: str,
    constraint_texts: tuple[str, ...],
    budget: int,
    candidates: int,
    delta: float | None,
    search: Any,
    experiment: Experiment,
    overrides: dict[str, Any],
    output: Output,
) -> None:
    """Search levers of FILE for the lowest KPI under constraints; pick the winner by KN.

    Each trial runs --reps replications (default 10) on common random numbers;
    the best --candidates feasible trials are re-run on fresh replications
    until Kim and Nelson's procedure selects one, at 95% confidence. Writes
    optimization.json, trials.csv and winner.yaml (extends FILE, sets the levers);
    --plots adds the trials' figure. Exit status 1: no candidate was shown to
    meet the constraints, or a replication raised.
    """
    from orgsim import optimize
    from orgsim.analysis.selection import parse_constraint
    from orgsim.experiment import ReplicationFailedError, parse_lever

    try:
        levers = [parse_lever(text) for text in varies]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--vary") from None
    try:
        constraints = [parse_constraint(text) for text in constraint_texts]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--constraint") from None
    _known_kpi(kpi, click.Option(["--minimize"]))
    for constraint in constraints:
        _known_kpi(constraint.kpi, click.Option(["--constraint"]))
    _finite(delta, click.Option(["--delta"]))
    load(file, overrides, override_source=SET_SOURCE)
    failed = _study_errors(ReplicationFailedError)
    with _output_errors(output), failed, progress_bar("trials") as progress:
        result = optimize(
            file,
            levers,
            kpi,
            constraints,
            budget,
            experiment.replications or TRIAL_REPLICATIONS,
            experiment.seed,
            overrides=overrides,
            candidates=candidates,
            delta=delta,
            search=search,
            progress=progress,
            **experiment.where,
        )
        _write_output(output, result.files(output.out), _optimization_figures(result, kpi))
    if output.format == "json":
        click.echo(json.dumps(result.document(), indent=2))
    else:
        click.echo(f"{result.search} search, {budget} trials; {result.sentence}")
        click.echo(f"wrote {output.out}", err=True)
    if result.winner is None:
        raise click.exceptions.Exit(1)


@contextmanager
def _study_errors(*failures: type[Exception]) -> Iterator[None]:
    """A study's bad request (a KPI or range it cannot use) or missing extra: the message, exit 2.

    ``failures`` are the study's errors that are not the input's fault (a
    replication that raised): the message, exit status 1.
    """
    try:
        yield
    except (ValueError, ImportError) as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(2) from None
    except failures as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(1) from None


# A company's own data: the input of calibration, and a synthetic company to practise on.


def _check_month(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from orgsim.calibration.actuals import MONTH_PATTERN

    if not MONTH_PATTERN.fullmatch(value):
        raise click.BadParameter(f"expected a month as YYYY-MM, got {value!r}", ctx, param)
    return value


@main.command(name="synthesize")
@click.argument("file", type=click.Path())
@overrides_option
@click.option("--months", type=click.IntRange(1, 120), required=True, help="Months to write.")
@click.option("--seed", type=click.IntRange(min=0), required=True, help="The replication's seed.")
@click.option(
    "--start-month",
    default="2025-01",
    show_default=True,
    callback=_check_month,
    help="The label of the first month, YYYY-MM.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Monthly CSV."
)
@click.option(
    "--records",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write lead records matching the months, as a CRM would export them.",
)
@click.option("--force", is_flag=True, help="Replace --out and --records if they exist.")
def synthesize_command(
    file: str,
    overrides: dict[str, Any],
    months: int,
    seed: int,
    start_month: str,
    out: Path,
    records: Path | None,
    force: bool,
) -> None:
    """Write the monthly actuals (and lead records) of one replication of FILE's scenario.

    A company whose parameters are known: calibrate to it to see them recovered.
    """
    from orgsim.calibration import SynthesisError, synthesize

    if records is not None and records.resolve() == out.resolve():
        raise click.UsageError("--records must name another file than --out")
    targets = [out] if records is None else [out, records]
    for target in targets:
        try:
            check_destination(target, force)
        except OutputExistsError:
            click.echo(
                f"{target} already exists: choose another, or --force to replace it", err=True
            )
            raise click.exceptions.Exit(2) from None
    scenario = load(file, {**overrides, "calendar.months": months}, override_source=SET_SOURCE)
    try:
        company = synthesize(scenario, seed, start=start_month, records=records is not None)
    except SynthesisError as error:
        click.echo(f"{file}: cannot write lead records: {error}", err=True)
        raise click.exceptions.Exit(2) from None
    atomic_write(out, company.actuals.write_csv)
    if records is not None:
        atomic_write(records, company.write_records)
    written = ", ".join(str(target) for target in targets)
    click.echo(f"{scenario.name}: {months} months from {start_month}, seed {seed}; wrote {written}")


def _parse_columns(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    columns: dict[str, str] = {}
    for item in values:
        role, equals, header = item.partition("=")
        if not equals or not role.strip() or not header.strip():
            raise click.BadParameter(f"expected ROLE=HEADER, got {item!r}", ctx, param)
        columns[role.strip()] = header.strip()
    return columns


@main.command(name="actuals")
@click.argument("file", type=click.Path())
@click.option("--records", "as_records", is_flag=True, help="FILE holds lead records.")
@click.option("--mapping", type=click.Path(dir_okay=False), help="YAML: columns, outbound_sources.")
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="ROLE=HEADER",
    callback=_parse_columns,
    help="The header of a role of lead records, e.g. --column mql='MQL Date'. Repeatable.",
)
@click.option(
    "--outbound-source",
    "outbound_sources",
    multiple=True,
    metavar="VALUE",
    help="A source value of records that are not marketing leads. Repeatable.",
)
@click.option("--date-format", help="How records write dates, e.g. %m/%d/%Y (default: ISO 8601).")
@format_option()
def actuals_command(
    file: str,
    as_records: bool,
    mapping: str | None,
    columns: dict[str, str],
    outbound_sources: tuple[str, ...],
    date_format: str | None,
    output_format: str,
) -> None:
    """Check a company's data, FILE, and print it as monthly actuals.

    Monthly actuals are checked as they are. With --records, FILE has one row
    per lead; it is aggregated to months, and the conversion of each month's
    leads (cohort) to every later stage is printed too.
    """
    from orgsim.calibration import ColumnMapping, mapping_from, read_actuals, read_mapping
    from orgsim.calibration.records import read_records

    if not as_records:
        tables = {"monthly": read_actuals(file).table}
    else:
        base = read_mapping(mapping) if mapping else ColumnMapping()
        given = mapping_from({"columns": columns}, "--column")
        combined = ColumnMapping(
            {**base.columns, **given.columns},
            outbound_sources or base.outbound_sources,
            date_format or base.date_format,
            " and ".join(name for name in (mapping, "--column" if columns else None) if name)
            or base.origin,
        )
        lead_records = read_records(file, combined)
        tables = {"monthly": lead_records.monthly().table, "cohorts": lead_records.cohorts()}
    if output_format == "json":
        document = {
            name: json.loads(table.set_axis(table.index.astype(str)).to_json(orient="index"))
            for name, table in tables.items()
        }
        click.echo(json.dumps(document, indent=2))
        return
    for name, table in tables.items():
        click.echo(f"{name}:\n{table.to_string(float_format=lambda value: f'{value:,.6g}')}")


def _parse_params(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, float, float]]:
    from orgsim.calibration.priors import parse_param

    try:
        return [parse_param(text) for text in values]
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


@main.command(name="calibrate")
@click.argument("file", type=click.Path())
@click.argument("actuals", type=click.Path())
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=LO:HI",
    callback=_parse_params,
    help="A parameter to fit and its uniform prior, e.g. --param scoring.mql_threshold=0.4:0.7; "
    "adds to or replaces the file's calibration.parameters. Repeatable.",
)
@overrides_option
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    help="Run seed (default: the file's, else fresh entropy, recorded in calibration.json).",
)
@where_options
@click.option(
    "--population",
    type=click.IntRange(min=2),
    default=DEFAULT_BUDGET.population,
    show_default=True,
    help="Particles per ABC-SMC generation.",
)
@click.option(
    "--generations",
    type=click.IntRange(min=1),
    default=DEFAULT_BUDGET.generations,
    show_default=True,
    help="Most generations.",
)
@click.option(
    "--simulations",
    type=click.IntRange(min=1),
    default=DEFAULT_BUDGET.simulations,
    show_default=True,
    help="Most simulations in all (the fit stops at this or --generations).",
)
@click.option(
    "--predictive",
    type=click.IntRange(min=1),
    default=DEFAULT_BUDGET.predictive,
    show_default=True,
    help="Posterior draws simulated for the back-test.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Output directory (default: results/<FILE without .yaml>-calibration).",
)
@click.option("--force", is_flag=True, help="Replace the output directory if it exists.")
def calibrate_command(
    file: str,
    actuals: str,
    params: list[tuple[str, float, float]],
    overrides: dict[str, Any],
    seed: int | None,
    population: int,
    generations: int,
    simulations: int,
    predictive: int,
    out: Path | None,
    force: bool,
    where: Where,
) -> None:
    """Fit FILE's uncertain parameters to a company's monthly ACTUALS by ABC-SMC.

    The parameters and their priors are FILE's calibration.parameters and each --param.

    Writes posterior.csv, calibrated.yaml, calibration.json, backtest.csv and
    the back-test and marginal figures. Needs the extra: pip install 'orgsim[calibrate]'.
    """
    from orgsim.calibration.abc import Budget, calibrate, fresh_seed
    from orgsim.calibration.actuals import read_actuals

    output = Output(out or Path(f"results/{Path(file).stem}-calibration"), force, "table", False)
    if importlib.util.find_spec("pyabc") is None:
        click.echo("orgsim calibrate needs pyabc: pip install 'orgsim[calibrate]'", err=True)
        raise click.exceptions.Exit(2)
    scenario = load(file, overrides, override_source=SET_SOURCE)
    read_actuals(actuals)  # bad data is refused before the output directory is looked at
    if seed is None:
        seed = scenario.seed if scenario.seed is not None else fresh_seed()
    budget = Budget(population, generations, simulations, predictive)
    with _output_errors(output), progress_bar("simulating") as progress:
        fit = calibrate(
            scenario if overrides else file,
            actuals,
            params,
            seed,
            budget=budget,
            progress=progress,
            **where,
        )
        fit.save(output.out, force=output.force)
    click.echo(fit.populations.to_string(index=False))
    click.echo(fit.summary().to_string(index=False, float_format=lambda value: f"{value:,.4g}"))
    click.echo(
        f"{fit.simulations} simulations in {fit.wall_time:.1f} s; back-test: "
        f"{fit.coverage():.0%} of actual months inside the 90% band"
    )
    click.echo(fit.what_the_data_decided())
    click.echo(f"wrote {output.out}", err=True)


@main.command()
@click.argument("deck", required=False, type=click.Path(path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything beyond loopback lets others drive the workshop.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default 0: any free one)."
)
@click.option("--no-browser", is_flag=True, help="Print the address without opening a browser.")
def workshop(deck: Path | None, host: str, port: int, no_browser: bool) -> None:
    """Serve the live workshop app for DECK (default: the deck shipped with orgsim).

    Needs the workshop extra: pip install 'orgsim[workshop]'.
    """
    try:
        from orgsim.workshop import DEFAULT_DECK, ListenError, load_deck, serve
    except ImportError as error:
        click.echo(
            f"orgsim workshop needs the workshop extra ({error.name} is missing): "
            "pip install 'orgsim[workshop]'",
            err=True,
        )
        raise click.exceptions.Exit(2) from None
    try:
        serve(load_deck(deck or DEFAULT_DECK), host, port, open_browser=not no_browser)
    except ListenError as error:
        click.echo(f"orgsim workshop: {error}", err=True)
        raise click.exceptions.Exit(2) from None
