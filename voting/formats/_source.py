"""Opening ballot sources for reading, safely: encodings, compression, long lines, bad bytes.

- :func:`open_source` opens a path (``.gz`` decompressed) as text: UTF-8 by default,
  with the byte-order mark of UTF-8, UTF-16 or UTF-32 detected, ``\\r\\n`` and lone
  ``\\r`` line ends read as ``\\n``, and lines longer than the limit refused;
- :class:`LineLimitedText` is the text stream every reader gets: lines come out at most
  ``max_line_length`` characters long (a longer one raises
  :class:`~voting.BallotFormatError` with its line number, before it is held in memory);
- :func:`locate_bad_input` finds the line and byte of the first undecodable byte, or
  where a compressed file breaks off, for the error message.
"""

from __future__ import annotations

import codecs
import gzip
import io
import operator
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO, BinaryIO, TextIO, cast

from voting.exceptions import BallotFormatError, InvalidParameterError
from voting.limits import how_to_raise

__all__ = [
    "DECODE_ERRORS",
    "LineLimitedText",
    "Source",
    "check_encoding",
    "damaged_input_error",
    "locate_bad_input",
    "open_source",
    "source_name",
]

Source = str | os.PathLike[str] | IO[str] | IO[bytes]

DEFAULT_ENCODING = "utf-8"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BATCH = 1024  # lines read per batch by the line iterator

DECODE_ERRORS: tuple[type[BaseException], ...] = (
    UnicodeDecodeError,
    EOFError,
    gzip.BadGzipFile,
    zlib.error,
)
"""What reading a damaged source raises before any reader sees the text: bad bytes for
the encoding, a truncated or corrupt compressed file."""


