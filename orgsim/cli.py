"""The ``orgsim`` command: thin click wrappers over the public API."""

from __future__ import annotations

import click

from orgsim import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orgsim")
def main() -> None:
    """Simulate who should own inside sales: run, compare and explain org designs."""
