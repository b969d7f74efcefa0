"""Atomic file output: a refused or failed write never leaves a truncated file behind.

:func:`atomic_text_output` is the one way the library writes a ballot file
(:func:`voting.write_ballots`, and through it every format's writer and ``voting
convert``): the text goes to a temporary file in the destination's directory, which
replaces the destination (``os.replace``, atomic on POSIX and Windows) only once the
writer has returned and the data is flushed to disk. If the writer raises (a name the
format cannot express, a disk full, Ctrl-C), the temporary file is removed and an
existing destination is left exactly as it was.

:func:`replacing_path` is the same guarantee for a check that needs the finished file:
``voting convert`` writes into the temporary path, reads it back and compares, and the
destination is replaced only when the comparison holds.
"""

from __future__ import annotations

import gzip
import io
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, TextIO, cast

__all__ = ["atomic_text_output", "replacing_path"]


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new, empty file next to ``target`` (created with the default permissions the
    process's umask gives, like ``open(target, "w")`` would)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {os.fspath(target)!r}")


@contextmanager
def atomic_text_output(destination: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces ``destination`` only on success.

    ``.gz`` destinations are compressed (with a fixed timestamp, so equal content gives
    equal files). Line breaks are written as given (``\\n``). An existing destination
    keeps its permission bits; a symbolic link is followed (its target is replaced).
    A destination that exists but is not a regular file (``/dev/stdout``, a named
    pipe) is written directly, as there is nothing to replace.

    Raises
    ------
    OSError
        The directory cannot hold a new file (permissions, missing directory).
    """
    path = Path(destination)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(target, "w", encoding="utf-8", newline="") as direct:
            yield direct
        return
    fd, tmp = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as raw:
            binary: BinaryIO = raw
            gz: gzip.GzipFile | None = None
            if target.suffix == ".gz":
                gz = gzip.GzipFile(filename=target.name[:-3], mode="wb", fileobj=raw, mtime=0)
                binary = cast(BinaryIO, gz)
            text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            try:
                yield text
                text.flush()
            finally:
                text.detach()
            if gz is not None:
                gz.close()
            raw.flush()
            os.fsync(raw.fileno())
        if info is not None:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextmanager
def replacing_path(destination: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path next to ``destination`` that replaces it when the block succeeds.

    The temporary name ends with the destination's own name (so ``.gz`` and other
    suffixes carry over); when the block raises, the temporary file is removed and an
    existing destination is left exactly as it was. An existing destination keeps its
    permission bits; a symbolic link is followed.
    """
    path = Path(destination)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    tmp = target.with_name(f".{secrets.token_hex(6)}.tmp.{target.name}")
    try:
        yield tmp
        if info is not None:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
