"""The ``orgsim`` command: thin click wrappers over the public API."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from orgsim import __version__
from orgsim.experiment import DEFAULT_REPLICATIONS, DaskUnavailableError, Progress, simulate
from orgsim.experiment.backends import BACKENDS, BackendName
from orgsim.experiment.rundir import OutputExistsError, check_destination, summary_json
from orgsim.experiment.table import summary_table
from orgsim.scenario import Problem, ScenarioError, load, resolved_yaml, validate_files

F = TypeVar("F", bound=Callable[..., Any])

SET_SOURCE = "--set"
"""How messages name a command-line override: ``--set key=value``."""


class OrgsimGroup(click.Group):
    """Every command's ``ScenarioError`` becomes its problems on stderr and exit status 2.

    Bad input is the user's to fix, so it gets a message per problem and no
    traceback; any command added to ``main`` gets this for free.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ScenarioError as error:
            report_problems(error.problems)
            ctx.exit(2)


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


@click.group(cls=OrgsimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orgsim")
def main() -> None:
    """Simulate who should own inside sales: run, compare and explain org designs."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@overrides_option
def validate(files: tuple[str, ...], overrides: dict[str, Any]) -> None:
    """Check scenario files.

    Prints OK per good file, or every problem of every file on stderr and
    exits with status 2.
    """
    found = validate_files(files, overrides, override_source=SET_SOURCE)
    bad = {name: problems for name, problems in found.items() if problems}
    for name, problems in found.items():
        if problems:
            report_problems(problems)
        else:
            click.echo(f"{name}: OK")
    if bad:
        count = sum(len(problems) for problems in bad.values())
        click.echo(f"{count} problem(s) in {len(bad)} of {len(found)} file(s)", err=True)
        raise click.exceptions.Exit(2)


@main.command()
@click.argument("file", type=click.Path())
@overrides_option
def show(file: str, overrides: dict[str, Any]) -> None:
    """Print the resolved scenario.

    FILE with extends, overrides and every default applied, as YAML.
    """
    click.echo(resolved_yaml(load(file, overrides, override_source=SET_SOURCE)), nl=False)


# Figures and the HTML report. orgsim.report imports matplotlib, so it is imported
# inside the commands: the other commands start without it.

_FORMAT_HELP = "text lists the files written; json prints them as a JSON object."


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the figures (default: DIRECTORY itself).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help=_FORMAT_HELP,
)
def plot(directory: Path, out: Path | None, output_format: str) -> None:
    """Write the figures a results DIRECTORY supports, as PNG and SVG."""
    from orgsim.report import RunDirectoryError, read_run, write_figures

    try:
        written = write_figures([read_run(directory)], out or directory)
    except RunDirectoryError as error:
        raise click.BadParameter(str(error), param_hint="DIRECTORY") from None
    if output_format == "json":
        figures = [{"name": f.name, "png": str(f.png), "svg": str(f.svg)} for f in written]
        click.echo(json.dumps({"directory": str(out or directory), "figures": figures}, indent=2))
    else:
        for figure in written:
            click.echo(f"{figure.png}\n{figure.svg}")


@main.command()
@click.argument("directories", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file (default: DIR/report.html for one run, ./report.html for several).",
)
@click.option("--baseline", metavar="NAME", help="Scenario to compare with (default: the first).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help=_FORMAT_HELP,
)
def report(
    directories: tuple[Path, ...], out: Path | None, baseline: str | None, output_format: str
) -> None:
    """Write a self-contained HTML report of run directories.

    Several directories (one per scenario, same seed) are compared on common
    random numbers: the verdict comes first, then figures, KPIs, the settings
    that differ and how to repeat each run.
    """
    from orgsim.report import BaselineError, RunDirectoryError, read_run, write_report

    target = out or (
        directories[0] / "report.html" if len(directories) == 1 else Path("report.html")
    )
    try:
        runs = [read_run(directory) for directory in directories]
    except RunDirectoryError as error:
        raise click.BadParameter(str(error), param_hint="DIRECTORIES") from None
    try:
        built = write_report(runs, target, baseline)
    except BaselineError as error:
        raise click.BadParameter(str(error), param_hint="--baseline") from None
    if output_format == "json":
        summary = {
            "report": str(target),
            "scenarios": built.scenarios,
            "baseline": built.baseline,
            "figures": built.figures,
            "verdicts": built.verdicts,
        }
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(str(target))


@main.command()
@click.argument("file", type=click.Path())
@click.option(
    "--reps",
    "replications",
    type=click.IntRange(min=1),
    help=f"Replications (default: the file's, else {DEFAULT_REPLICATIONS}).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    help="Run seed (default: the file's, else fresh entropy, recorded in summary.json).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes (default: every core; 1 runs in this process).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default="local",
    show_default=True,
    help="local: a process pool on this machine. dask: a Dask LocalCluster, or --address.",
)
@click.option(
    "--address", metavar="ADDR", help="A Dask scheduler to use, e.g. tcp://scheduler:8786."
)
@overrides_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Output directory (default: results/<FILE without .yaml>).",
)
@click.option("--force", is_flag=True, help="Replace the output directory if it exists.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Summary on stdout: key KPIs as a table, or every KPI as summary.json's JSON.",
)
def run(
    file: str,
    replications: int | None,
    seed: int | None,
    workers: int | None,
    backend: BackendName,
    address: str | None,
    overrides: dict[str, Any],
    out: Path | None,
    force: bool,
    output_format: str,
) -> None:
    """Run FILE's scenario many times and write the results directory.

    Files in the output directory: replications.csv (and .parquet with
    pyarrow), monthly.csv, summary.json, scenario.yaml. Exit status 0 when
    every replication completed, 1 when some raised (the rest are saved), 2
    for bad input or an existing output directory, 130 when interrupted.
    """
    if address is not None and backend != "dask":
        raise click.UsageError("--address names a Dask scheduler: add --backend dask")
    scenario = load(file, overrides, override_source=SET_SOURCE)
    out = out if out is not None else Path("results") / Path(file).stem
    try:
        check_destination(out, force)
        with _progress_bar(scenario.name) as progress:
            results = simulate(
                scenario,
                replications,
                seed,
                workers=workers,
                backend=backend,
                address=address,
                progress=progress,
            )
        results.save(out, force=force)
    except OutputExistsError:
        click.echo(
            f"{out} already exists: choose another --out, or --force to replace it", err=True
        )
        raise click.exceptions.Exit(2) from None
    except DaskUnavailableError as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(2) from None
    except KeyboardInterrupt:
        kept = f"{out} is as it was" if out.exists() else f"nothing was written to {out}"
        click.echo(f"\nInterrupted: workers stopped; {kept}.", err=True)
        raise click.exceptions.Exit(130) from None

    click.echo(
        f"{results.requested} replications in {results.wall_time:.1f} s "
        f"({results.replications_per_second:.1f}/s, {results.workers} {results.backend} "
        f"worker{'s' if results.workers != 1 else ''}); wrote {out}: "
        + ", ".join(sorted(path.name for path in out.iterdir())),
        err=True,
    )
    if output_format == "json":
        click.echo(summary_json(results), nl=False)
    else:
        click.echo(
            f"{scenario.name}: {len(results.replications)} replications, seed {results.seed}"
        )
        click.echo(summary_table(results.summary()))
    if results.failures:
        click.echo(f"{len(results.failures)} replication(s) failed and are left out:", err=True)
        for failure in results.failures:
            click.echo(f"  {failure.describe()}", err=True)
        raise click.exceptions.Exit(1)


@contextmanager
def _progress_bar(label: str) -> Iterator[Progress | None]:
    """A bar on stderr when it is a terminal; no progress output otherwise (logs, pipes, CI)."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def advance(completed: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
        bar.update(completed - bar.pos)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.render_finish()


@main.command()
@click.argument("deck", required=False, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default 0: any free one)."
)
@click.option("--no-browser", is_flag=True, help="Print the address without opening a browser.")
def workshop(deck: Path | None, host: str, port: int, no_browser: bool) -> None:
    """Serve the live workshop app for DECK (default: scenarios/decks/workshop.yaml).

    Needs the workshop extra: pip install 'orgsim[workshop]'.
    """
    try:
        from orgsim.workshop import DEFAULT_DECK, load_deck, serve
    except ImportError as error:
        click.echo(
            f"orgsim workshop needs the workshop extra ({error.name} is missing): "
            "pip install 'orgsim[workshop]'",
            err=True,
        )
        raise click.exceptions.Exit(2) from None
    serve(load_deck(deck or DEFAULT_DECK), host, port, open_browser=not no_browser)
