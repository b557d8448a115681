"""`qa serve`, run as a user runs it: a real uvicorn server (the `qa serve` command, on a free port
of 127.0.0.1, with an API key), called with httpx, raw sockets and the official `openai` client."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import openai
import pytest
from conftest import ROOT

from fixtures import FERRY_PAGES, pdf_bytes
from qa import library
from qa.ingest.documents import from_bytes
from qa.read.conversation import History
from qa.serve import security
from qa.serve.api import upload_name
from qa.serve.errors import ApiError
from qa.serve.limits import Limits
from qa.serve.replay import Replay
from qa.serve.sessions import Sessions

KEY = "test-key-0123456789abcdef"
TRACTORS = "How many tractors have been assembled in Ganja?"
PLANT = "Which Azerbaijani plant works with MTZ and MAZ?"
FOLLOW_UP = "How many tractors have they assembled there?"
QUESTIONS = [TRACTORS, PLANT, "What did Ilham Aliyev give Lukashenko?", "Where is the Trading House of Azerbaijan?"]
STARTUP_SECONDS = 180


def cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name != "QA_API_KEY"}
    environment.update(NO_COLOR="1", **(env or {}))
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, env=environment, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def served_index(article_index, tmp_path_factory):
    """A copy of the article's index that the server's tests may write to."""
    folder = tmp_path_factory.mktemp("served") / "index"
    shutil.copytree(article_index, folder)
    return folder


@pytest.fixture(scope="module")
def server(served_index):
    """`qa serve --port 0` with an API key: its base URL. Stopped with Ctrl-C (SIGINT) after the
    module's tests, which must stop it cleanly (exit 0)."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "serve", "--index", str(served_index), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "QA_API_KEY": KEY},
    )
    line = _first_line(process, STARTUP_SECONDS)
    if "qa: serving 1 document at http://127.0.0.1:" not in line:
        process.kill()
        pytest.fail(f"qa serve did not start: {line!r} {process.communicate()[1]}")
    try:
        yield line.split(" at ")[1].split()[0]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert process.returncode == 0, err
        assert "qa: stopped" in out and "Traceback" not in err, err


def _first_line(process: subprocess.Popen, seconds: float) -> str:
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(seconds)
    return found[0] if found else ""


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server, headers={"authorization": f"Bearer {KEY}"}, timeout=120) as session:
        yield session


@pytest.fixture(scope="module")
def chat(server):
    return openai.OpenAI(base_url=f"{server}/v1", api_key=KEY, timeout=120, max_retries=0)


