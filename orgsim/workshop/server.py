"""Serving the workshop: ``orgsim workshop`` in the foreground, or a bounded server for tests.

The socket is bound before uvicorn starts, so port 0 (any free port) still
yields an address to print, open or hand to a test.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from orgsim.workshop.app import create_app
from orgsim.workshop.deck import Deck

STARTUP_SECONDS = 60.0
"""Longest wait for a test server to come up (spawning workers on a loaded machine)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def address(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def browser_available() -> bool:
    """Whether ``webbrowser`` can open a graphical browser (on Linux: a display is set)."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _server(deck: Deck, workers: int | None) -> uvicorn.Server:
    config = uvicorn.Config(create_app(deck, workers), log_level="warning", lifespan="on")
    return uvicorn.Server(config)


def serve(deck: Deck, host: str, port: int, open_browser: bool, workers: int | None = None) -> None:
    """Run the app until interrupted, printing its address and opening it when possible."""
    sock = bind(host, port)
    url = address(sock)
    print(f"orgsim workshop: {deck.title} at {url} (Ctrl+C to stop)", flush=True)
    if open_browser and browser_available():
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    # uvicorn re-raises the Ctrl+C it handled; stopping is how a workshop ends, not an error.
    with contextlib.suppress(KeyboardInterrupt):
        _server(deck, workers).run(sockets=[sock])
    print("orgsim workshop: stopped", flush=True)


@contextmanager
def running(deck: Deck, host: str = "127.0.0.1", workers: int | None = None) -> Iterator[str]:
    """A server on a free port in a thread, for tests and benchmarks; yields its URL, always stops."""
    sock = bind(host, 0)
    server = _server(deck, workers)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the workshop server did not start")
            time.sleep(0.05)
        yield address(sock)
    finally:
        server.should_exit = True
        thread.join(STARTUP_SECONDS)
        sock.close()