def source_name(source: Source) -> str:
    """The file name of ``source``, or the ``name`` of a stream, or ``"<stream>"``."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def check_encoding(encoding: object) -> str | None:
    """``encoding`` checked to be a codec Python knows (``None``: UTF-8, BOM detected)."""
    if encoding is None:
        return None
    if not isinstance(encoding, str):
        raise InvalidParameterError(
            f"encoding={encoding!r}; expected a codec name such as 'utf-8'."
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidParameterError(
            f"encoding={encoding!r} is not a codec Python knows; use e.g. 'utf-8', "
            "'latin-1' or 'cp1252'."
        ) from None
    return encoding


def _open_binary(path: Path) -> BinaryIO:
    """``path`` opened for buffered binary reading (decompressed when it ends in .gz)."""
    if path.suffix == ".gz":
        return cast(BinaryIO, gzip.open(path, "rb"))
    return open(path, "rb")


def _detect(raw: BinaryIO, encoding: str | None) -> str:
    """The codec to decode ``raw`` with: a byte-order mark decides when ``encoding`` is
    None (UTF-8 otherwise); an explicit UTF-8 still drops a UTF-8 mark."""
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    if encoding is None:
        for bom, name in _BOMS:
            if head.startswith(bom):
                return name
        return DEFAULT_ENCODING
    if codecs.lookup(encoding).name == "utf-8" and head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return encoding


@contextmanager
def open_source(
    source: Source, encoding: str | None, max_line_length: int
) -> Iterator[LineLimitedText]:
    """``source`` as a :class:`LineLimitedText` (see the module docstring).

    A path is opened in binary and decoded with ``encoding`` (default UTF-8, with a
    byte-order mark detected), universal newlines. A text stream is used as it is
    (its own decoding and newline handling apply), wrapped for the line limit.

    Raises
    ------
    FileNotFoundError
        No such file.
    InvalidParameterError
        ``encoding`` given for a text stream that is already decoded.
    """
    name = source_name(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"no such ballot file: {os.fspath(path)!r}")
        with _open_binary(path) as raw:
            text = io.TextIOWrapper(
                raw, encoding=_detect(raw, encoding), errors="strict", newline=None
            )
            try:
                yield LineLimitedText(text, name, max_line_length)
            finally:
                text.detach()
        return
    if isinstance(source, io.RawIOBase | io.BufferedIOBase):
        ours = not hasattr(source, "peek")  # a buffer of ours, for the byte-order mark
        buffered = cast(BinaryIO, io.BufferedReader(source) if ours else source)
        text = io.TextIOWrapper(
            buffered, encoding=_detect(buffered, encoding), errors="strict", newline=None
        )
        try:
            yield LineLimitedText(text, name, max_line_length)
        finally:
            text.detach()  # the caller's stream stays open
            if ours:
                buffered.detach()  # type: ignore[attr-defined]
        return
    if encoding is not None:
        raise InvalidParameterError(
            f"encoding={encoding!r} with a text stream ({name}), which is already decoded; "
            "pass the path or a binary stream instead."
        )
    yield LineLimitedText(cast(TextIO, source), name, max_line_length)


class LineLimitedText:
    """A read-only text stream whose lines are at most ``limit`` characters long.

    Reading methods (iteration, :meth:`readline`, :meth:`read`) raise
    :class:`~voting.BallotFormatError` naming the source and the line as soon as a line
    longer than ``limit`` characters (line break excluded) is met, having held at most
    ``limit + 1`` characters of it (``read(size)`` at most ``size``). Iteration reads
    lines in batches with the underlying stream's C ``readline`` and hands them out
    from a list iterator, so it costs little more than iterating the stream itself.
    :meth:`tell` and :meth:`seek` work between batches (at the start, say), as readers
    that read a file twice need.
    """

    def __init__(self, stream: TextIO, name: str, limit: int) -> None:
        self._stream = stream
        self.name = name
        self._limit = limit
        self._pending: Iterator[str] = iter(())  # the current batch of lines
        self._batch = 0  # its length
        self._base = 0  # lines before it (-1: unknown, after a seek to an unknown place)
        self._run = 0  # characters since the last line break, for read()
        self._marks: dict[object, int] = {}

    # -------------------------------------------------------------- protocol
    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        probe = getattr(self._stream, "seekable", None)
        try:
            return bool(probe()) if probe is not None else False
        except (OSError, ValueError):
            return False

    def _left(self) -> int:
        return operator.length_hint(self._pending)

    def tell(self) -> int:
        if self._left():
            raise OSError("tell() is not available in the middle of a batch of lines")
        pos = self._stream.tell()
        self._marks[pos] = self.lines_read
        return pos

    def seek(self, pos: int, whence: int = 0) -> int:
        for _ in self._pending:  # drained, so that an older iteration sees no stale line
            pass
        self._batch = 0
        self._run = 0
        out = self._stream.seek(pos, whence)
        self._base = self._marks.get(pos, -1) if whence == 0 else -1
        return out

    def close(self) -> None:
        """Does nothing: whoever opened the underlying stream closes it."""

    @property
    def buffer(self) -> object:
        """The binary buffer under the text (for progress bars); None for a text stream."""
        return getattr(self._stream, "buffer", None)

    @property
    def lines_read(self) -> int:
        """Lines handed out so far (-1 after a seek to a position not seen by :meth:`tell`)."""
        if self._base < 0:
            return -1
        return self._base + self._batch - self._left()

    def unread(self, text: str) -> None:
        """Put back ``text``, just read from the start of the stream by :meth:`read`, so
        that it is read again (for format sniffing of a stream that cannot seek)."""
        pieces = text.split("\n")
        lines = [piece + "\n" for piece in pieces[:-1]]
        if pieces[-1]:  # an unfinished line: complete it from the stream
            rest = self._limit - len(pieces[-1])
            tail = self._stream.readline(rest + 1) if rest >= 0 else ""
            if rest < 0 or (len(tail) > rest and not tail.endswith("\n")):
                self._base = 0
                raise self._too_long(len(lines))
            lines.append(pieces[-1] + tail)
        self._run = 0
        self._base = 0
        self._start_batch(lines)

    def _start_batch(self, lines: list[str]) -> None:
        if self._base >= 0:
            self._base += self._batch
        self._pending = iter(lines)
        self._batch = len(lines)

    # ---------------------------------------------------------------- errors
    def _too_long(self, offset: int) -> BallotFormatError:
        """The error for the line ``offset`` lines after the last one handed out."""
        done = self.lines_read
        return BallotFormatError(
            f"a line longer than {self._limit:,} characters (the line-length limit; "
            f"{how_to_raise('max_line_length')}); is this a ballot file?",
            source=self.name,
            line=None if done < 0 else done + offset + 1,
        )

    # --------------------------------------------------------------- reading
    def readline(self, size: int | None = -1) -> str:
        self._run = 0
        line = next(self._pending, None)
        if line is not None:
            return line
        line = self._stream.readline(self._limit + 1)
        if len(line) > self._limit and not line.endswith("\n"):
            raise self._too_long(0)
        if line and self._base >= 0:
            self._base += 1
        return line

    def read(self, size: int | None = -1) -> str:
        head = "".join(self._pending) if self._left() else ""
        if size is None or size < 0:
            return head + self._read_checked(-1)
        if len(head) >= size:  # cannot happen with a sniffing head: keep it whole
            return head
        return head + self._read_checked(size - len(head))

    def _read_checked(self, size: int) -> str:
        """``stream.read(size)``, refusing a line longer than the limit.

        A line longer than ``L`` characters contains a whole aligned window of
        ``L // 2`` characters with no line break; only those windows are measured
        (O(size / L) ``str.find`` calls per block).
        """
        if size < 0:
            parts = []
            while block := self._read_checked(1 << 22):
                parts.append(block)
            return "".join(parts)
        text = self._stream.read(size)
        if not text:
            return text
        limit = self._limit
        first = text.find("\n")
        if first < 0:
            self._run += len(text)
            if self._run > limit:
                raise self._too_long(0)
            return text
        if self._run + first > limit:
            raise self._too_long(0)
        half = max(1, limit // 2)
        for start in range(first, len(text), half):
            if text.find("\n", start, start + half) >= 0:
                continue
            begin = text.rfind("\n", 0, start) + 1
            end = text.find("\n", start + half)
            if end < 0:
                break  # the last, unfinished line: measured below
            if end - begin > limit:
                raise self._too_long(text.count("\n", 0, begin))
        last = text.rfind("\n")
        self._run = len(text) - last - 1
        if self._run > limit:
            raise self._too_long(text.count("\n"))
        if self._base >= 0:
            self._base += text.count("\n")
        return text

    def __iter__(self) -> Iterator[str]:
        return self._lines()

    def _lines(self) -> Iterator[str]:
        limit = self._limit
        source = iter(partial(self._stream.readline, limit + 1), "")
        while True:
            yield from self._pending
            batch = list(islice(source, _BATCH))
            if not batch:
                return
            if max(map(len, batch)) > limit:
                for i, line in enumerate(batch):
                    if len(line) > limit and not line.endswith("\n"):
                        raise self._too_long(i)
            self._start_batch(batch)


def locate_bad_input(source: Source, encoding: str | None) -> tuple[int, str] | None:
    """Where decoding ``source`` first fails: ``(line, what happened there)``, or ``None``
    when it cannot be re-read (a stream) or reads cleanly.

    Re-reads the file from the start in binary (decompressing ``.gz``), decoding it
    incrementally and counting line breaks, until the first error. Called only on the
    error path.
    """
    if not isinstance(source, str | os.PathLike):
        return None
    path = Path(source)
    line = 1
    offset = 0
    compressed = path.suffix == ".gz"
    try:
        raw = _open_binary(path)
    except OSError:
        return None
    with raw:
        buffered = raw  # gzip and buffered files both peek
        try:
            codec = _detect(buffered, encoding)
        except DECODE_ERRORS as exc:
            return 1, f"the file is not valid gzip data ({exc})"
        decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        last_cr = False
        while True:
            pending = len(decoder.getstate()[0])
            try:
                block = buffered.read(1 << 14)
            except DECODE_ERRORS as exc:
                return line, (
                    f"the compressed data breaks off or is corrupt after {offset:,} bytes of "
                    f"text ({exc})"
                )
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                good = exc.object[: exc.start]
                before = codecs.getincrementaldecoder(codec)(errors="replace").decode(good)
                line += _count_breaks(before, last_cr)
                bad = exc.object[exc.start : exc.end]
                where = offset - pending + exc.start
                of = "decompressed text" if compressed else "file"
                return line, f"byte(s) {bad!r} at byte {where:,} of the {of} are not valid {codec}"
            line += _count_breaks(text, last_cr)
            last_cr = text.endswith("\r") if text else last_cr
            offset += len(block)
            if not block:
                return None


def _count_breaks(text: str, after_cr: bool) -> int:
    """Line breaks in ``text`` under universal newlines (``\\r\\n`` counts once, also
    when the ``\\r`` ended the previous piece)."""
    n = text.count("\n") + text.count("\r") - text.count("\r\n")
    if after_cr and text.startswith("\n"):
        n -= 1
    return n


def damaged_input_error(
    source: Source, encoding: str | None, exc: BaseException, f: LineLimitedText | None
) -> BallotFormatError:
    """The error for a source that cannot be decoded or decompressed: the file, the line
    and byte of the first bad byte (or where compressed data breaks off), what to do."""
    name = source_name(source)
    where = locate_bad_input(source, encoding)
    if isinstance(exc, UnicodeDecodeError):
        advice = (
            "pass encoding= the file's encoding (for example encoding='latin-1' or "
            "'cp1252'), or fix the byte"
        )
        what = f"cannot decode the text ({exc.reason})"
    else:
        advice = "the file is truncated or corrupt: fetch it again"
        what = f"cannot decompress the file ({type(exc).__name__}: {exc})"
    if where is not None:
        return BallotFormatError(f"{where[1]}; {advice}", source=name, line=where[0])
    known = f is not None and f.lines_read >= 0
    return BallotFormatError(
        f"{what}; {advice}", source=name, line=f.lines_read + 1 if f is not None and known else None
    )
