"""Searches that depend on their seed alone, not on what the process did before them.

Since version 6.131, hypothesis sometimes (about one draw in twenty) draws a constant
instead of a random value: from a fixed list of its own (bounds, ``0``, ``-1``, ...),
or from the *local constants*, the integers, floats and strings written in the source
of every imported module it classes as local code (neither the standard library nor
an installed third-party package: the user's project, this library when it is
installed in editable mode). That pool grows as modules are imported, so the same
seed drew different examples depending on what the process had imported before: the
numba kernels once the numba engine had run, the modules a previous check happened to
import, the user's own code. The draft method of ``docs/testing-your-method.md``
failed three of its twelve checks in a fresh process and two after any run on the
numba engine, with the same budget and seed.

Every search the kit runs (:func:`voting.testing._search.run_property`) runs inside
:func:`isolated_generation`, under which hypothesis sees no local constants: what it
generates depends only on the seed, the strategy and the results of the method under
test (shrinking follows them). Its fixed constants stay, as they are the same in every
process. The switch is per thread and lasts only for the search, so hypothesis tests
run after it, or meanwhile in other threads, see their local constants as usual.

Hypothesis has no public setting for this: the switch wraps its private collector
(``hypothesis.internal.conjecture.providers._get_local_constants``, read on every
test case) in a function that returns an empty pool while a kit search runs in the
calling thread, and clears the thread's cache of constants on entering and leaving a
search. Versions of hypothesis without local constants need nothing and get nothing.
``tests/test_testing_kit_reproducible.py`` checks the result, not the mechanism, so a
hypothesis release that collects constants elsewhere fails it rather than passing
silently.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

__all__ = ["isolated_generation"]

_providers: ModuleType | None
try:  # hypothesis >= 6.131 collects local constants there; earlier versions do not
    from hypothesis.internal.conjecture import providers as _providers
except ImportError:  # pragma: no cover - hypothesis without the providers module
    _providers = None

_COLLECTOR = "_get_local_constants"
_state = threading.local()
_install_lock = threading.Lock()


def _depth() -> int:
    depth: int = getattr(_state, "depth", 0)
    return depth


def _clear_constants_cache() -> None:
    """Forget the allowed constants cached per draw signature (this thread's cache)."""
    cache = getattr(_providers, "CONSTANTS_CACHE", None)
    if cache is not None:
        cache.cache.clear()


def _install() -> bool:
    """Wrap hypothesis's collector of local constants, once per process.

    Returns False when this hypothesis has no such collector (nothing to isolate).
    """
    original = getattr(_providers, _COLLECTOR, None)
    if original is None:
        return False
    if getattr(original, "_voting_isolated", False):
        return True
    with _install_lock:
        original = getattr(_providers, _COLLECTOR)
        if getattr(original, "_voting_isolated", False):
            return True
        assert _providers is not None
        empty: Any = _providers.Constants()

        def local_constants() -> Any:
            return empty if _depth() else original()

        wrapper: Callable[[], Any] = local_constants
        wrapper._voting_isolated = True  # type: ignore[attr-defined]
        wrapper.__wrapped__ = original  # type: ignore[attr-defined]
        setattr(_providers, _COLLECTOR, wrapper)
    return True


@contextmanager
def isolated_generation() -> Iterator[None]:
    """Run hypothesis in this thread without the local constants of the process.

    Re-entrant; other threads are unaffected.
    """
    if not _install():
        yield
        return
    if _depth() == 0:
        _clear_constants_cache()
    _state.depth = _depth() + 1
    try:
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0:
            _clear_constants_cache()
