"""``qa mcp``: a Model Context Protocol server over stdio, for AI agents.

Tools (the official ``mcp`` SDK's ``MCPServer``):

- ``ask(question, doc?, top_k?)``: the answer; its text is the answer with its ``[n]`` markers
  and sources (as the OpenAI-compatible reply reads), its structured content the answer JSON of
  docs/answer-json.md, citations included.
- ``search(query, doc?, top_k?)``: passages only, without the reader.
- ``list_documents()``: the documents, with their titles and sizes.

Stdout carries the protocol only: notices go to stderr. The index is followed as ``qa serve``
follows it (``live.py``): documents added meanwhile are answered from without a restart. Each
tool call runs on a thread of the SDK's own, so a call never holds up the protocol.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from .. import __version__
from ..engine import QA
from ..errors import QAError
from .api import MAX_TOP_K, entry
from .completions import reply
from .live import Live

INSTRUCTIONS = (
    "Answers questions about the documents of a qa index by quoting them: every answer cites the document, "
    "passage and character offsets of what it quotes. `ask` answers (it says 'The text does not say.' when "
    "the documents do not answer); `search` returns the best-matching passages; `list_documents` names the "
    "documents, which `doc` can restrict a question to."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
Doc = Annotated[str | None, Field(description="search only this document (a name list_documents gives)")]
TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K, description="passages to return")]


def build(live: Live) -> MCPServer:
    """The MCP server answering from ``live``."""
    server = MCPServer("qa", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(annotations=READ_ONLY)
    def ask(question: Annotated[str, Field(description="the question, in plain language")], doc: Doc = None, top_k: TopK = 3) -> CallToolResult:
        """Answer a question from the documents: a quote with its citations, or 'The text does not say.'"""
        answer = _run(lambda qa: qa.ask(question, top_k, doc), live)
        return CallToolResult(content=[TextContent(type="text", text=reply(answer))], structured_content=answer.to_dict())

    @server.tool(annotations=READ_ONLY)
    def search(query: Annotated[str, Field(description="what to look for")], doc: Doc = None, top_k: TopK = 5) -> CallToolResult:
        """The passages that match a query best (retrieval only, no answer), with their documents and offsets."""
        hits = [asdict(hit) for hit in _run(lambda qa: qa.search(query, top_k, doc), live)]
        return CallToolResult(content=[TextContent(type="text", text=json.dumps(hits, ensure_ascii=False))], structured_content={"passages": hits})

    @server.tool(annotations=READ_ONLY)
    def list_documents() -> CallToolResult:
        """The documents in the index: name, title, format, passages and characters."""
        documents = [entry(d) for d in live.qa.index.documents]
        text = "\n".join(f"{d['name']}" + (f": {d['title']}" if d["title"] else "") for d in documents)
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content={"documents": documents})

    return server


def _run(work, live: Live) -> Any:
    try:
        return work(live.qa)
    except QAError as error:  # a usage error (an unknown document, an empty question): the agent's to fix
        raise ToolError(str(error)) from None


def run(qa: QA) -> int:
    """Serve MCP on stdin/stdout until the client closes it; the exit status."""
    live = Live(qa, threads=1)
    live.start()
    try:
        build(live).run("stdio")
    finally:
        live.stop()
    return 0
