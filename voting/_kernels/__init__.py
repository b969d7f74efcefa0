"""Numba kernels: private, positional arrays in and out, no validation.

Every kernel here is reached only through a typed, validating wrapper elsewhere in
the package, and has a plain-Python reference in ``tests/naive.py`` that a
hypothesis test compares it with.
"""
