"""Plain NumPy versions of the numba kernels, for inputs too small to pay for compiling.

One module per kernel module of :mod:`voting._kernels`, with the same inputs and
outputs as the kernels they stand for (integers throughout, so the results are
identical, not just close). :mod:`voting._dispatch` picks the engine of each call by
its cost model; ``tests/test_engines.py`` compares the two on generated profiles.
Nothing here imports numba.
"""
