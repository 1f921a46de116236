"""Progress shows on a terminal only, and tables align their figures."""

from __future__ import annotations

import io
import sys

from orgsim.terminal import progress_bar, text_table


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar("compare") as progress:
        assert progress is None
    assert sys.stderr.getvalue() == ""


def test_progress_draws_a_bar_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_bar("sweep") as progress:
        assert progress is not None
        progress(0, 4)
        progress(4, 4)
    assert "sweep" in sys.stderr.getvalue() and "100%" in sys.stderr.getvalue()


def test_text_tables_right_align_figures_and_left_align_names():
    table = text_table(["Design", "Cost"], [["Sales", "$1,000"], ["Marketing", "$12"]], right={1})
    assert table.splitlines() == ["Design       Cost", "Sales      $1,000", "Marketing     $12"]