def error_of(response: httpx.Response, status: int) -> dict:
    """The JSON error of ``response``, after checking its status and shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"} and error["message"], error
    return error


# ---------------------------------------------------------------------------- answers


def test_the_openai_client_gets_the_answer_and_citations_of_qa_ask_json(served_index, chat):
    expected = json.loads(cli("ask", "--json", "--index", str(served_index), TRACTORS).stdout)
    assert expected["citations"]
    completion = chat.chat.completions.create(model="qa", messages=[{"role": "user", "content": TRACTORS}])
    message = completion.choices[0].message
    answer, sources = message.content.split("\n\n", 1)
    assert answer == expected["answer"]
    assert sources == "Sources:\n[1] belarus-azerbaijan-talks.txt, paragraph 19"
    assert message.citations == expected["citations"]
    assert completion.choices[0].finish_reason == "stop" and completion.model == "qa"

    chunks = list(chat.chat.completions.create(model="qa", messages=[{"role": "user", "content": TRACTORS}], stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len(chunks) > 10  # the content comes a word at a time
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].choices[0].delta.citations == expected["citations"]
    assert [m.id for m in chat.models.list()] == ["qa"]

    usage = completion.usage  # word pieces of the embedding model's tokenizer
    assert 0 < usage.prompt_tokens < usage.completion_tokens and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    counted = list(
        chat.chat.completions.create(
            model="qa", messages=[{"role": "user", "content": TRACTORS}], stream=True, stream_options={"include_usage": True}
        )
    )
    assert counted[-1].choices == [] and counted[-1].usage == usage  # OpenAI's last chunk, when asked for
    assert counted[-2].choices[0].finish_reason == "stop" and chunks[-1].usage is None


def test_a_follow_up_is_read_as_qa_chat_reads_it(client, chat):
    conversation = client.post("/api/v1/conversations").json()["id"]
    client.post(f"/api/v1/conversations/{conversation}/ask", json={"question": PLANT})
    expected = client.post(f"/api/v1/conversations/{conversation}/ask", json={"question": FOLLOW_UP}).json()
    assert expected["query"] != FOLLOW_UP and PLANT in expected["query"]  # read with the turn before it
    messages = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": PLANT},
        {"role": "assistant", "content": "whatever the client kept of the answer"},
        {"role": "user", "content": FOLLOW_UP},
    ]
    completion = chat.chat.completions.create(model="qa", messages=messages)
    assert completion.choices[0].message.content.startswith(expected["answer"] + "\n\n")
    assert completion.choices[0].message.citations == expected["citations"]


def test_ask_search_documents_and_health(server, client, article_text):
    answer = client.post("/api/v1/ask", json={"question": TRACTORS, "top_k": 2}).json()
    assert answer["answerable"] and "10,000" in answer["answer"] and len(answer["passages"]) == 2
    citation = answer["citations"][0]
    assert article_text[citation["start"] : citation["end"]] == citation["quote"]

    found = client.post("/api/v1/search", json={"query": "tractors assembled in Ganja", "top_k": 4}).json()
    assert found["query"] == "tractors assembled in Ganja" and len(found["passages"]) == 4
    assert found["passages"][0]["id"] == "p19"
    assert all(article_text[p["start"] : p["end"]] == p["text"] for p in found["passages"])
    scores = [p["score"] for p in found["passages"]]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1

    documents = client.get("/api/v1/documents").json()
    assert [d["name"] for d in documents["documents"]] == ["belarus-azerbaijan-talks.txt"]
    assert documents["documents"][0]["passages"] == 45 and documents["passages"] == 45
    document = client.get("/api/v1/documents/belarus-azerbaijan-talks.txt").json()
    assert document["text"] == article_text and document["format"] == "text"

    health = httpx.get(f"{server}/api/v1/health")  # no key needed
    assert health.status_code == 200 and health.json()["status"] == "ok" and health.json()["documents"] == 1
    assert httpx.get(f"{server}/openapi.json").json()["info"]["title"] == "qa"


def test_conversations_are_created_asked_listed_and_deleted(client):
    created = client.post("/api/v1/conversations", json={"doc": "belarus-azerbaijan-talks.txt"})
    assert created.status_code == 201
    conversation = created.json()
    assert created.headers["location"] == f"/api/v1/conversations/{conversation['id']}" and conversation["turns"] == 0
    assert len(conversation["id"]) >= 20  # unguessable
    first = client.post(f"/api/v1/conversations/{conversation['id']}/ask", json={"question": TRACTORS}).json()
    assert "10,000" in first["answer"]
    turns = client.get(f"/api/v1/conversations/{conversation['id']}").json()["turns"]
    assert [t["question"] for t in turns] == [TRACTORS] and turns[0]["answer"] == first
    assert client.delete(f"/api/v1/conversations/{conversation['id']}").status_code == 204
    assert error_of(client.get(f"/api/v1/conversations/{conversation['id']}"), 404)["code"] == "conversation_not_found"
    assert error_of(client.post(f"/api/v1/conversations/{conversation['id']}/ask", json={"question": "Why?"}), 404)


def test_sixteen_clients_at_once_all_get_their_answers(server, client):
    expected = {q: client.post("/api/v1/ask", json={"question": q}).json() for q in QUESTIONS}

    def ask(i: int) -> httpx.Response:  # a client of its own each
        return httpx.post(f"{server}/api/v1/ask", json={"question": QUESTIONS[i % 4]}, headers=client.headers, timeout=300)

    with ThreadPoolExecutor(16) as pool:
        replies = list(pool.map(ask, range(16)))
    assert [r.status_code for r in replies] == [200] * 16
    for i, reply in enumerate(replies):
        assert reply.json() == expected[QUESTIONS[i % 4]]  # the same answers as one at a time: no state shared between them


# ---------------------------------------------------------------------------- bad requests


def test_bad_requests_get_clear_json_errors(client, chat):
    post = client.post
    assert error_of(post("/api/v1/ask", content=b'{"question": "Who', headers={"content-type": "application/json"}), 400)["code"] == "json_invalid"
    assert "question: Input should be a valid string" in error_of(post("/api/v1/ask", json={"question": 42}), 422)["message"]
    assert error_of(post("/api/v1/ask", json={"question": "Who?", "top_k": "3"}), 422)["param"] == "top_k"
    assert error_of(post("/api/v1/ask", json={"question": "Who?", "top_k": 0}), 422)["param"] == "top_k"
    assert error_of(post("/api/v1/ask", json={"question": "Who?", "topk": 3}), 422)["message"] == "topk: Extra inputs are not permitted"
    assert error_of(post("/api/v1/ask", json=["Who?"]), 422)
    assert error_of(post("/api/v1/ask"), 422)["message"] == "the request needs a JSON object body"
    assert error_of(post("/api/v1/ask", json={"question": "   "}), 422)["code"] == "question_empty"
    too_long = error_of(post("/api/v1/ask", json={"question": "Who? " * 2001}), 422)
    assert too_long["code"] == "question_too_long" and "10,004 characters, at most 10,000" in too_long["message"]
    assert error_of(post("/api/v1/ask", json={"question": "Who?", "doc": "nope.txt"}), 404)["code"] == "document_not_found"
    assert error_of(post("/api/v1/conversations", json={"doc": "nope.txt"}), 404)["code"] == "document_not_found"
    assert error_of(client.get("/api/v1/documents/nope.txt"), 404)["code"] == "document_not_found"
    assert error_of(client.get("/api/v1/nothing"), 404)["message"].startswith("no such endpoint")
    assert error_of(client.put("/api/v1/ask", json={}), 405)

    with pytest.raises(openai.NotFoundError, match="no model 'gpt-4'"):
        chat.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": TRACTORS}])
    with pytest.raises(openai.BadRequestError, match="the last message must be the user's question"):
        chat.chat.completions.create(model="qa", messages=[{"role": "user", "content": TRACTORS}, {"role": "assistant", "content": "x"}])
    with pytest.raises(openai.BadRequestError, match="qa reads text only"):
        chat.chat.completions.create(model="qa", messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}])
    with pytest.raises(openai.BadRequestError, match="n must be 1"):
        chat.chat.completions.create(model="qa", n=2, messages=[{"role": "user", "content": TRACTORS}])
    with pytest.raises(openai.UnprocessableEntityError, match="too long"):
        chat.chat.completions.create(model="qa", messages=[{"role": "user", "content": "x" * 10_001}])
    assert error_of(post("/v1/chat/completions", json={"model": "qa", "messages": []}), 422)["param"] == "messages"

    # 100 MB: refused from its Content-Length before a byte of it is read; a body sent without
    # a length is refused once it passes the limit (1 MiB for JSON)
    head = b"POST /api/v1/ask HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
    declared = _raw(client, head + b"content-length: 104857600\r\n", [])
    assert declared.startswith(b"HTTP/1.1 413") and b'"code":"body_too_large"' in declared
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    streamed = _raw(client, head + b"transfer-encoding: chunked\r\n", [chunk] * 17)  # 1 MiB and one chunk more
    assert streamed.startswith(b"HTTP/1.1 413") and b"at most 1,048,576 bytes" in streamed

    assert client.get("/api/v1/health").json()["status"] == "ok"  # and the server goes on
    assert client.post("/api/v1/ask", json={"question": TRACTORS}).status_code == 200


def _raw(client: httpx.Client, head: bytes, body: list[bytes]) -> bytes:
    """Send a request by hand (the key added); the server's reply."""
    with socket.create_connection((client.base_url.host, client.base_url.port), timeout=60) as sock:
        sock.sendall(head + f"authorization: Bearer {KEY}\r\n\r\n".encode())
        for part in body:
            sock.sendall(part)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
            if b"\r\n\r\n" in reply and reply.endswith(b"}"):
                break
    return reply


