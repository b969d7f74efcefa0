"""Optional progress bars for long reads and counts (the ``progress`` extra: tqdm).

Nothing here imports tqdm until a bar is actually shown, so ``import voting`` stays
light and tqdm stays optional. A bar is shown only when the caller asks for one
(``progress=True``) **and** standard error is a terminal: in a pipe, a log file or
CI the same call is silent (unless :func:`always_show` says otherwise: the command
line's ``--progress``). Without tqdm installed, ``progress=True`` warns once and
the work goes on without a bar.

A count that runs in stages opens one :func:`task` bar; code deeper down advances
it with :func:`tick` (an STV count ticks once a round) without being handed the bar,
and a :func:`tick` with no task open costs one context-variable lookup.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from voting.exceptions import InvalidParameterError

__all__ = [
    "Bar",
    "always_show",
    "check_progress",
    "file_position",
    "file_size",
    "progress_bar",
    "task",
    "tick",
]

_warned = False
_always: ContextVar[bool] = ContextVar("voting_progress_always", default=False)
_task: ContextVar[Bar | None] = ContextVar("voting_progress_task", default=None)


class Bar:
    """The small interface the library uses; this base class shows nothing."""

    def advance(self, n: int) -> None:
        """Add ``n`` units done."""

    def move_to(self, position: int) -> None:
        """Set the units done to ``position`` (for byte offsets in a file)."""

    def describe(self, text: str) -> None:
        """Replace the label in front of the bar (the stage a count is in)."""


class _TqdmBar(Bar):
    def __init__(self, bar: Any) -> None:
        self._bar = bar

    def advance(self, n: int) -> None:
        self._bar.update(n)

    def move_to(self, position: int) -> None:
        delta = position - int(self._bar.n)
        if delta > 0:
            self._bar.update(delta)

    def describe(self, text: str) -> None:
        self._bar.set_description_str(text)


def check_progress(progress: object, function: str) -> bool:
    """Validate a ``progress=`` argument (a bool)."""
    if not isinstance(progress, bool):
        raise InvalidParameterError(
            f"{function}: progress={progress!r}; pass True (show a bar when standard error "
            "is a terminal) or False."
        )
    return progress


def file_size(source: object) -> int | None:
    """Bytes of a file named by ``source`` (None for a stream or a missing file)."""
    if isinstance(source, str | os.PathLike):
        try:
            return os.path.getsize(source)
        except OSError:
            return None
    return None


def file_position(stream: object) -> int:
    """Bytes read so far from the file under a text ``stream`` (0 when unknown).

    For a gzip file this is the position in the compressed file, to compare with its
    size on disk. It is read from the binary buffer, so it runs at most one buffer
    ahead of the parser.
    """
    buffer = getattr(stream, "buffer", None)
    raw = getattr(buffer, "fileobj", None) or buffer  # GzipFile keeps the file it reads
    tell = getattr(raw, "tell", None)
    if tell is None:
        return 0
    try:
        return int(tell())
    except (OSError, ValueError):  # closed or unseekable
        return 0


def _is_terminal() -> bool:
    stream = sys.stderr
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


@contextmanager
def progress_bar(
    progress: bool, *, total: int | None, unit: str, desc: str, scaled: bool = True
) -> Iterator[Bar]:
    """A bar on standard error, or a silent :class:`Bar` when it cannot or should not show.

    Parameters
    ----------
    progress : bool
        The caller's ``progress=`` argument.
    total : int, optional
        Units expected (file size in bytes, say); None when unknown.
    unit : str
        ``"B"`` (scaled to kB, MB, ...), ``"voters"``, ...
    desc : str
        A short label in front of the bar.
    scaled : bool, default True
        Show large counts scaled (1.2M); False for small whole counts (rounds).
    """
    global _warned
    if not progress or not (_always.get() or _is_terminal()):
        yield Bar()
        return
    try:
        from tqdm import tqdm
    except ImportError:
        if not _warned:
            _warned = True
            warnings.warn(
                "progress=True needs tqdm (pip install 'voting[progress]'); "
                "continuing without a progress bar.",
                stacklevel=4,
            )
        yield Bar()
        return
    bar = tqdm(
        total=total,
        unit=unit,
        unit_scale=scaled,
        unit_divisor=1024 if unit == "B" else 1000,
        desc=desc,
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
    )
    try:
        yield _TqdmBar(bar)
    finally:
        bar.refresh()  # show the final count once, however fast the work was
        bar.close()


@contextmanager
def always_show(on: bool = True) -> Iterator[None]:
    """Within the block, bars asked for show even when standard error is not a terminal.

    The command line's ``--progress`` (its default shows bars on a terminal only).
    """
    token = _always.set(on)
    try:
        yield
    finally:
        _always.reset(token)


@contextmanager
def task(progress: bool, desc: str, unit: str) -> Iterator[Bar]:
    """A bar for one stage of a count (no total), advanced by :func:`tick` from anywhere
    below in the same thread or task; shown under the rules of :func:`progress_bar`."""
    with progress_bar(progress, total=None, unit=unit, desc=desc, scaled=False) as bar:
        token = _task.set(bar)
        try:
            yield bar
        finally:
            _task.reset(token)


def tick(n: int = 1) -> None:
    """Advance the bar of the open :func:`task`, if any, by ``n`` units."""
    bar = _task.get()
    if bar is not None:
        bar.advance(n)
