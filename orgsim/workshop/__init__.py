"""``orgsim workshop``: a local web app a facilitator drives live in front of a room.

Framework: Starlette served by uvicorn (the ``workshop`` extra): one static
page and JSON endpoints are all a live demo needs, small enough to test end to
end with Playwright, with no server-side widget state to get out of step.

Names are imported on first use, so reading a deck (``orgsim validate``) needs
no web framework.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgsim.workshop.deck import DEFAULT_DECK, Deck, is_deck, load_deck
    from orgsim.workshop.server import ListenError, running, serve

__all__ = ["DEFAULT_DECK", "Deck", "ListenError", "is_deck", "load_deck", "running", "serve"]

_HOMES = {
    "DEFAULT_DECK": "deck",
    "Deck": "deck",
    "is_deck": "deck",
    "load_deck": "deck",
    "ListenError": "server",
    "running": "server",
    "serve": "server",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(importlib.import_module(f"orgsim.workshop.{_HOMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'orgsim.workshop' has no attribute {name!r}")
