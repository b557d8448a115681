"""The index on disk: passages, their embeddings (FAISS) and their words (BM25 arrays),
written atomically a generation at a time."""
