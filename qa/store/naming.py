"""What a document is called in the index: a name that stays with its file and is never taken twice."""

from __future__ import annotations

from pathlib import Path

from ..ingest.documents import Document
from .records import Record


def place(document: Document, records: list[Record], by_name: dict[str, int]) -> tuple[int | None, str]:
    """The record ``document`` replaces (None for a new one) and the name it goes by.

    The same file keeps its name; a name whose file is gone passes to the new file (it was
    moved); a name another file still has is lengthened with the new file's parent folders
    until it is free, then numbered.
    """
    for i, record in enumerate(records):
        if record.entry.source == document.source:
            return i, record.entry.name
    i = by_name.get(document.name)
    if i is None:
        return None, document.name
    if not Path(records[i].entry.source).exists():
        return i, document.name
    parts = Path(document.source).parts
    for depth in range(document.name.count("/") + 2, len(parts)):
        name = "/".join(parts[-depth:])
        if name not in by_name:
            return None, name
    stem, dot, suffix = document.name.rpartition(".")
    number = 2
    while (name := f"{stem} ({number}).{suffix}" if dot else f"{document.name} ({number})") in by_name:
        number += 1
    return None, name
