"""Every error the server gives, as JSON with the status that says what went wrong.

One shape for the JSON API and the OpenAI-compatible endpoints alike (OpenAI's, so its clients
show the message)::

    {"error": {"message": "...", "type": "invalid_request_error", "param": "question", "code": "question_too_long"}}

Malformed JSON is a 400, a body of the wrong shape or a question that is empty or too long a 422,
an unknown conversation, document or model a 404, a name already taken a 409, a body over its
limit a 413, an unsupported upload a 415, a full queue a 503. What a user can get wrong in the
library (``UsageError``) is a 400 with the library's own message; anything unexpected is a 500
that says only that, and the traceback goes to the server's log, never to the client.
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import IndexCorrupt, QAError, UsageError

log = logging.getLogger("qa.serve")

TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "request_too_large",
    415: "invalid_request_error",
    422: "invalid_request_error",
    503: "server_unavailable",
}


class ApiError(HTTPException):
    """An error for the client: its status, a one-line message and a machine-readable code."""

    def __init__(self, status: int, message: str, code: str | None = None, param: str | None = None, headers: dict | None = None) -> None:
        super().__init__(status, message, headers)
        self.code = code
        self.param = param


def payload(status: int, message: str, code: str | None = None, param: str | None = None) -> dict:
    return {"error": {"message": message, "type": TYPES.get(status, "server_error"), "param": param, "code": code}}


def response(status: int, message: str, code: str | None = None, param: str | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(payload(status, message, code, param), status, headers)


async def send(send_message, status: int, message: str, code: str | None = None, headers: dict | None = None) -> None:
    """The error sent from ASGI middleware (before the app, so without its handlers)."""
    body = json.dumps(payload(status, message, code), ensure_ascii=False, separators=(",", ":")).encode()  # as JSONResponse writes it
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send_message({"type": "http.response.start", "status": status, "headers": raw})
    await send_message({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    """Render every error as JSON (see the module's docstring)."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        message = error.detail if isinstance(error.detail, str) else json.dumps(error.detail)
        if error.status_code == 404 and not isinstance(error, ApiError):
            message = f"no such endpoint: {request.method} {request.url.path} (the API is described at /docs)"
        elif error.status_code == 405 and not isinstance(error, ApiError):
            message = f"{request.method} is not allowed on {request.url.path} (the API is described at /docs)"
        return response(error.status_code, message, getattr(error, "code", None), getattr(error, "param", None), error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return validation_response(error.errors())

    @app.exception_handler(UsageError)
    async def usage(request: Request, error: UsageError) -> JSONResponse:
        return response(400, str(error), "invalid_request")

    @app.exception_handler(QAError)
    async def failed(request: Request, error: QAError) -> JSONResponse:
        status = 503 if isinstance(error, IndexCorrupt) else 500
        log.error("%s %s: %s", request.method, request.url.path, error)
        return response(status, str(error), "index_error" if status == 503 else "qa_error")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return response(500, "internal server error (the server's log has the details)", "internal_error")


def validation_response(errors: list[dict]) -> JSONResponse:
    """A 400 for a body that is not JSON; a 422 naming each field that is wrong, and how."""
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "not valid JSON")
            return response(400, f"the request body is not valid JSON: {reason}", "json_invalid")
    parts, param = [], None
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        where = ".".join(location)
        param = param or where or None
        if not where and error.get("type") == "missing":
            parts.append("the request needs a JSON object body")
        elif not where:
            parts.append(f"the body: {error.get('msg')}")
        else:
            parts.append(f"{where}: {error.get('msg')}")
    return response(422, "; ".join(parts) or "invalid request", "invalid_value", param)
