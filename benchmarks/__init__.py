"""Benchmarks of voting (see ``_harness.py`` for the method, ``results/`` for the numbers).

Run one with ``python3 benchmarks/bench_<name>.py`` or all with
``python3 -m benchmarks.run_all``.
"""
