"""Rows in PostgreSQL's binary COPY format, to and from numpy: columns of fixed width only
(``int4``, ``int8`` and pgvector's ``vector`` of one dimension), so that a table of a hundred
thousand vectors moves as one buffer, with no Python object a row.

The format: a signature and two zero words, then each row as its number of fields and each
field as its length and its big-endian value (a vector: its dimension, a zero word and its
float4s), then -1. With fixed widths every row has the same length, so the rows are one numpy
structured array.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
HEADER = SIGNATURE + bytes(8)  # flags, header extension length
TRAILER = b"\xff\xff"

Column = tuple[str, str]
"""A column's name and its type: ``int4``, ``int8`` or ``vector``."""

_WIDTH = {"int4": ">i4", "int8": ">i8"}


def row_type(columns: Sequence[Column], dim: int) -> np.dtype:
    """The numpy type of one row of ``columns`` (vectors of ``dim`` dimensions)."""
    fields: list[tuple] = [("fields", ">i2")]
    for name, kind in columns:
        fields.append((f"{name} length", ">i4"))
        if kind == "vector":
            fields += [(f"{name} dim", ">i2"), (f"{name} unused", ">i2"), (name, ">f4", (dim,))]
        else:
            fields.append((name, _WIDTH[kind]))
    return np.dtype(fields)


def encode(columns: Sequence[Column], values: dict[str, np.ndarray], dim: int) -> bytes:
    """``values`` (one array a column, one item a row) as a binary COPY stream."""
    rows = len(values[columns[0][0]])
    table = np.zeros(rows, row_type(columns, dim))
    table["fields"] = len(columns)
    for name, kind in columns:
        if kind == "vector":
            table[f"{name} length"] = 4 + 4 * dim
            table[f"{name} dim"] = dim
        else:
            table[f"{name} length"] = np.dtype(_WIDTH[kind]).itemsize
        table[name] = values[name]
    return HEADER + table.tobytes() + TRAILER


def decode(blocks: Iterable[bytes | memoryview], columns: Sequence[Column], dim: int) -> np.ndarray:
    """The rows of a binary COPY stream of ``columns``, as a structured array; a ``ValueError``
    when the stream is not such rows."""
    data = bytearray()
    for block in blocks:
        data += block
    kind = row_type(columns, dim)
    body = len(data) - len(HEADER) - len(TRAILER)
    if not data.startswith(SIGNATURE) or data[-2:] != TRAILER or body < 0 or body % kind.itemsize:
        raise ValueError(f"not rows of {len(columns)} fixed-width columns ({len(data)} bytes)")
    table = np.frombuffer(data, kind, body // kind.itemsize, len(HEADER))
    if len(table) and (table["fields"] != len(columns)).any():
        raise ValueError("rows with another number of columns")
    for name, kind_name in columns:
        if kind_name == "vector" and len(table) and (table[f"{name} dim"] != dim).any():
            raise ValueError(f"vectors of another dimension than {dim}")
    return table
