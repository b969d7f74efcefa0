"""Which engine runs a counting step: plain NumPy for small inputs, numba kernels for large.

Every numba kernel (:mod:`voting._kernels`) has a fixed price before its first call in
a process: importing numba and LLVM and loading the compiled kernel from numba's
cache, about 1 s on the benchmark machine, or, when the cache is cold (the first run
after an install, a new numba or a new CPU), compiling it: 5 to 20 s per family of
kernels. Each step therefore also has a vectorised NumPy path
(:mod:`voting._numpy_paths`) with no fixed price and a higher cost per unit of work,
and this module picks one of the two for each call.

Cost model
----------
A step measures its input as *work* in its own unit (ballot-candidate pairs for the
pairwise count, ballot cells for the tallies, ...; see :data:`STEPS`) and has a
measured NumPy cost per unit (``ns_per_unit``, the median over the sizes measured by
``benchmarks/bench_engines.py``, where both paths are timed side by side). The NumPy
path runs while its predicted time, ``work × ns_per_unit``, is at most
:data:`BREAK_EVEN_S`; above it, the numba kernel. ``BREAK_EVEN_S`` (0.5 s) is about
half the fixed price of a numba start with a warm cache (importing numba, then
loading a kernel: about 1 s on the benchmark machine), so a step never costs more on
the NumPy path than that price, and an election of a few thousand ballots is counted
without compiling anything, while a large input, where the kernels run 5 to 100
times faster, pays for compiling them once and loading them in every later run. On a cold cache the
threshold stays where it is: compiling then costs seconds once, but a threshold that
moved with the cache would leave mid-sized counts slow on every run.

The decision depends on the input alone, never on what ran before in the process,
so the same input always takes the same path. Both paths give identical results
(integers throughout; hypothesis tests in ``tests/test_engines.py`` compare them on
profiles with ties, truncation and weights), so the choice changes only speed.

Environment
-----------
``VOTING_ENGINE``
    ``auto`` (default): the cost model; ``numpy``: always the NumPy paths (the
    safety net should a numba release break a kernel: numba is then never
    imported for the steps below); ``numba``: always the kernels.
``VOTING_PARALLEL_MIN_CELLS``
    :data:`PARALLEL_MIN_CELLS`: the ballot-candidate cells from which a numba count
    with a parallel kernel runs it rather than the serial one.

Steps without a NumPy path (Kemeny, Schulze STV, CIVS proportional's exact search,
tie sensitivity, ...) import their kernels on first use (:func:`kernels`), so that
``import voting`` never imports numba.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal, TextIO

__all__ = [
    "BREAK_EVEN_S",
    "PARALLEL_MIN_CELLS",
    "STEPS",
    "Engine",
    "Step",
    "compile_notice",
    "engine_for",
    "forced_engine",
    "kernels",
    "num_threads",
    "use_numba",
]

Engine = Literal["numpy", "numba"]
EngineChoice = Literal["auto", "numpy", "numba"]
ENGINE_CHOICES: tuple[EngineChoice, ...] = ("auto", "numpy", "numba")

BREAK_EVEN_S: float = 0.5
"""Predicted NumPy seconds above which a step runs its numba kernel instead."""

PARALLEL_MIN_CELLS: int = int(os.environ.get("VOTING_PARALLEL_MIN_CELLS", "2000000"))
"""Ballot-candidate cells below which a numba count runs its serial kernel rather than
the parallel one: under it, starting the thread pool costs more than it saves."""

COMPILE_NOTICE = "voting: compiling kernels, first run only (later runs load them from the cache)"
"""What :func:`compile_notice` prints, once a process, when numba starts compiling."""


@dataclass(frozen=True, slots=True)
class Step:
    """One counting step's cost model: its unit of work and the NumPy cost per unit."""

    name: str
    unit: str
    ns_per_unit: float

    @property
    def numpy_max_work(self) -> float:
        """The most work the NumPy path takes on (``BREAK_EVEN_S / ns_per_unit``)."""
        return BREAK_EVEN_S * 1e9 / self.ns_per_unit


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("ranks", "ballot cells (V·C)", 20.0),
        Step("rows", "ballot cells (V·C)", 600.0),
        Step("parse", "bytes of ballot text", 800.0),
        Step("pairwise", "ballot-candidate pairs (V·C²)", 3.0),
        Step("strongest_paths", "candidate triples (C³)", 3.0),
        Step("tallies", "ballot cells (V·C)", 60.0),
        Step("orders", "ballot cells (U·C)", 90.0),
        Step("meek", "ballot cells, a whole count (U·C)", 1800.0),
        Step("gregory", "ballot cells, a whole count (U·C)", 400.0),
        Step("civs_climb", "ballot cells of the climb table (V·C)", 8000.0),
        Step("civs_contests", "ballot-contest levels (V·P·k)", 40.0),
        Step("civs_tallies", "contest levels (P·k)", 140.0),
        Step("spread", "ballot cells (V·C)", 330.0),
        Step("blocs", "ballot cells (V·C)", 260.0),
    )
}
"""The steps with a NumPy path; ``ns_per_unit`` from ``benchmarks/bench_engines.py``
(``benchmarks/results/engines.txt``: the largest size of each step, rounded)."""


