"""The JSON API, under ``/api/v1`` (described at ``/docs``; docs/http-api.md).

Answers are the answer JSON of docs/answer-json.md, made by the library (``QA.respond``,
``QA.search``) on the server's worker threads; index writes go through ``qa.library`` on the
writing thread (``live.py``). Request bodies are strict: a field of the wrong type or one the
API does not know is a 422 that names it.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from .. import library
from ..engine import QA, check_question
from ..errors import DocumentError, UsageError
from ..ingest import formats
from ..ingest.documents import from_bytes
from ..store.contents import DocumentEntry
from ..store.index import Change
from .errors import ApiError

if TYPE_CHECKING:
    from .app import Served
    from .live import Live

router = APIRouter(prefix="/api/v1")
MAX_TOP_K = 50
MAX_NAME_CHARS = 255


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class AskRequest(Strict):
    question: str = Field(description="the question (at most 10,000 characters)")
    top_k: int = Field(3, ge=1, le=MAX_TOP_K, description="passages to return")
    doc: str | None = Field(None, description="search only this document")


class SearchRequest(Strict):
    query: str = Field(description="what to search for (at most 10,000 characters)")
    top_k: int = Field(5, ge=1, le=MAX_TOP_K, description="passages to return")
    doc: str | None = Field(None, description="search only this document")


class ConversationRequest(Strict):
    doc: str | None = Field(None, description="search only this document in this conversation")


class TurnRequest(Strict):
    question: str = Field(description="the question (at most 10,000 characters); follow-ups are read in context")
    top_k: int = Field(3, ge=1, le=MAX_TOP_K, description="passages to return")


def served(request: Request) -> Served:
    return request.app.state.served


def question(text: str, param: str = "question") -> str:
    """The question, stripped; an empty or too long one is a 422 with the library's message."""
    try:
        return check_question(text)
    except UsageError as error:
        raise ApiError(422, str(error), "question_empty" if not text.strip() else "question_too_long", param) from None


def known_doc(qa: QA, doc: str | None) -> None:
    if doc is not None and qa.index.document(doc) is None:
        raise ApiError(404, f"no document named {doc!r} in the index (GET /api/v1/documents lists them)", "document_not_found", "doc")


def entry(document: DocumentEntry) -> dict:
    return {
        "name": document.name,
        "title": document.title,
        "format": document.format,
        "passages": document.passages,
        "chars": document.chars,
        "pages": len(document.pages) if document.pages else None,
    }


# ---------------------------------------------------------------------------- questions


@router.post("/ask", summary="Answer one question (the answer JSON of docs/answer-json.md)")
async def ask(body: AskRequest, request: Request) -> dict:
    text = question(body.question)
    live = served(request).live
    qa = live.qa
    known_doc(qa, body.doc)
    answer = await live.answer(qa.ask, text, body.top_k, body.doc)
    return answer.to_dict()


@router.post("/search", summary="The passages retrieval ranks best, without the reader")
async def search(body: SearchRequest, request: Request) -> dict:
    text = question(body.query, "query")
    live = served(request).live
    qa = live.qa
    known_doc(qa, body.doc)
    hits = await live.answer(qa.search, text, body.top_k, body.doc)
    return {"query": text, "passages": [asdict(hit) for hit in hits]}


# ---------------------------------------------------------------------------- conversations


@router.post("/conversations", status_code=201, summary="Start a conversation (follow-ups are read in context)")
async def create_conversation(request: Request, response: Response, body: ConversationRequest | None = None) -> dict:
    doc = body.doc if body else None
    known_doc(served(request).live.qa, doc)
    session = served(request).sessions.create(doc)
    response.headers["location"] = f"/api/v1/conversations/{session.id}"
    return session.to_dict(turns=False)


@router.get("/conversations/{id}", summary="A conversation and its turns")
async def get_conversation(id: str, request: Request) -> dict:
    return served(request).sessions.get(id).to_dict()


@router.post("/conversations/{id}/ask", summary="Ask in a conversation (the answer JSON)")
async def ask_in_conversation(id: str, body: TurnRequest, request: Request) -> dict:
    state = served(request)
    session = state.sessions.get(id)
    text = question(body.question)
    async with session.lock:  # one question at a time: each is read after the one before
        qa = state.live.qa
        known_doc(qa, session.doc)
        answer = await state.live.answer(qa.respond, text, session.history, body.top_k, session.doc)
        state.sessions.trim(session)
    return answer.to_dict()


