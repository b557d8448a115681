"""Errors a user can cause or fix. The CLI prints them as one line, without a traceback."""


class QAError(Exception):
    """A failure explained to the user in one line; exit status 1."""

    exit_code = 1


class UsageError(QAError):
    """The command line asked for something impossible; exit status 2."""

    exit_code = 2


class DocumentError(QAError):
    """A document cannot be read as text (missing, empty, binary, not UTF-8, unreadable)."""


class IndexCorrupt(QAError):
    """The index on disk cannot be read."""


class NotAnIndex(QAError):
    """The index directory holds something that is not a qa index."""
