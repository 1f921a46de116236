"""Where the shipped scenarios and the workshop deck are, installed or in a clone.

An installed orgsim carries a copy in ``orgsim/shipped/`` (see setup.py); a
clone, editable installs included, reads the repository's ``scenarios/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "shipped"
_CLONE = Path(__file__).parents[1] / "scenarios"

SHIPPED_SCENARIOS = _PACKAGED if _PACKAGED.is_dir() else _CLONE
"""The directory of the shipped scenario files (``decks/`` holds the workshop deck)."""
