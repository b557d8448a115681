"""Settings a process running qa starts with: the `qa` command, the chat UI, the benchmark.

They are environment variables read when numpy and tokenizers load, so they are set before
either is imported, and only where the user has not set them.
"""

from __future__ import annotations

import os


def set_defaults(blas_threads: int | None = None) -> None:
    """BLAS threads for the reader's matrix products: a few hundred tokens by 384 to 1,536 read
    1.4x faster on 2 threads than on 1 (measured on 2 cores); more than 4 were not measured.
    ``blas_threads`` overrides that for a process that answers several questions at once on
    threads of its own (``qa serve``): one BLAS thread each keeps the cores from being
    oversubscribed (measured on 2 busy cores: 2 BLAS threads a question cost 6x the CPU time an
    answer, their threads spinning while they wait for a core). Tokenizers must not warn about
    forking (onto the chat UI's screen, among others)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(blas_threads or min(4, os.cpu_count() or 1)))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