def test_the_api_key_is_required_and_checked(server, client):
    missing = httpx.post(f"{server}/api/v1/ask", json={"question": TRACTORS})
    assert error_of(missing, 401)["code"] == "missing_api_key" and missing.headers["www-authenticate"] == "Bearer"
    wrong = httpx.post(f"{server}/api/v1/ask", json={"question": TRACTORS}, headers={"authorization": "Bearer wrong-key-wrong-key"})
    assert error_of(wrong, 401)["code"] == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{server}/v1", api_key="wrong", max_retries=0).models.list()
    foreign = client.post("/api/v1/ask", json={"question": TRACTORS}, headers={"origin": "https://evil.example"})
    assert error_of(foreign, 403)["code"] == "origin_refused"


def test_a_non_local_address_needs_an_api_key(served_index):
    refused = cli("serve", "--index", str(served_index), "--host", "0.0.0.0", "--port", "0", timeout=60)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "listening on 0.0.0.0 lets other machines connect: set QA_API_KEY" in refused.stderr
    assert "--insecure-no-api-key" in refused.stderr
    short = cli("serve", "--index", str(served_index), "--host", "0.0.0.0", env={"QA_API_KEY": "secret"}, timeout=60)
    assert short.returncode == 2 and "QA_API_KEY is too short (6 characters, at least 16)" in short.stderr
    with pytest.raises(Exception, match="QA_API_KEY"):
        security.check_bind("192.168.1.5", None, insecure=False)
    assert security.check_bind("127.0.0.1", None, False) is None and security.check_bind("::1", None, False) is None
    assert security.check_bind("localhost", None, False) is None and security.check_bind("0.0.0.0", KEY, False) is None
    assert "WARNING" in security.check_bind("0.0.0.0", None, insecure=True)


