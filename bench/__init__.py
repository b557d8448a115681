"""qa's benchmarks, run from the checkout's root as modules: ``python -m bench.run``."""
