"""Typed entry points to the numba kernels of CIVS proportional representation.

The kernels (:mod:`voting._kernels.civs_prop`, where the counting is explained) take
positional arrays and validate nothing; :class:`ClimbState`, :func:`neighbour_counts`
and :func:`pair_counts` give them typed signatures, pick the serial or the parallel
kernel and size their arrays. The search (:mod:`voting.methods._civs_search`) calls
them when the cost model of :mod:`voting._dispatch` sends a step to numba, and the
NumPy paths (:mod:`voting._numpy_paths.civs_prop`) otherwise; numba is imported on
the first call, not with this module.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels, num_threads

__all__ = ["ClimbState", "narrowest", "neighbour_counts", "pair_counts"]


def _k() -> ModuleType:
    return kernels("civs_prop")


def narrowest(low: int, high: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type holding ``low..high``."""
    for t in (np.int8, np.int16, np.int32):
        info = np.iinfo(t)
        if info.min <= low and high <= info.max:
            return t
    return np.int64


class ClimbState:
    """The current committee of a hill climb and its table ``G``
    (see :mod:`voting._kernels.civs_prop`).

    Parameters
    ----------
    W : (V, C) int64
        Ballot weights, larger = preferred.
    wts : (V,) int64
        Voters per ballot.
    comm : (k,) int64
        The starting committee.
    parallel : bool
        Split the work over all numba threads.

    Notes
    -----
    The weights are stored transposed in the narrowest integer type that holds them,
    and ``G`` in the narrowest that holds ``k``: both passes are bound by memory
    traffic. Memory O(V·C); :meth:`swap` costs O(V·C), :meth:`counts` O(V) per
    neighbour.
    """

    def __init__(
        self, W: NDArray[np.int64], wts: NDArray[np.int64], comm: NDArray[np.int64], parallel: bool
    ) -> None:
        low, high = (int(W.min()), int(W.max())) if W.size else (0, 0)
        self.wt = np.ascontiguousarray(W.T, dtype=narrowest(low, high))
        self.wts = np.ascontiguousarray(wts, dtype=np.int64)
        self.unit = bool((self.wts == 1).all())
        self.k = int(comm.shape[0])
        self.parallel = parallel
        self.g = np.empty(self.wt.shape, dtype=narrowest(0, self.k))
        _k()._member_counts(self.wt, np.ascontiguousarray(comm, dtype=np.int64), self.g)

    def swap(self, old: int, new: int) -> None:
        """Replace member ``old`` by ``new``."""
        _k()._member_swap(self.wt, self.g, old, new)

    def counts(self, xs: NDArray[np.int64], ys: NDArray[np.int64]) -> NDArray[np.int64]:
        """``[p, s, f - 1]``: voters preferring side ``s`` (0 = the current committee,
        1 = it with member ``xs[p]`` replaced by ``ys[p]``) at level ``f``."""
        out: NDArray[np.int64]
        args = (self.wt, self.g, self.wts, self.unit, xs, ys, self.k)
        if self.parallel:
            out = _k()._swap_counts_parallel(*args, num_threads())
        else:
            out = _k()._swap_counts_serial(*args)
        return out


def neighbour_counts(
    W: NDArray[np.int64],
    wts: NDArray[np.int64],
    comm: NDArray[np.int64],
    outs: NDArray[np.int64],
    parallel: bool,
) -> NDArray[np.int64]:
    """Counts of every single-swap contest around committee ``comm``, either criterion.

    Both criteria give the same counts on single swaps (:mod:`voting._kernels.civs_prop`),
    so there is no ``combined`` switch; the tests check the claim against the reference
    under each.

    Parameters
    ----------
    W, wts, parallel
        As for :class:`ClimbState`.
    comm : (k,) int64
        The current committee.
    outs : (m,) int64
        The candidates outside it.

    Returns
    -------
    (k, m, 2, k) int64
        ``[i, j, s, f - 1]``: voters preferring side ``s`` (0 = ``comm``, 1 = the
        committee with ``comm[i]`` replaced by ``outs[j]``) at level ``f``.

    Notes
    -----
    Preconditions (validated by caller): C-contiguous arrays, distinct indices in
    range, ``comm`` and ``outs`` disjoint, ``k >= 1``.
    Runtime complexity: O(V·C·k) for the table, then O(V) per neighbour.
    """
    k, m = comm.shape[0], outs.shape[0]
    state = ClimbState(W, wts, comm, parallel)
    xs = np.repeat(comm, m).astype(np.int64)
    ys = np.tile(outs, k).astype(np.int64)
    return state.counts(xs, ys).reshape(k, m, 2, k)


def pair_counts(
    W: NDArray[np.int64],
    wts: NDArray[np.int64],
    comms: NDArray[np.int64],
    pairs: NDArray[np.int64],
    combined: bool,
    parallel: bool,
) -> NDArray[np.int64]:
    """Counts of the contests ``comms[pairs[p, 0]]`` vs ``comms[pairs[p, 1]]``.

    Parameters
    ----------
    W : (V, C) int64
        Ballot weights, larger = preferred, non-negative.
    wts : (V,) int64
    comms : (M, k) int64
        Committees, one per row.
    pairs : (P, 2) int64
        Row indices into ``comms``.
    combined : bool
    parallel : bool

    Returns
    -------
    (P, 2, k) int64
        ``[p, s, f - 1]``: voters preferring side ``s`` of pair ``p`` at level ``f``.

    Notes
    -----
    Preconditions (validated by caller): C-contiguous arrays, indices in range,
    non-negative weights.
    Runtime complexity: O(V·(M·k² + P)) for ``best`` with packed keys, O(V·(M·k² +
    P·k)) otherwise; extra memory O(T·P·k + M·B·k) for T threads and blocks of B
    ballots.
    """
    top = int(W.max()) if W.size else 0
    bits = max(1, top.bit_length())
    out: NDArray[np.int64]
    if parallel:
        n = num_threads()
        out = _k()._pair_counts_parallel(W, wts, comms, pairs, combined, bits, n)
    else:
        out = _k()._pair_counts_serial(W, wts, comms, pairs, combined, bits)
    return out
