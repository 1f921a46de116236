"""What a person sees on a terminal: progress while replications run, and tables that read.

Both are for people only: progress goes to stderr and only when it is a
terminal, tables use the KPI registry's labels and formats; ``--format json``
is never touched by either.
"""

from orgsim.terminal.progress import progress_bar
from orgsim.terminal.tables import text_table

__all__ = ["progress_bar", "text_table"]
