"""The ASGI app: the JSON API and the OpenAI-compatible endpoints over one ``Live`` QA, behind
the request guards (outermost first: CORS for allowed origins, the API key and origin rule,
the body-size limit)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .. import __version__
from . import api, completions, errors
from .limits import DEFAULT_LIMITS, BodyLimit, Limits
from .live import Live
from .replay import Replay
from .security import Guard
from .sessions import Sessions

DESCRIPTION = """Ask questions about the documents of one qa index over HTTP: answers quote the
text and cite it (the answer JSON of docs/answer-json.md). Follow-up questions are read in
context, in server-side conversations or, through the OpenAI-compatible `/v1/chat/completions`,
from the messages sent. With an API key set (`QA_API_KEY`), send `Authorization: Bearer KEY`."""


@dataclass
class Served:
    """What the endpoints share: the live QA, the conversations and the limits."""

    live: Live
    limits: Limits
    sessions: Sessions
    replay: Replay = field(default_factory=Replay)


def create_app(
    live: Live,
    limits: Limits = DEFAULT_LIMITS,
    key: str | None = None,
    origins: frozenset[str] = frozenset(),
    started: Callable[[], None] | None = None,
) -> FastAPI:
    """The app serving ``live``; ``started`` is called once it is ready to answer."""
    served = Served(live, limits, Sessions(limits), Replay(replayed=limits.replayed_turns))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        live.start()
        sweeper = asyncio.create_task(_sweep(served.sessions))
        if started:
            started()
        try:
            yield
        finally:
            sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await sweeper
            live.stop()

    app = FastAPI(title="qa", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.served = served
    errors.install(app)
    app.include_router(api.router, tags=["qa"])
    app.include_router(completions.router, tags=["OpenAI-compatible"])
    # added innermost first: the last one added sees a request first
    app.add_middleware(BodyLimit, limits=limits)
    app.add_middleware(Guard, key=key, origins=origins)
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=sorted(origins), allow_methods=["GET", "POST", "DELETE"], allow_headers=["authorization", "content-type"]
        )
    return app


async def _sweep(sessions: Sessions, every: float = 60.0) -> None:
    """Forget idle conversations now and then, also when no one creates or asks in one."""
    while True:
        await asyncio.sleep(every)
        sessions.expire()
