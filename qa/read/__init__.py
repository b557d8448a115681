"""Reading for an answer: rank the passages for a question, read the best with the trained
reader, and choose the sentence to quote (or say that the text does not say)."""
