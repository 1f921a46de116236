"""Serving the workshop: ``orgsim workshop`` in the foreground, or a bounded server for tests.

The socket is bound before uvicorn starts, so port 0 (any free port) still
yields an address to print, open or hand to a test, and an address that
cannot be listened on is a plain message before anything else starts.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
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
from orgsim.workshop.guard import LOOPBACK_HOSTS

STARTUP_SECONDS = 60.0
"""Longest wait for a test server to come up (spawning workers on a loaded machine)."""


class ListenError(Exception):
    """The address asked for cannot be listened on; the message says why in plain words."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0: any free port); ``ListenError`` if there is none."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except (OSError, ValueError, TypeError) as error:  # TypeError: a NUL in the name
        sock.close()
        raise ListenError(_why_not(host, port, error)) from None
    sock.set_inheritable(True)
    return sock


def _why_not(host: str, port: int, error: Exception) -> str:
    if isinstance(error, socket.gaierror | ValueError | TypeError):
        return f"--host {host!r} is neither an IP address nor a name this machine resolves"
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return (
            f"port {port} is in use on {host}: choose another --port, or omit it for any free one"
        )
    if isinstance(error, OSError) and error.errno == errno.EADDRNOTAVAIL:
        return f"--host {host} is not an address of this machine"
    if isinstance(error, OSError) and error.errno == errno.EACCES:
        return f"not allowed to listen on port {port} (ports below 1024 need privileges)"
    return f"cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}"


def host_names(host: str, sock: socket.socket) -> list[str]:
    """The Host header names the app answers to: loopback, ``host`` and the bound address,
    and on a wildcard bind (0.0.0.0, ::) this machine's names and addresses."""
    bound = sock.getsockname()[0]
    names = [*LOOPBACK_HOSTS, host, bound]
    if ipaddress.ip_address(bound).is_unspecified:
        names += _machine_names()
    return list(dict.fromkeys(_as_host_header(name.lower()) for name in names if name))


def _machine_names() -> list[str]:
    """This machine's names, their addresses and the address it reaches other networks from."""
    names = [socket.gethostname(), socket.getfqdn()]
    for name in list(names):
        with contextlib.suppress(OSError, UnicodeError):
            names += [str(info[4][0]) for info in socket.getaddrinfo(name, None)]
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # a documentation address: UDP connect sends nothing
        names.append(probe.getsockname()[0])
    return names


def _as_host_header(name: str) -> str:
    """An IPv6 literal in brackets, as a Host header carries it; other names as they are."""
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def exposure_warning(sock: socket.socket, hosts: list[str]) -> str | None:
    """What a bind beyond loopback exposes, or None on loopback."""
    bound, port = sock.getsockname()[:2]
    address = ipaddress.ip_address(bound)
    if address.is_loopback:
        return None
    where = "every network interface of this machine" if address.is_unspecified else bound
    return (
        f"orgsim workshop: warning: listening on {where}, port {port}, not only on this machine. "
        "There is no login: anyone who can reach it can open the page, start runs on this "
        "machine's cores, move the levers the handout is made from, and download the handout "
        f"and the deck's scenario files. It answers to Host names {', '.join(hosts)} only. "
        "The default --host 127.0.0.1 keeps it on this machine."
    )


def address(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def browser_available() -> bool:
    """Whether ``webbrowser`` can open a graphical browser (on Linux: a display is set)."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _server(deck: Deck, workers: int | None, hosts: list[str]) -> uvicorn.Server:
    config = uvicorn.Config(create_app(deck, workers, hosts), log_level="warning", lifespan="on")
    return uvicorn.Server(config)


def serve(deck: Deck, host: str, port: int, open_browser: bool, workers: int | None = None) -> None:
    """Run the app until interrupted, printing its address and opening it when possible.

    Raises ``ListenError`` when ``host:port`` cannot be listened on; warns on
    stderr when it is reachable from beyond this machine.
    """
    sock = bind(host, port)
    hosts = host_names(host, sock)
    warning = exposure_warning(sock, hosts)
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)
    url = address(sock)
    print(f"orgsim workshop: {deck.title} at {url} (Ctrl+C to stop)", flush=True)
    if open_browser and browser_available():
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    # uvicorn re-raises the Ctrl+C it handled; stopping is how a workshop ends, not an error.
    with contextlib.suppress(KeyboardInterrupt):
        _server(deck, workers, hosts).run(sockets=[sock])
    print("orgsim workshop: stopped", flush=True)


@contextmanager
def running(deck: Deck, host: str = "127.0.0.1", workers: int | None = None) -> Iterator[str]:
    """A server on a free port in a thread, for tests and benchmarks; yields its URL, always stops."""
    sock = bind(host, 0)
    server = _server(deck, workers, host_names(host, sock))
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
