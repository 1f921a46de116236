"""The ``orgsim`` command: thin click wrappers over the public API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from orgsim import __version__
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
