"""Rows as bytes for PostgreSQL, to and from numpy: columns of fixed width only (``int4``,
``int8`` and pgvector's ``vector`` of one dimension), so that a table of a hundred thousand
vectors moves as a few buffers, with no Python object a row.

Writing uses binary COPY: a signature and two zero words, then each row as its number of fields
and each field as its length and its big-endian value (a vector: its dimension, a zero word and
its float4s), then -1. Reading asks the server for each document's rows packed into one
``bytea`` (``packed``: the fields' binary send forms back to back, in ordinal order), so that a
reader gets one message a document rather than one a row. With fixed widths every row has the
same length either way, so the rows are one numpy structured array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
TRAILER = b"\xff\xff"

Column = tuple[str, str]
"""A column's name and its type: ``int4``, ``int8`` or ``vector``."""

_WIDTH = {"int4": ">i4", "int8": ">i8"}
_SEND = {"int4": "int4send", "int8": "int8send", "vector": "vector_send"}  # each type's binary form, as bytea


def _fields(columns: Sequence[Column], dim: int, lengths: bool) -> list[tuple]:
    fields: list[tuple] = []
    for name, kind in columns:
        if lengths:
            fields.append((f"{name} length", ">i4"))
        if kind == "vector":
            fields += [(f"{name} dim", ">i2"), (f"{name} unused", ">i2"), (name, ">f4", (dim,))]
        else:
            fields.append((name, _WIDTH[kind]))
    return fields


def encode(columns: Sequence[Column], values: dict[str, np.ndarray], dim: int) -> bytes:
    """``values`` (one array a column, one item a row) as a binary COPY stream."""
    rows = len(values[columns[0][0]])
    table = np.zeros(rows, np.dtype([("fields", ">i2"), *_fields(columns, dim, lengths=True)]))
    table["fields"] = len(columns)
    for name, kind in columns:
        if kind == "vector":
            table[f"{name} length"] = 4 + 4 * dim
            table[f"{name} dim"] = dim
        else:
            table[f"{name} length"] = np.dtype(_WIDTH[kind]).itemsize
        table[name] = values[name]
    return HEADER + table.tobytes() + TRAILER


def packed(columns: Sequence[Column]) -> str:
    """The SQL that packs a row's ``columns`` into one ``bytea`` (``string_agg`` of it packs a run of rows)."""
    return " || ".join(f"{_SEND[kind]}({name})" for name, kind in columns)


def unpack(data: bytes, columns: Sequence[Column], dim: int) -> np.ndarray:
    """Rows packed by ``packed``, as a structured array; a ``ValueError`` when ``data`` is not such rows."""
    kind = np.dtype(_fields(columns, dim, lengths=False))
    if len(data) % kind.itemsize:
        raise ValueError(f"{len(data)} bytes are not rows of {kind.itemsize}")
    table = np.frombuffer(data, kind)
    for name, column in columns:
        if column == "vector" and len(table) and (table[f"{name} dim"] != dim).any():
            raise ValueError(f"vectors of another dimension than {dim}")
    return table
