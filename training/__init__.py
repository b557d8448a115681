"""How qa's reader is made: scripts run from the checkout (``python training/train_reader.py``),
importable as ``training.train_reader`` where the checkout is on the path (the tests)."""
