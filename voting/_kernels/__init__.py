"""Numba kernels: private, positional arrays in and out, no validation.

Every kernel here is reached only through a typed, validating wrapper elsewhere in
the package, and has a plain-Python reference in ``tests/naive.py`` that a
hypothesis test compares it with. The wrappers import these modules, and numba with
them, only when a count needs a kernel (:func:`voting._dispatch.kernels`): small
inputs go to the NumPy versions in :mod:`voting._numpy_paths` instead, by the cost
model of :mod:`voting._dispatch`.
"""
