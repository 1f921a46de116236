"""``python -m orgsim``, and the ``orgsim`` script: the command, with Ctrl-C during start-up a clean stop.

Importing the command takes seconds (pandas, scipy, matplotlib's friends), which
is when people press Ctrl-C on a mistyped command; that gets one line and exit
status 130, not a traceback from deep inside an import. SIGTERM and SIGHUP
take the same path (see ``orgsim.experiment.stops``), with 143 and 129.
"""

import sys

from orgsim.experiment.stops import describe_stop, exit_status, stop_on_signals


def main() -> None:
    """Import and run the ``orgsim`` command; SIGTERM and SIGHUP stop it as Ctrl-C does."""
    stop_on_signals()
    try:
        from orgsim.cli import main as command
    except KeyboardInterrupt as stop:
        sys.stderr.write(f"\n{describe_stop(stop)}.\n")
        sys.exit(exit_status(stop))
    command(prog_name="orgsim")


if __name__ == "__main__":
    main()