# ---------------------------------------------------------------------------- writes while serving


def test_documents_are_uploaded_asked_and_removed(client):
    ferry = pdf_bytes(FERRY_PAGES, title="Harbour Ferry Report")
    added = client.post("/api/v1/documents", files={"file": ("ferry.pdf", ferry, "application/pdf")})
    assert added.status_code == 201, added.text
    assert added.json()["status"] == "added" and added.json()["document"]["pages"] == 2
    answer = client.post("/api/v1/ask", json={"question": "How long does the crossing take in winter?", "doc": "ferry.pdf"}).json()
    assert "forty minutes" in answer["answer"] and answer["citations"][0]["page"] == 2  # asked at once: the write is served

    assert error_of(client.post("/api/v1/documents", files={"file": ("ferry.pdf", ferry)}), 409)["code"] == "document_exists"
    again = client.post("/api/v1/documents?replace=true", files={"file": ("ferry.pdf", ferry)})
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert error_of(client.post("/api/v1/documents", files={"file": ("../../etc/ferry.txt", b"x")}), 422)["code"] == "bad_file_name"
    assert error_of(client.post("/api/v1/documents", files={"file": (".hidden.txt", b"x")}), 422)["code"] == "bad_file_name"
    assert error_of(client.post("/api/v1/documents", files={"file": ("tool.exe", b"MZ")}), 415)["code"] == "unsupported_format"
    assert error_of(client.post("/api/v1/documents", files={"file": ("empty.txt", b"  \n")}), 422)["code"] == "unreadable_document"
    assert "not valid UTF-8" in error_of(client.post("/api/v1/documents", files={"file": ("bad.txt", b"caf\xe9\n")}), 422)["message"]
    assert error_of(client.post("/api/v1/documents", json={"file": "x"}), 415)["code"] == "not_multipart"
    assert error_of(client.post("/api/v1/documents", files={"other": ("a.txt", b"x")}), 422)["code"] == "file_missing"

    assert client.delete("/api/v1/documents/ferry.pdf").json() == {"removed": "ferry.pdf"}
    assert error_of(client.delete("/api/v1/documents/ferry.pdf"), 404)["code"] == "document_not_found"
    assert error_of(client.delete("/api/v1/documents/belarus-azerbaijan-talks.txt"), 409)["code"] == "last_document"
    assert [d["name"] for d in client.get("/api/v1/documents").json()["documents"]] == ["belarus-azerbaijan-talks.txt"]


