"""Plain text (.txt, .rst, ...): UTF-8, read as it is."""

from __future__ import annotations

from pathlib import Path

from ...errors import DocumentError
from . import Extracted


def extract(path: Path, data: bytes) -> Extracted:
    """``data`` as UTF-8 text (a BOM is dropped; newlines are kept as they are)."""
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
    return Extracted(text, "text")
