"""What one request may ask of the server, and the guard that refuses an oversized body.

Every limit is here, with its default; ``qa serve`` options change some of them. The body guard
is plain ASGI middleware: a body whose ``Content-Length`` is too large is refused before a byte
of it is read, and one sent without a length is counted as it arrives and refused once it
passes the limit, so a 100 MB request costs the server at most the limit in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException

from ..engine import MAX_QUESTION_CHARS
from . import errors

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on requests and on what the server keeps."""

    body_bytes: int = 1 * MiB  # a JSON request (a question is at most 10,000 characters)
    upload_bytes: int = 50 * MiB  # an uploaded document
    question_chars: int = MAX_QUESTION_CHARS  # the library's own limit
    top_k: int = 50  # passages one request may ask for
    messages: int = 200  # messages of one chat completion request
    conversations: int = 1000  # server-side conversations kept; the least recently used goes first
    idle_seconds: float = 3600.0  # a conversation unused this long is forgotten
    turns: int = 100  # turns a conversation keeps (only the last one shapes the next answer)
    replayed_turns: int = 8  # earlier questions a chat completion re-reads when its conversation is not known
    pending: int = 256  # questions waiting for a worker; more are refused with 503 (retry later)


DEFAULT_LIMITS = Limits()


def body_limit(path: str, method: str, limits: Limits) -> int:
    """The largest body a request to ``path`` may send: an upload's or a JSON request's."""
    if method in ("POST", "PUT") and path.rstrip("/").endswith("/api/v1/documents"):
        return limits.upload_bytes
    return limits.body_bytes


class TooLarge(HTTPException):
    """The body passed its limit while it was read (an HTTP error, so that the app's body
    parsing lets it through to the error handlers)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit))


def too_large(limit: int) -> str:
    return f"the request body is too large: at most {limit:,} bytes"


class BodyLimit:
    """ASGI middleware: 413 for a body over ``body_limit``, as JSON in the server's error shape."""

    def __init__(self, app, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], scope["method"], self.limits)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, limit)
            return
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        async def watched(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            if not started:
                await _refuse(send, limit)


async def _refuse(send, limit: int) -> None:
    await errors.send(send, 413, too_large(limit), "body_too_large", {"connection": "close"})
