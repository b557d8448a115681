"""Reading documents: every kind of bad input gets one clear message."""

from __future__ import annotations

import os

import pytest

from qa.errors import DocumentError
from qa.ingest.documents import find_files, read_document


def test_utf8_with_bom_and_crlf_is_read_as_is(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("\ufeffFirst line.\r\n\r\nSecond – with ünïcode.".encode())
    document = read_document(path)
    assert document.text == "First line.\r\n\r\nSecond – with ünïcode."
    assert document.name == "notes.txt" and len(document.sha256) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty document"),
        (b"  \n\n\t ", "empty document"),
        (b"text\x00\x01\x02 binary", "binary file"),
        (b"caf\xe9 au lait\nline two \xff", "not valid UTF-8 (byte 0xe9 at line 1, column 4)"),
    ],
)
def test_bad_files_are_explained(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=r".*bad\.txt: " + message.replace("(", r"\(").replace(")", r"\)")):
        read_document(path)


def test_missing_and_unreadable(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    path = tmp_path / "secret.txt"
    path.write_text("hidden words here.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(DocumentError, match="permission denied"):
            read_document(path)
    finally:
        path.chmod(0o644)


def test_directories_give_their_supported_files(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("b")
    (tmp_path / "c.pdf").write_text("c")
    (tmp_path / "d.png").write_text("d")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("d")
    found, failures, notices = find_files([tmp_path])
    assert [f.name for f in found] == ["a.txt", "c.pdf", "sub/b.md"] and not failures
    assert notices == [f"{tmp_path}: ignored 1 files of other types (d.png)"]


def test_a_document_is_found_by_its_name_or_its_name_less_its_suffix():
    from qa.ingest.documents import find_name

    names = ["a/README.md", "b/README.md", "notes.md", "Notes.txt", "report.pdf"]
    assert find_name("report.pdf", names) == find_name("report", names) == "report.pdf"
    assert find_name("a/README", names) == "a/README.md"
    assert find_name("README", names) is None  # no such name
    assert find_name("notes", names) is None  # two documents are called so
    assert find_name("minutes", names) is None
