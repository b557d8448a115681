"""Who may use the server: the bind rule, the API key, and browsers of other origins.

- ``qa serve`` listens on localhost unless told otherwise. Any other address needs an API key
  (``QA_API_KEY``, at least ``MIN_KEY_CHARS`` characters) or the loudly named opt-out
  ``--insecure-no-api-key``.
- With a key set, every request but the health check and the API's own description carries
  ``Authorization: Bearer KEY`` (what OpenAI clients send); a missing or wrong key is a 401.
  Keys are compared in constant time.
- A browser page from another origin gets a 403 unless its origin is allowed
  (``--allow-origin``, which also answers the browser's CORS checks): without this, any web page
  a user opens could post documents to a server on their own machine, key or no key.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from urllib.parse import urlsplit

from ..errors import UsageError
from . import errors

KEY_VARIABLE = "QA_API_KEY"
MIN_KEY_CHARS = 16
OPT_OUT = "--insecure-no-api-key"
OPEN_PATHS = frozenset({"/api/v1/health", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})
NEW_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def api_key() -> str | None:
    """The key clients must present, from ``$QA_API_KEY``; None when it is unset or empty."""
    return os.environ.get(KEY_VARIABLE) or None


def is_local(host: str) -> bool:
    """Whether ``host`` is a loopback address (only this machine can connect to it)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, key: str | None, insecure: bool) -> str | None:
    """Refuse to listen on ``host`` without the protection it needs (a ``UsageError`` that says
    what to do); a warning to print when the opt-out leaves a public address open."""
    if key is not None and len(key) < MIN_KEY_CHARS:
        raise UsageError(f"{KEY_VARIABLE} is too short ({len(key)} characters, at least {MIN_KEY_CHARS}): make one with {NEW_KEY}")
    if is_local(host) or key is not None:
        return None
    if not insecure:
        raise UsageError(
            f"listening on {host} lets other machines connect: set {KEY_VARIABLE} to a secret that clients send as "
            f"`Authorization: Bearer KEY` (make one with {NEW_KEY}), or pass {OPT_OUT} to serve without one"
        )
    return f"WARNING: serving on {host} without an API key ({OPT_OUT}): anyone who can reach it can read and change the index"


class Guard:
    """ASGI middleware: the API key and the origin rule (see the module's docstring)."""

    def __init__(self, app, key: str | None, origins: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.key = key.encode() if key else None
        self.origins = origins

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin = headers.get(b"origin", b"").decode("latin-1")
        if origin and origin not in self.origins and urlsplit(origin).netloc != headers.get(b"host", b"").decode("latin-1"):
            await errors.send(send, 403, f"requests from web pages at {origin} are refused (qa serve --allow-origin allows an origin)", "origin_refused")
            return
        if self.key is not None and scope["path"] not in OPEN_PATHS and scope["method"] != "OPTIONS":
            scheme, _, given = headers.get(b"authorization", b"").partition(b" ")
            if scheme.lower() != b"bearer" or not given.strip():
                await errors.send(send, 401, "an API key is required: send `Authorization: Bearer KEY`", "missing_api_key", {"www-authenticate": "Bearer"})
                return
            if not hmac.compare_digest(given.strip(), self.key):
                await errors.send(send, 401, "the API key is wrong", "invalid_api_key", {"www-authenticate": "Bearer"})
                return
        await self.app(scope, receive, send)
