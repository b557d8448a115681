"""What a document is called in the index: a name that stays with its file and is never taken twice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .contents import DocumentEntry

Lookup = Callable[[str], DocumentEntry | None]
"""The document of the index that has a given name (or source), if one has."""


def place(source: str, name: str, named: Lookup, sourced: Lookup) -> tuple[DocumentEntry | None, str]:
    """The document of the index that the file at ``source``, proposed as ``name``, replaces (None
    for a new one) and the name it goes by; ``named`` and ``sourced`` look the index's documents up.

    The same file keeps its name; a name whose file is gone passes to the new file (it was
    moved); a name another file still has is lengthened with the new file's parent folders
    until it is free, then numbered.
    """
    same = sourced(source)
    if same is not None:
        return same, same.name
    holder = named(name)
    if holder is None:
        return None, name
    if not Path(holder.source).exists():
        return holder, name
    parts = Path(source).parts
    for depth in range(name.count("/") + 2, len(parts)):
        longer = "/".join(parts[-depth:])
        if named(longer) is None:
            return None, longer
    stem, dot, suffix = name.rpartition(".")
    number = 2
    while named(numbered := f"{stem} ({number}).{suffix}" if dot else f"{name} ({number})") is not None:
        number += 1
    return None, numbered


class Names:
    """The documents of an index by name and by source, for ``place``: kept up to date as documents
    are placed."""

    def __init__(self, entries: list[DocumentEntry]) -> None:
        self.by_name = {entry.name: entry for entry in entries}
        self.by_source: dict[str, DocumentEntry] = {}
        self.by_content: dict[str, str] = {}  # a name for each content hash
        for entry in entries:
            self.by_source.setdefault(entry.source, entry)
            self.by_content.setdefault(entry.sha256, entry.name)

    def place(self, source: str, name: str) -> tuple[DocumentEntry | None, str]:
        return place(source, name, self.by_name.get, self.by_source.get)

    def put(self, entry: DocumentEntry, replaced: DocumentEntry | None) -> None:
        """Record that ``entry`` took the place of ``replaced`` (None: it is new)."""
        if replaced is not None:
            self.by_name.pop(replaced.name, None)
            if self.by_source.get(replaced.source) is replaced:
                del self.by_source[replaced.source]
        self.by_name[entry.name] = entry
        self.by_source.setdefault(entry.source, entry)
        self.by_content.setdefault(entry.sha256, entry.name)

    def same_content(self, sha256: str, name: str) -> str | None:
        """The name of another document of the index with the content hashed ``sha256``, if any."""
        found = self.by_content.get(sha256)
        return found if found != name and found in self.by_name and self.by_name[found].sha256 == sha256 else None