def _choice_from_env() -> EngineChoice:
    value = os.environ.get("VOTING_ENGINE", "auto").strip().lower() or "auto"
    for choice in ENGINE_CHOICES:
        if value == choice:
            return choice
    raise ValueError(f"VOTING_ENGINE={value!r}; use 'auto' (the cost model), 'numpy' or 'numba'.")


_forced: EngineChoice = _choice_from_env()


def engine_for(step: str, work: float, *, prefer_numba: bool = False) -> Engine:
    """The engine that runs ``work`` units of ``step`` (see the cost model above).

    ``VOTING_ENGINE`` (or :func:`forced_engine`) decides first; then
    ``prefer_numba`` (a caller that asked for a kernel explicitly, such as
    ``pairwise(parallel=True)``); then the cost model.
    """
    if _forced != "auto":
        return _forced
    if prefer_numba:
        return "numba"
    return "numpy" if work <= STEPS[step].numpy_max_work else "numba"


def use_numba(step: str, work: float, *, prefer_numba: bool = False) -> bool:
    """True when ``work`` units of ``step`` go to the numba kernel."""
    return engine_for(step, work, prefer_numba=prefer_numba) == "numba"


@contextmanager
def forced_engine(choice: EngineChoice) -> Iterator[None]:
    """Run every step on one engine (``"numpy"``, ``"numba"``) or by the cost model.

    For tests and benchmarks; not thread-safe (it sets a module-level switch).
    """
    global _forced
    if choice not in ENGINE_CHOICES:
        raise ValueError(f"engine {choice!r}; use one of {ENGINE_CHOICES}.")
    before = _forced
    _forced = choice
    try:
        yield
    finally:
        _forced = before


# ------------------------------------------------------------------- numba, lazily
_notice_stream: TextIO | None = None
_notice_said = False
_listener_installed = False
_compile_cpu = 0.0  # CPU seconds spent compiling, since the listener was installed
_compile_depth = 0  # nested numba:compile events (a kernel compiles what it calls)
_compile_started = 0.0


def kernels(name: str) -> ModuleType:
    """The kernel module ``voting._kernels.<name>``, imported (with numba) on first use."""
    module = importlib.import_module(f"voting._kernels.{name}")
    if not _listener_installed:
        _install_listener()
    return module


def compile_cpu_seconds() -> float:
    """CPU seconds this process has spent compiling numba kernels so far.

    Counted from the first kernel loaded through :func:`kernels` (or the first call
    of this function once numba is imported); loading a kernel from numba's cache is
    not compiling and adds nothing. :mod:`voting.testing` subtracts it from a check's
    CPU budget, so that a cold cache does not shorten the search.
    """
    if not _listener_installed and "numba" in sys.modules:
        _install_listener()
    return _compile_cpu + (time.process_time() - _compile_started if _compile_depth else 0.0)


@contextmanager
def compile_notice(stream: TextIO | None) -> Iterator[None]:
    """Within the block, print :data:`COMPILE_NOTICE` on ``stream`` once, when numba
    first compiles a kernel (``None``: say nothing).

    The command line uses it: a cold numba cache makes the first count of a large
    input pause for seconds, and the notice says why. Loading kernels from numba's
    cache is not compiling and prints nothing.
    """
    global _notice_stream
    before = _notice_stream
    _notice_stream = stream
    if stream is not None and "numba" in sys.modules and not _listener_installed:
        _install_listener()
    try:
        yield
    finally:
        _notice_stream = before


def _say_compiling() -> None:
    global _notice_said
    if _notice_said or _notice_stream is None:
        return
    _notice_said = True
    print(COMPILE_NOTICE, file=_notice_stream, flush=True)


def _install_listener() -> None:
    """Listen to numba's ``numba:compile`` event (a cache hit does not fire it): the
    compile notice, and the CPU time compiling takes (:func:`compile_cpu_seconds`)."""
    global _listener_installed
    from numba.core import event

    class _Notice(event.Listener):  # type: ignore[misc]  # numba ships no types
        def on_start(self, ev: Any) -> None:
            global _compile_depth, _compile_started
            if _compile_depth == 0:
                _compile_started = time.process_time()
            _compile_depth += 1
            _say_compiling()

        def on_end(self, ev: Any) -> None:
            global _compile_depth, _compile_cpu
            _compile_depth = max(0, _compile_depth - 1)
            if _compile_depth == 0:
                _compile_cpu += time.process_time() - _compile_started

    event.register("numba:compile", _Notice())
    _listener_installed = True


def num_threads() -> int:
    """numba's thread count (``NUMBA_NUM_THREADS``, else the CPUs), without importing numba."""
    numba = sys.modules.get("numba")
    if numba is not None:
        return int(numba.get_num_threads())
    value = os.environ.get("NUMBA_NUM_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, os.cpu_count() or 1)
