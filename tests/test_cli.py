"""The command line, run as a user runs it: exit codes, messages, JSON."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT


def qa(*args: str, index=None, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    if index is not None:
        environment["QA_INDEX"] = str(index)
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        input=stdin, capture_output=True, text=True, env=environment, timeout=300, check=False,
    )


def test_help_everywhere():
    for args in ([], ["ask"], ["chat"], ["index"], ["index", "add"], ["index", "list"], ["eval"]):
        result = qa(*args, "--help")
        assert result.returncode == 0 and "usage: qa" in result.stdout
    help_text = qa("--help").stdout
    assert "QA_INDEX" in help_text and "docs/answer-json.md" in help_text
    assert "DESIGN" not in help_text and "../" not in help_text
    for path in re.findall(r"docs/[\w.-]+", help_text):
        assert (ROOT / path).is_file(), path


def test_cli_py_runs_from_the_checkout_without_being_installed_as_a_module(tmp_path):
    # a top-level module `cli` in site-packages would shadow (or be shadowed by) anyone else's
    found = subprocess.run(
        [sys.executable, "-c", "import importlib.util; print(importlib.util.find_spec('cli'))"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True,
    )
    assert found.stdout.strip() == "None"
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "--help"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0 and "usage: qa" in result.stdout


def test_usage_errors_exit_2(article_index):
    assert qa(index=article_index).returncode == 2  # no command
    result = qa("ask", "   ", index=article_index)
    assert result.returncode == 2 and result.stderr.strip() == "qa: error: the question is empty"
    result = qa("ask", "Who?", "--top-k", "0", index=article_index)
    assert result.returncode == 2 and "at least 1" in result.stderr
    result = qa("ask", "Who?", "--doc", "nope.txt", index=article_index)
    assert result.returncode == 2 and "no document named 'nope.txt'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_document_is_named_with_or_without_its_suffix(article_index):
    result = qa("ask", "What did Aliyev give?", "--doc", "belarus-azerbaijan-talks", "--json", index=article_index)
    assert result.returncode == 0 and json.loads(result.stdout)["citations"][0]["doc"] == "belarus-azerbaijan-talks.txt"


def test_a_question_over_the_limit_is_refused_never_cut(article_index, request):
    from qa.engine import MAX_QUESTION_CHARS
    from qa.errors import UsageError

    real = "What did Ilham Aliyev give the Belarusian president?"
    question = "Some context first. " * 500 + real  # the real question is at the end, past 10,000 characters
    refusal = f"the question is too long: {len(question):,} characters, at most {MAX_QUESTION_CHARS:,}"
    result = qa("ask", question, "--json", index=article_index)
    assert result.returncode == 2 and result.stderr.strip() == f"qa: error: {refusal}" and result.stdout == ""
    assert f"at most {MAX_QUESTION_CHARS:,} characters" in qa("ask", "--help").stdout
    chat = qa("chat", "--jsonl", index=article_index, stdin=f"{question}\n{real}\n")
    replies = [json.loads(line) for line in chat.stdout.splitlines()]
    assert chat.returncode == 0 and replies[0] == {"error": refusal} and "carpet" in replies[1]["answer"]
    with pytest.raises(UsageError, match="the question is too long"):
        request.getfixturevalue("qa").ask(question)


def test_ask_json_matches_design(article_index, article_text):
    result = qa("ask", "What did Ilham Aliyev give the Belarusian president?", "--json", index=article_index)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"question", "query", "answerable", "answer", "confidence", "citations", "passages"}
    assert answer["answerable"] is True and "[1]" in answer["answer"]
    citation = answer["citations"][0]
    assert set(citation) >= {"n", "passage", "doc", "start", "end", "quote"}
    assert article_text[citation["start"] : citation["end"]] == citation["quote"]
    assert len(answer["passages"]) == 3
    for passage in answer["passages"]:
        assert set(passage) >= {"id", "doc", "paragraph", "start", "end", "score", "text"}
        assert article_text[passage["start"] : passage["end"]] == passage["text"]


def test_a_question_not_in_english_says_how_it_is_read(article_index):
    from qa.read.language import NOTE

    result = qa("ask", "Что подарил Ильхам Алиев Лукашенко?", "--json", index=article_index)
    assert result.returncode == 0 and json.loads(result.stdout)["note"] == NOTE
    plain = qa("ask", "Wer hat den Teppich geschenkt?", index=article_index)
    assert plain.returncode == 0 and "note: qa reads questions and documents as English" in plain.stdout
    english = qa("ask", "What did Ilham Aliyev give the Belarusian president?", "--json", index=article_index)
    assert json.loads(english.stdout)["note"] is None


def test_ask_plain_text_when_piped(article_index):
    result = qa("ask", "How many tractors have been assembled in Ganja?", index=article_index)
    assert result.returncode == 0
    assert "10,000 tractors" in result.stdout and "[1] belarus-azerbaijan-talks.txt, paragraph 19" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes in a pipe


def test_a_hard_wrapped_text_is_quoted_exactly_and_shown_as_it_reads(tmp_path):
    text = (
        "# Skerry Point\n\nThe lighthouse was built in 1872 by the engineer Thomas Abernethy, after\n"
        "two fishing boats were lost on the rocks. Construction took three years and cost\n"
        "£14,500, most of it raised by the harbour board of Portmallen.\n"
    )
    (tmp_path / "skerry.txt").write_text(text, encoding="utf-8")
    assert qa("index", "add", str(tmp_path / "skerry.txt"), index=tmp_path / "index").returncode == 0
    question = "How much did the construction cost?"
    answer = json.loads(qa("ask", question, "--json", index=tmp_path / "index").stdout)
    citation = answer["citations"][0]
    assert text[citation["start"] : citation["end"]] == citation["quote"] and "\n" in citation["quote"]
    assert "cost £14,500" in answer["answer"] and "\n" not in answer["answer"]
    shown = qa("ask", question, index=tmp_path / "index", env={"COLUMNS": "200"}).stdout.splitlines()
    assert shown[0].startswith("Construction took three years and cost £14,500, most of it raised by")
    assert any(line.strip().startswith("The lighthouse was built in 1872 by the engineer Thomas Abernethy, after two") for line in shown)


def test_first_question_indexes_the_bundled_article_at_the_default_place(tmp_path, monkeypatch):
    from qa import library

    monkeypatch.delenv("QA_INDEX", raising=False)
    monkeypatch.setattr(library, "default_index_dir", lambda: tmp_path / "default")
    notices: list[str] = []
    library.ensure_index(notify=notices.append)
    index = library.open_index()
    assert [d.name for d in index.documents] == ["belarus-azerbaijan-talks.txt"]
    assert notices == [f"indexing the bundled article into {tmp_path / 'default'}"]


def test_a_named_index_must_exist(tmp_path, article_index):
    typo = tmp_path / "typo"
    for args, env in (
        (["ask", "What did Ilham Aliyev give the Belarusian president?", "--index", str(typo)], {}),
        (["--index", str(typo), "ask", "What did Ilham Aliyev give the Belarusian president?"], {}),
        (["ask", "What did Ilham Aliyev give the Belarusian president?"], {"QA_INDEX": str(typo)}),
        (["chat", "--jsonl", "--index", str(typo)], {}),
        (["index", "list", "--index", str(typo)], {}),
        (["index", "list", "--json"], {"QA_INDEX": str(typo)}),
        (["index", "remove", "good.txt", "--index", str(typo)], {}),
        (["index", "rebuild", "--index", str(typo)], {}),
    ):
        result = qa(*args, env=env, stdin="")
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip() == f"qa: error: no index at {typo}: create it with `qa index add --index {typo} PATH...`"
        assert not typo.exists()  # nothing was built there
    # --index before the command is the same as after it
    before = qa("--index", str(article_index), "ask", "What did Ilham Aliyev give the Belarusian president?", "--json")
    assert before.returncode == 0 and "carpet" in json.loads(before.stdout)["answer"]
    assert qa("--index", str(article_index), "index", "list", "--json").returncode == 0


def test_batch_add_skips_each_bad_path_and_adds_the_rest(tmp_path):
    from fixtures import write_documents, write_pdf

    docs = write_documents(tmp_path / "docs")
    write_pdf(docs / "scan.pdf", [[]])
    good = tmp_path / "good.txt"
    good.write_text("Stamps were issued to mark twenty five years of relations between the countries.")
    bad = {
        "missing.txt": None,
        "empty.txt": b"",
        "image.txt": b"\x89PNG\x00\x00data",
        "data.json": b"{}",
        "headings.md": b"# Only\n\n## Headings",
    }
    for name, data in bad.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    index = tmp_path / "index"
    assert qa("index", "add", str(good), index=index).returncode == 0
    paths = [str(tmp_path / name) for name in bad] + [str(docs), str(good)]
    result = qa("index", "add", *paths, index=index)
    assert result.returncode == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("qa: skipped")]
    assert len(skipped) == len(bad) + 1, result.stderr  # + the scan
    for message in (
        "missing.txt: no such file or directory", "empty.txt: empty document", "image.txt: binary file",
        "data.json: unsupported format '.json' (supported: PDF", "headings.md: no passage of text",
        "scan.pdf: no text layer (scanned?): run OCR first",
    ):
        assert sum(message in line for line in skipped) == 1, message
    assert f"{docs}: ignored 1 files of other types (data.json)" in result.stderr
    added = sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("added"))
    assert added == ["a/README.md", "b/README.md", "ferry.pdf", "lake.html", "museum.docx"]
    assert "unchanged good.txt" in result.stdout
    listing = json.loads(qa("index", "list", "--json", index=index).stdout)
    assert len(listing["documents"]) == 6  # nothing indexed before was lost
    # everything good: exit 0; two files with one name given one by one are both indexed
    result = qa("index", "add", str(docs / "a" / "README.md"), str(docs / "b" / "README.md"), index=tmp_path / "two")
    assert result.returncode == 0 and result.stdout.split() == ["added", "a/README.md", "added", "b/README.md"]


def test_piped_add_reports_progress(tmp_path):
    from qa.cli import _Ticker

    ticker = _Ticker()
    ticker.read(3, 10)
    assert re.fullmatch(r"\d+ s: 3 of 10 files read, [\d.]+ files/s", ticker.line())
    advance = ticker.progress(200)
    advance(50)
    assert re.fullmatch(r"\d+ s: 3 of 10 files read, 50 of 200 passages embedded \([\d.]+/s\)", ticker.line())


def test_index_commands(tmp_path):
    index = tmp_path / "index"
    good = tmp_path / "good.txt"
    good.write_text("Stamps were issued to mark twenty five years of relations between the countries.")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00data")
    result = qa("index", "add", str(good), str(binary), index=index)
    assert result.returncode == 1  # one file could not be added...
    assert "added     good.txt" in result.stdout  # ...the other one was
    assert "skipped" in result.stderr and "binary file" in result.stderr
    assert re.search(r"^qa: 1 passages indexed in [\d.]+ s \([\d.]+ passages/s\)$", result.stderr, re.MULTILINE)
    again = qa("index", "add", str(good), index=index)
    assert "unchanged good.txt" in again.stdout and "indexed" not in again.stderr  # nothing embedded
    long = tmp_path / "hollinsford-town-council-minutes-2024-04-09-extraordinary-meeting.txt"
    long.write_text("The council agreed to resurface the skate park for 38,500 pounds.")
    assert qa("index", "add", str(long), index=index).returncode == 0
    listing = qa("index", "list", index=index)  # piped: every name whole, one line a document, for --doc
    assert re.search(r"^good\.txt +1 ", listing.stdout, re.MULTILINE)
    assert not re.search(r" $", listing.stdout, re.MULTILINE)  # no row padded past its title
    assert re.search(rf"^{re.escape(long.name)} +1 ", listing.stdout, re.MULTILINE)
    assert "2 documents, 2 passages" in listing.stdout
    assert "removed   " + long.name in qa("index", "remove", long.name.removesuffix(".txt"), index=index).stdout  # the suffix left out
    assert qa("index", "rebuild", index=index).returncode == 0
    assert "removed   good.txt" in qa("index", "remove", "good.txt", index=index).stdout
    result = qa("index", "remove", "good.txt", index=index)
    assert result.returncode == 2  # an unknown document is a usage error, as for `qa ask --doc`
    assert result.stderr.strip() == "qa: error: not in the index: good.txt (see `qa index list`)"


def test_a_copy_of_an_indexed_document_is_noted(tmp_path):
    index = tmp_path / "index"
    (tmp_path / "minutes.txt").write_text("The council agreed to resurface the skate park for 38,500 pounds.")
    (tmp_path / "minutes-copy.txt").write_text("The council agreed to resurface the skate park for 38,500 pounds.")
    result = qa("index", "add", str(tmp_path / "minutes.txt"), str(tmp_path / "minutes-copy.txt"), index=index)
    assert result.returncode == 0 and "added     minutes-copy.txt" in result.stdout  # added, as asked
    assert "qa: minutes-copy.txt has the same content as minutes.txt: both are indexed" in result.stderr


def test_an_index_of_an_older_release_is_listed_as_such_and_rebuilt(tmp_path):
    index = tmp_path / "index"
    good = tmp_path / "good.txt"
    good.write_text("Stamps were issued to mark twenty five years of relations between the countries.")
    assert qa("index", "add", str(good), index=index).returncode == 0
    generation = index / (index / "CURRENT").read_text().strip()
    manifest = json.loads((generation / "manifest.json").read_text())
    (generation / "manifest.json").write_text(json.dumps({**manifest, "format": 2}))
    (generation / "lexical.npz").unlink()  # format 2 kept no BM25 arrays
    listing = qa("index", "list", index=index)
    assert listing.returncode == 0 and "index format 2" in listing.stdout and "rebuilds it" in listing.stdout
    answer = qa("ask", "--json", "What were the stamps issued for?", index=index)
    assert answer.returncode == 0, answer.stderr
    assert "rebuilding the index: index format 2" in answer.stderr
    assert json.loads(answer.stdout)["passages"][0]["doc"] == "good.txt"


def test_not_an_index_directory(tmp_path):
    (tmp_path / "thesis.docx").write_text("precious")
    result = qa("index", "list", index=tmp_path)
    assert result.returncode == 1 and "not a qa index" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_jsonl_holds_a_conversation(article_index):
    lines = "\n".join(
        [
            "Which Azerbaijani plant works with MTZ and MAZ?",
            '{"question": "How many tractors have they assembled there?"}',  # a line may be JSON
            "And how many automotive vehicles?",
            "/doc nope.txt",
            "/new",
            "What did Ilham Aliyev give the Belarusian president?",
        ]
    )
    result = qa("chat", "--jsonl", index=article_index, stdin=lines + "\n")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == 6
    # the passage that names the plant comes first (the answer itself is judged by the accuracy floors)
    assert "Ganja Auto Plant" in replies[0]["passages"][0]["text"]
    assert replies[1]["query"] != replies[1]["question"]  # the follow-up was read in context
    assert "10,000" in replies[1]["answer"]
    assert "3,500" in replies[2]["answer"]
    assert "error" in replies[3] and replies[4] == {"event": "new"}
    bogus = qa("chat", "--jsonl", index=article_index, stdin='/bogus\n/new extra\n/new\n/doc\tnope.txt\n/doc\n{"q": "Why?"}\n{"question":\n')
    assert [json.loads(line) for line in bogus.stdout.splitlines()] == [
        {"error": "unknown command '/bogus': the commands are /new and /doc [NAME]"},
        {"error": "/new takes no argument (got 'extra'); /doc NAME chooses a document"},
        {"event": "new"},
        {"error": "no document named 'nope.txt' in the index (documents: belarus-azerbaijan-talks.txt)"},
        {"event": "doc", "doc": None},
        {"error": 'a JSON line holds one key, "question", a string: {"question": "Who said that?"}'},
        {"error": "a line starting with { is read as JSON, and this one is not valid JSON (Expecting value)"},
    ]
    assert "carpet" in replies[5]["answer"] and replies[5]["query"] == replies[5]["question"]


def test_chat_needs_a_terminal(article_index):
    result = qa("chat", index=article_index, stdin="")
    assert result.returncode == 2 and "--jsonl" in result.stderr


def test_eval_json(article_index, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "How many tractors were assembled in Ganja?", "gold": ["More than 10,000 tractors"], "answer": ["10,000"]}\n'
        '{"question": "What did Vladimir Putin say?", "gold": null}\n'
        '{"turns": [{"question": "Which Azerbaijani plant works with MTZ and MAZ?", "gold": ["Ganja Auto Plant"]}, '
        '{"question": "How many tractors have they assembled there?", "gold": ["More than 10,000 tractors"]}]}\n'
    )
    result = qa("eval", str(questions), "--json", index=article_index)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["questions"] == 1 and report["hit@1"] == 1.0 and report["answer_contains"] == 1.0
    assert report["abstention"]["unanswerable"] == 1 and report["abstention"]["refused"] == 1
    assert report["turns"]["questions"] == 2 and report["turns"]["hit@3"] == 1.0
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    result = qa("eval", str(bad), index=article_index)
    assert result.returncode == 2 and "line 1" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["index", "list"]])
def test_quick_commands_do_not_import_heavy_libraries(args, article_index):
    code = (
        "import sys, runpy\n"
        "sys.argv = ['cli.py', *sys.argv[1:]]\n"
        "try:\n    runpy.run_path('cli.py', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "QA_INDEX": str(article_index)}, timeout=120, check=False,
    )
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
