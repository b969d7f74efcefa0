"""The single source of JIT options for every kernel.

``FASTMATH`` is off: counting is integer arithmetic, where fast-math buys nothing and
re-association could change fractional STV transfers.

``CACHE`` writes compiled kernels to ``__pycache__`` so later processes skip
compilation; set ``VOTING_NUMBA_CACHE=0`` to turn it off (for example on a read-only
install).

:func:`serialised` wraps every ``parallel=True`` kernel so that any number of Python
threads (a threaded Dask scheduler, a web server) may call the library at once, and a
process may fork after a parallel count: see the notes at the end of this module.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import Any

FASTMATH: bool = False
CACHE: bool = os.environ.get("VOTING_NUMBA_CACHE", "1") not in ("0", "false", "False", "")

# ------------------------------------------------------------------- threads
# numba runs every ``parallel=True`` kernel on one process-wide thread pool, the
# "threading layer". Of the three numba ships, only TBB is both thread safe and fork
# safe; GNU OpenMP is thread safe but kills a child forked after a parallel region;
# workqueue (always present) is fork safe but aborts the process when two threads
# launch parallel kernels at once. So: prefer TBB, then workqueue, then OpenMP,
# unless the user chose (NUMBA_THREADING_LAYER or NUMBA_THREADING_LAYER_PRIORITY);
# and on any layer other than TBB and OpenMP, run one parallel kernel at a time.

THREADING_LAYER_PRIORITY: tuple[str, ...] = ("tbb", "workqueue", "omp")
"""The layer order voting asks numba for, unless the user set one."""

THREAD_SAFE_LAYERS: frozenset[str] = frozenset({"tbb", "omp"})
"""Layers that may run parallel kernels from several threads at once."""

_PARALLEL_LOCK = threading.Lock()
_layer_safe: bool | None = None  # None until numba has started its thread pool


def _reset_lock_in_child() -> None:  # pragma: no cover - runs in a forked child
    global _PARALLEL_LOCK
    _PARALLEL_LOCK = threading.Lock()  # a lock held by another thread at fork stays held


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_lock_in_child)


def prefer_safe_threading_layer() -> None:
    """Ask numba for :data:`THREADING_LAYER_PRIORITY`, unless the user chose a layer or
    numba's thread pool already runs (then it is too late, and the lock below copes)."""
    if "NUMBA_THREADING_LAYER" in os.environ or "NUMBA_THREADING_LAYER_PRIORITY" in os.environ:
        return
    import numba
    from numba.np.ufunc import parallel

    if parallel._is_initialized or str(numba.config.THREADING_LAYER).lower() != "default":
        return
    numba.config.THREADING_LAYER_PRIORITY = list(THREADING_LAYER_PRIORITY)


def _thread_safe() -> bool:
    """Whether the running threading layer is thread safe (False before it starts)."""
    global _layer_safe
    if _layer_safe is None:
        import numba

        try:
            layer = numba.threading_layer()
        except ValueError:  # the pool has not started: the first launch holds the lock
            return False
        _layer_safe = layer in THREAD_SAFE_LAYERS
    return _layer_safe


class _Serialised:
    """A parallel kernel that runs alone when the threading layer is not thread safe."""

    def __init__(self, dispatcher: Any) -> None:
        self.__wrapped__ = dispatcher
        functools.update_wrapper(self, dispatcher, updated=())

    def __call__(self, *args: Any) -> Any:
        if _thread_safe():
            return self.__wrapped__(*args)
        with _PARALLEL_LOCK:
            return self.__wrapped__(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__wrapped__, name)


def serialised(dispatcher: Any) -> Any:
    """Decorate a ``parallel=True`` kernel (above its ``@njit``) so that calls from many
    Python threads at once are safe on every threading layer: concurrent on TBB and
    OpenMP, one at a time on workqueue. Also asks numba for the safest layer first."""
    prefer_safe_threading_layer()
    return _Serialised(dispatcher)
