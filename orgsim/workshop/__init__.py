"""``orgsim workshop``: a local web app a facilitator drives live in front of a room.

Framework: Starlette served by uvicorn (the ``workshop`` extra): one static
page and JSON endpoints are all a live demo needs, small enough to test end to
end with Playwright, with no server-side widget state to get out of step.
"""

from orgsim.workshop.deck import DEFAULT_DECK, Deck, load_deck
from orgsim.workshop.server import ListenError, running, serve

__all__ = ["DEFAULT_DECK", "Deck", "ListenError", "load_deck", "running", "serve"]