def test_a_write_by_another_process_is_served_without_a_restart_and_no_request_fails(client, served_index, encoder):
    before = client.get("/api/v1/health").json()["version"]
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(base_url=client.base_url, headers=client.headers, timeout=120) as asking:
            while not stop.is_set():
                statuses.append(asking.post("/api/v1/ask", json={"question": TRACTORS}).status_code)

    askers = [threading.Thread(target=keep_asking) for _ in range(2)]
    for asker in askers:
        asker.start()
    try:
        lighthouse = b"The Lighthouse Museum\n\nThe lighthouse keeper Ansel Mork lit the lamp for forty-one winters.\n"
        library.add_documents([from_bytes(lighthouse, Path("lighthouse.txt"), "lighthouse.txt", "test:lighthouse")], served_index, encoder)
        written = time.monotonic()
        question = {"question": "How many winters did the lighthouse keeper light the lamp?"}
        while True:
            answer = client.post("/api/v1/ask", json=question).json()
            if any(p["doc"] == "lighthouse.txt" for p in answer["passages"]):
                break
            assert time.monotonic() - written < 30, "the new document was not served"  # bench/serve.py measures how soon
        assert "forty-one winters" in answer["answer"] and answer["citations"][0]["doc"] == "lighthouse.txt"
        library.remove(["lighthouse.txt"], served_index)
        while "lighthouse.txt" in {d["name"] for d in client.get("/api/v1/documents").json()["documents"]}:
            assert time.monotonic() - written < 60, "the removal was not served"
    finally:
        stop.set()
        for asker in askers:
            asker.join()
    assert statuses and set(statuses) == {200}
    assert client.get("/api/v1/health").json()["version"] != before


# ---------------------------------------------------------------------------- the parts


def test_conversations_are_bounded_in_number_and_idle_time():
    now = [0.0]
    sessions = Sessions(Limits(conversations=100, idle_seconds=60), clock=lambda: now[0])
    first = sessions.create(None)
    for _ in range(10_000):
        sessions.create(None)
    assert len(sessions) == 100 and sessions.forgotten == 9_901
    with pytest.raises(ApiError, match="no conversation"):
        sessions.get(first.id)
    kept = sessions.create("a.txt")
    now[0] = 59.0
    sessions.get(kept.id)  # used: its idle time starts again
    now[0] = 100.0
    assert sessions.get(kept.id).doc == "a.txt" and len(sessions) == 1  # the other 99 were idle too long


def test_a_conversation_sent_whole_is_answered_as_one_asked_turn_by_turn(qa):
    chat = qa.conversation()
    chat.ask(PLANT)
    expected = chat.ask(FOLLOW_UP).to_dict()
    questions = [PLANT, FOLLOW_UP]
    unknown = Replay()  # not seen before: the earlier question is answered again first
    assert unknown.answer(qa, questions, None, 3).to_dict() == expected and unknown.replays == 1
    assert unknown.answer(qa, questions, None, 3).to_dict() == expected and unknown.replays == 1  # now known: one answer
    short = Replay(replayed=0)
    assert short.answer(qa, questions, None, 3).to_dict() == qa.respond(FOLLOW_UP, History()).to_dict()
    thanked = Replay()  # a greeting first, thanks between: the follow-up still follows the question
    assert thanked.answer(qa, ["Hello", PLANT, "Thanks!", FOLLOW_UP], None, 3).to_dict() == expected
    assert thanked.answer(qa, ["Hi"], None, 3).note  # nothing to keep, nothing kept


def test_an_upload_name_is_a_plain_file_name_never_a_path():
    assert upload_name("report.pdf") == "report.pdf" and upload_name("notes 2.md") == "notes 2.md"
    for bad in ("", "..", "../x.txt", "a/b.txt", "a\\b.txt", ".env", "x\x00.txt", "x" * 300 + ".txt"):
        with pytest.raises(ApiError) as refused:
            upload_name(bad)
        assert refused.value.status_code == 422
    with pytest.raises(ApiError) as refused:
        upload_name("archive.zip")
    assert refused.value.status_code == 415


def test_serve_without_the_extra_says_how_to_install_it(tmp_path, article_index):
    # a module set to None in sys.modules cannot be imported: it stands for one not installed
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['fastapi'] = None\n")
    result = cli("serve", "--index", str(article_index), env={"PYTHONPATH": str(tmp_path)}, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "pip install 'qa[serve]'" in result.stderr
