"""`qa mcp`, as an agent runs it: the MCP SDK's own client starts `qa mcp` over stdio and calls
its tools."""

from __future__ import annotations

import sys

import anyio
from conftest import ROOT
from mcp import Client
from mcp.client.stdio import StdioServerParameters

TRACTORS = "How many tractors have been assembled in Ganja?"


def test_an_agent_asks_searches_and_lists_documents(article_index, qa, article_text):
    expected = qa.ask(TRACTORS).to_dict()
    server = StdioServerParameters(command=sys.executable, args=[str(ROOT / "cli.py"), "mcp", "--index", str(article_index)])

    async def session() -> dict:
        async with Client(server, read_timeout_seconds=300) as client:
            tools = await client.list_tools()
            return {
                "tools": {tool.name: tool for tool in tools.tools},
                "ask": await client.call_tool("ask", {"question": TRACTORS}),
                "search": await client.call_tool("search", {"query": "tractors assembled in Ganja", "top_k": 2}),
                "documents": await client.call_tool("list_documents", {}),
                "unknown": await client.call_tool("ask", {"question": TRACTORS, "doc": "nope.txt"}),
                "empty": await client.call_tool("ask", {"question": "  "}),
                "wrong": await client.call_tool("search", {"query": "x", "top_k": 0}),
            }

    result = anyio.run(session)
    assert set(result["tools"]) == {"ask", "search", "list_documents"}
    assert "question" in result["tools"]["ask"].input_schema["required"]
    assert result["tools"]["ask"].annotations.read_only_hint

    ask = result["ask"]
    assert not ask.is_error and ask.structured_content == expected  # the answer JSON, citations and all
    text = ask.content[0].text
    assert text.startswith(expected["answer"] + "\n\n") and "Sources:\n[1] belarus-azerbaijan-talks.txt, paragraph 19" in text

    passages = result["search"].structured_content["passages"]
    assert [p["id"] for p in passages][:1] == ["p19"] and len(passages) == 2
    assert all(article_text[p["start"] : p["end"]] == p["text"] for p in passages)

    documents = result["documents"].structured_content["documents"]
    assert [d["name"] for d in documents] == ["belarus-azerbaijan-talks.txt"] and documents[0]["passages"] == 45

    for name, message in (("unknown", "no document named 'nope.txt'"), ("empty", "the question is empty"), ("wrong", "top_k")):
        assert result[name].is_error and message in result[name].content[0].text, result[name]
