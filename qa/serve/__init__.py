"""``qa serve`` and ``qa mcp``: the library over HTTP (a JSON API and OpenAI-compatible chat
completions) and over the Model Context Protocol.

A thin shell over ``qa.QA``, which stays the one place answers are made. One module a job:

    limits.py       what a request may ask for: sizes, lengths, counts (and the body-size guard)
    security.py     who may connect: the bind rule, the API key, browsers of other origins
    live.py         the QA over an index that changes while serving: reloads, worker threads
    sessions.py     server-side conversations, bounded in number and idle lifetime
    replay.py       conversations sent whole with each request (the OpenAI way), re-read
    errors.py       every error as JSON with its status
    api.py          the versioned JSON API (/api/v1/...)
    completions.py  OpenAI-compatible /v1/chat/completions (with streaming) and /v1/models
    app.py          the ASGI app that puts them together; server.py runs it with uvicorn
    mcp_server.py   the MCP server over stdio

The web and MCP libraries are an optional extra (``pip install 'qa[serve]'``), imported only by
these commands: ``require`` says how to install them when they are missing.
"""

from __future__ import annotations

import importlib.util

from ..errors import UsageError

INSTALL = "pip install 'qa[serve]'"


def require(*modules: str) -> None:
    """Refuse, with the command that installs them, when ``modules`` are not installed."""
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"this command needs {', '.join(missing)}, which are not installed: install them with `{INSTALL}`")
