"""OpenAI-compatible chat completions: ``POST /v1/chat/completions`` and ``GET /v1/models``.

Any OpenAI client (``base_url="http://127.0.0.1:8000/v1"``) can ask qa. The last user message
is answered in the context of the earlier user messages, as ``qa chat`` reads a follow-up
(``replay.py``); system and assistant messages are read by no one. The reply's ``content`` is
the answer as ``answer`` of docs/answer-json.md gives it (with its ``[n]`` markers), then, after
a blank line, a short list of sources; the citations themselves, in the shape of that document,
are the extra field ``citations`` of the message (``choices[0].message.citations``) or, when
streaming, of the last chunk's ``delta``. ``stream: true`` sends the same content in
server-sent events in OpenAI's chunk format, ending with ``data: [DONE]``. The answer is made
whole before the first event (qa quotes, it does not generate), so an error is still an HTTP
status, never a broken stream. ``usage`` counts word pieces of the embedding model's tokenizer:
the user messages read (prompt) and the content (completion); a stream carries it in one more
chunk when ``stream_options.include_usage`` asks, as OpenAI's does. Two extensions: ``doc``
(search one document) and ``top_k``.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ..present import places
from ..present.render import UNSURE
from ..read.answering import Answer
from .api import MAX_TOP_K, known_doc, question, served
from .errors import ApiError

router = APIRouter(prefix="/v1")
MODEL = "qa"
STARTED = int(time.time())


class Part(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[Part] | None = None

    def text(self) -> str:
        if self.content is None or isinstance(self.content, str):
            return self.content or ""
        for part in self.content:
            if part.type != "text":
                raise ApiError(400, f"qa reads text only: a {part.type!r} part cannot be read", "unsupported_content", "messages")
        return "".join(part.text or "" for part in self.content)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = False


class ChatRequest(BaseModel):
    # OpenAI clients send many options (temperature, max_tokens, ...): they change nothing here
    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int = 1
    doc: str | None = Field(None, description="qa's extension: search only this document")
    top_k: int = Field(3, ge=1, le=MAX_TOP_K, description="qa's extension: passages to read and cite from")


def model_card() -> dict:
    return {"id": MODEL, "object": "model", "created": STARTED, "owned_by": "qa"}


@router.get("/models", summary="The models (one: qa)")
async def models() -> dict:
    return {"object": "list", "data": [model_card()]}


@router.get("/models/{model}", summary="One model")
async def get_model(model: str) -> dict:
    _known_model(model)
    return model_card()


@router.post("/chat/completions", summary="OpenAI-compatible chat completion, answered from the index")
async def chat_completions(body: ChatRequest, request: Request):
    state = served(request)
    _known_model(body.model)
    if body.n != 1:
        raise ApiError(400, "n must be 1: qa gives one answer", "unsupported_n", "n")
    if len(body.messages) > state.limits.messages:
        raise ApiError(422, f"too many messages: {len(body.messages)}, at most {state.limits.messages}", "too_many_messages", "messages")
    if body.messages[-1].role != "user":
        raise ApiError(400, "the last message must be the user's question", "last_message_not_user", "messages")
    *earlier, last = [m.text() for m in body.messages if m.role == "user"]
    questions = [question(text, "messages") for text in earlier if text.strip()] + [question(last, "messages")]
    qa = state.live.qa
    known_doc(qa, body.doc)
    answer = await state.live.answer(state.replay.answer, qa, questions, body.doc, body.top_k)
    completion = f"chatcmpl-{secrets.token_hex(12)}"
    content, citations = reply(answer), answer.to_dict()["citations"]
    usage = _usage(qa, questions, content)
    if not body.stream:
        message = {"role": "assistant", "content": content, "refusal": None, "citations": citations}
        return {
            "id": completion,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": MODEL,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
            "usage": usage,
        }
    include = body.stream_options is not None and body.stream_options.include_usage
    return StreamingResponse(
        _events(completion, content, citations, usage if include else None),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


def _usage(qa, questions: list[str], content: str) -> dict:
    """OpenAI's ``usage``, in word pieces of the embedding model's tokenizer."""
    prompt = sum(qa.encoder.count_tokens(text) for text in questions)
    completion = qa.encoder.count_tokens(content)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def reply(answer: Answer) -> str:
    """The message content: the answer, what the terminal says with it, and its sources."""
    parts = [answer.answer]
    if answer.unsure:
        parts.append(UNSURE)
    if answer.note:
        parts.append(f"note: {answer.note}")
    where = {(p.doc, p.id): p for p in answer.passages}
    if answer.citations:
        lines = ["Sources:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.doc}, {places.place(c, where.get((c.doc, c.passage)))}")
        parts.append("\n".join(lines))
    elif answer.passages:
        lines = ["Nearest passages:"]
        for p in answer.passages:
            lines.append(f"- {p.doc}, {places.where(p)}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _events(completion: str, content: str, citations: list[dict], usage: dict | None):
    """The content in OpenAI's chunk events: the role, a chunk a word, then the citations with
    the finish reason, then (when asked for) the usage with no choices, then ``[DONE]``."""
    created = int(time.time())

    def event(choices: list[dict], **extra) -> str:
        data = {"id": completion, "object": "chat.completion.chunk", "created": created, "model": MODEL, "choices": choices}
        return f"data: {json.dumps({**data, **extra}, ensure_ascii=False)}\n\n"

    def chunk(delta: dict, finish: str | None = None) -> str:
        return event([{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}])

    yield chunk({"role": "assistant", "content": ""})
    for piece in re.findall(r"\s*\S+", content):
        yield chunk({"content": piece})
    yield chunk({"citations": citations}, "stop")
    if usage is not None:
        yield event([], usage=usage)
    yield "data: [DONE]\n\n"


def _known_model(model: str) -> None:
    if model != MODEL:
        raise ApiError(404, f"no model {model!r}: this server has one, {MODEL!r}", "model_not_found", "model")
