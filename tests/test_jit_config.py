"""Every numba kernel takes its JIT options from ``voting._kernels._config``.

The walk imports each module of ``voting._kernels``, collects every numba dispatcher
defined there (``@njit`` functions, including helpers), and checks that its
``fastmath`` is ``_config.FASTMATH`` and that it caches exactly when
``_config.CACHE`` says so (stumpy's ``fastmath.py --check``, as a test).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import numba
import pytest
from numba.core.dispatcher import Dispatcher

import voting._kernels
from voting._kernels import _config

pytestmark = pytest.mark.skipif(
    numba.config.DISABLE_JIT, reason="NUMBA_DISABLE_JIT=1 leaves no dispatchers to inspect"
)


def _kernel_modules() -> Iterator[ModuleType]:
    for info in pkgutil.iter_modules(voting._kernels.__path__):
        yield importlib.import_module(f"{voting._kernels.__name__}.{info.name}")


def _dispatchers(module: ModuleType) -> Iterator[tuple[str, Dispatcher]]:
    for name, obj in sorted(vars(module).items()):
        if isinstance(obj, _config._Serialised):  # every parallel kernel
            obj = obj.__wrapped__
        if isinstance(obj, Dispatcher) and obj.py_func.__module__ == module.__name__:
            yield name, obj


def _violations(name: str, disp: Dispatcher) -> list[str]:
    """What is wrong with one dispatcher's options (empty when it follows _config)."""
    found = []
    fastmath = disp.targetoptions.get("fastmath", False)
    if fastmath != _config.FASTMATH:
        found.append(f"{name}: fastmath={fastmath!r}, _config.FASTMATH={_config.FASTMATH!r}")
    caches = type(disp._cache).__name__ != "NullCache"
    if caches != _config.CACHE:
        found.append(f"{name}: cache={caches}, _config.CACHE={_config.CACHE}")
    return found


ALL = [
    pytest.param(disp, id=f"{mod.__name__.rsplit('.', 1)[-1]}.{name}")
    for mod in _kernel_modules()
    for name, disp in _dispatchers(mod)
]


def test_walk_finds_the_kernels() -> None:
    names = {p.id for p in ALL}
    assert {"pairwise._pairwise_counts_serial", "pairwise._pairwise_counts_parallel"} <= names
    assert len(ALL) >= 10


@pytest.mark.parametrize("disp", ALL)
def test_kernel_takes_options_from_config(disp: Dispatcher) -> None:
    assert _violations(disp.py_func.__qualname__, disp) == []


def test_fastmath_is_off() -> None:
    # integer counting gains nothing from fast-math, and STV transfers must not
    # be re-associated (DESIGN.md)
    assert _config.FASTMATH is False


def test_checker_catches_a_stray_option() -> None:
    def kernel(x):  # type: ignore[no-untyped-def]  # a numba kernel: typed by numba when compiled
        return x

    stray = numba.njit(fastmath=not _config.FASTMATH, cache=not _config.CACHE)(kernel)
    problems = _violations("kernel", stray)
    assert len(problems) == 2
    assert "fastmath" in problems[0] and "cache" in problems[1]


def test_every_parallel_kernel_is_serialised() -> None:
    # a parallel kernel called bare would abort the process under the workqueue layer
    # when two threads launch at once (tests/test_threads.py runs that scenario)
    for mod in _kernel_modules():
        for name, obj in vars(mod).items():
            if isinstance(obj, Dispatcher):  # a bare one must not be parallel
                assert not obj.targetoptions.get("parallel"), f"{mod.__name__}.{name}"
