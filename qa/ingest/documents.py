"""Read documents from disk: find the files named, give each a name, extract its text.

Every problem with one path (missing, unreadable, unsupported, empty, binary, scanned) is a
``DocumentError`` with a one-line reason, so that a batch can skip it and add the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import DocumentError
from . import formats


@dataclass(frozen=True)
class Document:
    """A document as qa stores it: its name, where it came from, its extracted text and a hash
    of the file's bytes; for formats that have them, its own title and its pages' start offsets."""

    name: str
    source: str
    text: str
    sha256: str
    format: str = "text"
    title: str | None = None
    pages: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Found:
    """A file to read, and the name it asks for: its file name, or its path relative to the
    folder it was found in (``a/README.md``)."""

    path: Path
    name: str


def read_document(path: Path, name: str | None = None) -> Document:
    """Read and extract ``path`` (any supported format); its name is ``name`` or the file name."""
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
    return from_bytes(data, path, name or path.name, str(path.resolve()))


def from_bytes(data: bytes, path: Path, name: str, source: str) -> Document:
    """The document whose file's bytes are ``data``: ``path`` gives its format (by its suffix)
    and the errors' wording, and is never opened (an upload's file name is a name, not a path)."""
    extracted = formats.extract(path, data)
    if not extracted.text.strip():
        raise DocumentError(f"{path}: empty document, nothing to index")
    return Document(
        name,
        source,
        extracted.text,
        hashlib.sha256(data).hexdigest(),
        extracted.format,
        extracted.title,
        extracted.pages,
    )


def find_files(paths: Iterable[str | Path]) -> tuple[list[Found], list[DocumentError], list[str]]:
    """The files named by ``paths``, the paths that give none, and notices.

    A file is taken as given (its format is checked when it is read); a folder gives every
    supported file under it, hidden files and folders left out, each named by its path relative
    to the folder. Files of other types in a folder are ignored with one notice per folder.
    """
    found: list[Found] = []
    failures: list[DocumentError] = []
    notices: list[str] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            kept = [p for p in files if formats.supported(p)]
            others = [p for p in files if not formats.supported(p)]
            if not kept:
                failures.append(DocumentError(f"{path}: no supported files in this folder ({formats.SUPPORTED})"))
                continue
            if others:
                listed = ", ".join(str(p.relative_to(path)) for p in others[:3]) + (", …" if len(others) > 3 else "")
                notices.append(f"{path}: ignored {len(others)} files of other types ({listed})")
            found.extend(Found(p, p.relative_to(path).as_posix()) for p in kept)
        elif path.exists():
            found.append(Found(path, path.name))
        else:
            failures.append(DocumentError(f"{path}: no such file or directory"))
    return _distinct(found), failures, notices


def _distinct(found: list[Found]) -> list[Found]:
    """``found`` with one entry per file, and names made distinct: files that ask for the same
    name are named by as much of their path as tells them apart (``a/README.md``)."""
    unique = list({f.path.resolve(): f for f in found}.values())
    by_name: dict[str, list[Found]] = {}
    for f in unique:
        by_name.setdefault(f.name, []).append(f)
    names = {id(f): f.name for f in unique}
    for group in by_name.values():
        if len(group) > 1:
            for f, name in zip(group, distinct_names([f.path.resolve() for f in group], group[0].name.count("/") + 1)):
                names[id(f)] = name
    return [Found(f.path, names[id(f)]) for f in unique]


def distinct_names(paths: list[Path], parts: int = 1) -> list[str]:
    """Names for ``paths`` (absolute), each the shortest ending of at least ``parts`` path parts
    that no other of them shares."""
    names = []
    for path in paths:
        depth = parts
        while depth < len(path.parts) and sum(
            1 for other in paths if other.parts[-depth:] == path.parts[-depth:]
        ) > 1:
            depth += 1
        names.append("/".join(path.parts[-depth:]).lstrip("/"))
    return names


def find_name(asked: str, names: Iterable[str]) -> str | None:
    """The name of ``names`` that ``asked`` calls a document by: itself, or the one name that is
    ``asked`` less its suffix or its case ("trip-letter" for "trip-letter.docx"); None for none,
    or for several."""
    names = list(names)
    if asked in names:
        return asked
    folded = asked.casefold()
    found = [name for name in names if folded in (name.casefold(), str(PurePosixPath(name).with_suffix("")).casefold())]
    return found[0] if len(found) == 1 else None
