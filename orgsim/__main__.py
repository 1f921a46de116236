"""``python -m orgsim``, and the ``orgsim`` script: the command, with Ctrl-C during start-up a clean stop.

Importing the command takes seconds (pandas, scipy, matplotlib's friends), which
is when people press Ctrl-C on a mistyped command; that gets one line and exit
status 130, not a traceback from deep inside an import.
"""

import sys


def main() -> None:
    """Import and run the ``orgsim`` command."""
    try:
        from orgsim.cli import main as command
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted.\n")
        sys.exit(130)
    command(prog_name="orgsim")


if __name__ == "__main__":
    main()
