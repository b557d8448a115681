"""``qa serve``: the app on uvicorn, on a socket bound before anything loads.

The socket is bound first, so a port in use or an address that cannot be had is a one-line
error before the model loads; ``--port 0`` takes a free port, and the address printed is the
one bound. Ctrl-C (SIGINT) or SIGTERM stops it cleanly: uvicorn stops taking connections and
lets the requests in progress finish (at most ``GRACE`` seconds); after Ctrl-C the command
exits 0, after SIGTERM as that signal's default says.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable

from ..errors import QAError
from . import security
from .limits import DEFAULT_LIMITS, Limits

GRACE = 10  # seconds the requests in progress get to finish when the server stops


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (``localhost`` is 127.0.0.1); a ``QAError`` when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            "127.0.0.1" if host == "localhost" else host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as error:
        raise QAError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(
    index: str | None,
    host: str,
    port: int,
    *,
    threads: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    origins: frozenset[str] = frozenset(),
    insecure: bool = False,
    access_log: bool = False,
    opened: Callable[[str | None], object] | None = None,
    notify: Callable[[str], None] = lambda message: print(f"qa: {message}", file=sys.stderr),
) -> int:
    """Serve the index at ``index`` on ``host``:``port`` until stopped; the exit status.
    ``opened(index)`` gives the ``QA`` (the CLI's, which builds the default index on first use)."""
    import uvicorn

    from ..engine import QA
    from .app import create_app
    from .live import Live

    key = security.api_key()
    warning = security.check_bind(host, key, insecure)
    sock = bind(host, port)
    if warning:
        notify(warning)
    qa = opened(index) if opened else QA(index)
    live = Live(qa, threads, limits.pending)
    address = url(sock)

    def started() -> None:
        count = len(qa.index.documents)
        print(
            f"qa: serving {count} document{'' if count == 1 else 's'} at {address} "
            f"(API: {address}/docs, OpenAI-compatible: {address}/v1; "
            f"API key {'required' if key else 'not required'}; Ctrl-C stops)",
            flush=True,
        )

    app = create_app(live, limits, key, origins, started)
    _log_to_stderr()
    config = uvicorn.Config(
        app,
        log_level="info" if access_log else "warning",
        access_log=access_log,
        timeout_graceful_shutdown=GRACE,
        server_header=False,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the Ctrl-C it caught again once it has stopped
        pass
    print("qa: stopped", flush=True)
    return 0


def _log_to_stderr() -> None:
    """The server's own notices (reloads, errors with their tracebacks) on stderr."""
    log = logging.getLogger("qa.serve")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