@router.delete("/conversations/{id}", status_code=204, summary="Forget a conversation")
async def delete_conversation(id: str, request: Request) -> Response:
    served(request).sessions.delete(id)
    return Response(status_code=204)


# ---------------------------------------------------------------------------- documents


@router.get("/documents", summary="The documents in the index")
async def list_documents(request: Request) -> dict:
    index = served(request).live.qa.index
    return {
        "documents": [entry(d) for d in index.documents],
        "passages": len(index.passages),
        "model": index.model,
    }


@router.get("/documents/{name:path}", summary="One document, with the text that citations' offsets count in")
async def get_document(name: str, request: Request) -> dict:
    qa = served(request).live.qa
    document = qa.index.document(name)
    if document is None:
        raise ApiError(404, f"no document named {name!r} in the index", "document_not_found")
    return {**entry(document), "text": qa.index.text(name)}


UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary", "description": formats.SUPPORTED}},
                }
            }
        },
    }
}


@router.post(
    "/documents",
    status_code=201,
    openapi_extra=UPLOAD_SCHEMA,
    summary="Add a document: a file sent as multipart/form-data field `file` (201 added; 200 replaced or unchanged)",
)
async def upload_document(request: Request, response: Response, replace: bool = False) -> dict:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "send the document as multipart/form-data with a field `file` (curl -F file=@report.pdf URL)", "not_multipart")
    form = await request.form(max_files=1, max_fields=1)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(422, "the form has no file field `file`", "file_missing", "file")
    name = upload_name(upload.filename)
    data = await upload.read()
    await upload.close()
    state = served(request)
    change = await state.live.write(add_upload, state.live, name, data, replace)
    name = (change.added or change.updated or change.unchanged)[0]
    status = "added" if change.added else "updated" if change.updated else "unchanged"
    if not change.added:
        response.status_code = 200
    document = state.live.qa.index.document(name)
    return {"name": name, "status": status, "document": entry(document) if document else None}


@router.delete("/documents/{name:path}", summary="Remove a document")
async def delete_document(name: str, request: Request) -> dict:
    live = served(request).live
    await live.write(remove_document, live, name)
    return {"removed": name}


def upload_name(filename: str | None) -> str:
    """The uploaded file's name, which names the document and nothing else (it is never a path
    on the server): a plain file name of a supported format, else a 422 or a 415."""
    name = (filename or "").strip()
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith(".") or len(name) > MAX_NAME_CHARS:
        raise ApiError(422, f"the upload's file name must be a plain file name, not {filename!r}", "bad_file_name", "file")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ApiError(422, "the upload's file name has control characters", "bad_file_name", "file")
    if not formats.supported(Path(name)):
        raise ApiError(415, f"{name}: not a format qa reads ({formats.SUPPORTED})", "unsupported_format", "file")
    return name


def add_upload(live: Live, name: str, data: bytes, replace: bool) -> Change:
    """Add the uploaded document (on the writing thread): a name already taken is a 409 unless
    ``replace``; a file without text a 422."""
    qa = live.qa
    existing = qa.index.document(name)
    if existing is not None and not replace:
        raise ApiError(409, f"a document named {name!r} is in the index already: send replace=true to replace it", "document_exists", "file")
    try:
        document = from_bytes(data, Path(name), name, existing.source if existing else f"upload:{name}")
    except DocumentError as error:
        raise ApiError(422, str(error), "unreadable_document", "file") from None
    change = library.add_documents([document], qa.location, live.passage_encoder())
    if change.skipped:
        raise ApiError(422, str(change.skipped[0]), "unreadable_document", "file")
    return change


def remove_document(live: Live, name: str) -> None:
    """Remove a document (on the writing thread); the last one stays: a server answers from at least one."""
    qa = live.qa
    if qa.index.document(name) is None:
        raise ApiError(404, f"no document named {name!r} in the index", "document_not_found")
    if len(qa.index.documents) == 1:
        raise ApiError(409, f"{name!r} is the index's only document: add another before removing it", "last_document")
    library.remove([name], qa.location)


@router.get("/health", summary="Whether the server is serving, and what (no API key needed)")
async def health(request: Request) -> dict:
    state = served(request)
    qa = state.live.qa
    return {
        "status": "degraded" if state.live.problem else "ok",
        "problem": state.live.problem,
        "documents": len(qa.index.documents),
        "passages": len(qa.index.passages),
        "version": qa.version,
        "opened": state.live.opened,
        "reloads": state.live.reloads,
        "conversations": len(state.sessions),
    }
