"""The ``orgsim`` command: thin click wrappers over the public API."""

from __future__ import annotations

from collections.abc import Callable
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
