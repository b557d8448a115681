"""Read documents from disk: UTF-8 text files, checked and explained when they are not."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError, UsageError

TEXT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Document:
    """A text file's name (its file name), where it came from, its text and a hash of its bytes."""

    name: str
    source: str
    text: str
    sha256: str


def read_document(path: Path) -> Document:
    """Read ``path`` as UTF-8 text (a BOM is dropped; newlines are kept as they are)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DocumentError(f"{path}: is a directory") from None
    except PermissionError:
        raise DocumentError(f"{path}: cannot read it (permission denied)") from None
    except OSError as error:
        raise DocumentError(f"{path}: cannot read it ({error.strerror or error})") from None
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise DocumentError(
            f"{path}: not valid UTF-8 (byte 0x{byte:02x} at line {line}, column {column}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None
    if not text.strip():
        raise DocumentError(f"{path}: empty document, nothing to index")
    return Document(path.name, str(path.resolve()), text, hashlib.sha256(data).hexdigest())


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The files named by ``paths``: files as given, directories as their .txt/.md files."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in TEXT_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise UsageError(f"{path}: no .txt or .md files in this directory")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    return files
