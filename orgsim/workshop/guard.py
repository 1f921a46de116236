"""What a request must be before the workshop acts on it: same-origin JSON, bounded, plain numbers.

The app has no login: it is safe only while no other web page can drive it.
The Host allow-list (starlette's ``TrustedHostMiddleware``, set up in the app)
stops DNS rebinding; :class:`SameOriginJson` stops a page the facilitator has
open from posting to it (a cross-site form or ``text/plain`` fetch). The rest
keeps a malformed request cheap and its answer a plain sentence: a bounded
body, bounded nesting, finite numbers and short whole numbers.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
"""Host names a loopback server answers to (IPv6 literals bracketed, as in a Host header)."""

MAX_BODY_BYTES = 64 * 1024
"""Largest body or JSON query value read: a step and every lever take under 1 KiB."""

MAX_DEPTH = 8
"""Deepest nesting of JSON read: a run's body nests two levels (the body, its levers)."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that change nothing, so a page on another site gains nothing by sending them."""

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")
_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[{]|[\]}]', re.DOTALL)
"""A JSON string (skipped, closed or not), an opening bracket or a closing one."""


class BadRequest(Exception):
    """A request the workshop refuses; the message is for the page, in plain words."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def problems(messages: list[str], status: int) -> JSONResponse:
    """The shape of every refusal, which the page shows as it is."""
    return JSONResponse({"problems": messages}, status_code=status)


class SameOriginJson:
    """Refuse a state-changing request that is not JSON or that another site's page sent.

    A browser sends ``Origin`` with every cross-origin POST; a request without
    one (curl, a test) is not from a web page. Requiring JSON makes a browser
    ask first (a CORS preflight this app never grants) before a cross-site
    fetch can send the request at all.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _refusal(scope: Scope) -> JSONResponse | None:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        served = f"{scope['scheme']}://{headers.get('host', '')}".lower()
        if origin is not None and origin.lower() != served:
            return problems(["refused: a page from another site cannot drive the workshop"], 403)
        media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != "application/json":
            return problems(["send JSON, with Content-Type: application/json"], 415)
        return None


async def read_body(request: Request) -> bytes:
    """The body, refused (413) as soon as it passes :data:`MAX_BODY_BYTES`."""
    too_large = BadRequest(f"the body is larger than {MAX_BODY_BYTES // 1024} KiB", 413)
    declared = whole_number(request.headers.get("content-length", ""))
    if declared is not None and declared > MAX_BODY_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large
    return bytes(body)


def parse_json(text: str | bytes, what: str = "the body") -> Any:
    """``text`` as JSON of bounded size and nesting, with finite numbers only; or ``BadRequest``."""
    if len(text) > MAX_BODY_BYTES:
        raise BadRequest(f"{what} is longer than {MAX_BODY_BYTES // 1024} KiB", 413)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(f"{what} is not UTF-8 text") from None
    depth = 0
    for match in _NESTING.finditer(text):
        bracket = match.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise BadRequest(f"{what} nests deeper than {MAX_DEPTH} levels")
        elif bracket in ("]", "}"):
            depth -= 1
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_short_int
        )
    except json.JSONDecodeError as error:
        raise BadRequest(
            f"{what} is not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except BadRequest as error:
        raise BadRequest(f"{what}: {error}") from None


def whole_number(text: str) -> int | None:
    """``text`` as a whole number of at most 18 digits, or None (never converts 5,000 digits)."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


def _refuse_constant(name: str) -> float:
    raise BadRequest(f"{name} is not a number a lever takes")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadRequest(f"{text[:20]} is too large a number")
    return value


def _short_int(text: str) -> int:
    value = whole_number(text)
    if value is None:
        raise BadRequest(f"a whole number of {len(text)} digits is too long")
    return value
