"""Ballot files: :func:`read_ballots`, :func:`iter_ballots` and :func:`write_ballots`.

Formats (``format=`` name, usual extensions, default unranked policy):

========== ======================================== ========================= =========
name       what                                     extensions                unranked
========== ======================================== ========================= =========
``civs``   CIVS / Elekto ballot CSV                 ``.csv``                  ignore
``debian`` Debian devotee tally sheet (``V:`` lines) ``.txt``                 last
``preflib`` PrefLib ``.soc .soi .toc .toi``         ``.soc .soi .toc .toi``   last
``blt``    OpenSTV / OpaVote BLT                    ``.blt``                  last
``abif``   Aggregated Ballot Information Format     ``.abif``                 last
``cef``    Condorcet Election Format                ``.cvotes``               per file
========== ======================================== ========================= =========

Files ending in ``.gz`` are decompressed on the fly.
"""

from __future__ import annotations

import gzip
import importlib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal, TextIO, cast, overload

from voting._progress import check_progress, file_position, file_size, progress_bar
from voting._typing import UnrankedPolicy
from voting.exceptions import BallotFormatError, InvalidParameterError
from voting.formats._base import (
    BallotFormat,
    ErrorPolicy,
    ReadContext,
    ReadReport,
    RejectedBallot,
)
from voting.formats.cvr_read import CVR_PROVIDERS, read_cvr  # US cast vote records
from voting.profile import Profile
from voting.streaming import BallotCounter

__all__ = [
    "CVR_PROVIDERS",
    "FORMATS",
    "BallotFormat",
    "ReadReport",
    "RejectedBallot",
    "get_format",
    "infer_format",
    "iter_ballots",
    "read_ballots",
    "read_cvr",
    "write_ballots",
]

Source = str | os.PathLike[str] | IO[str]

FORMATS: dict[str, str] = {
    "civs": "voting.formats.civs:CIVSFormat",
    "debian": "voting.formats.debian:DebianFormat",
    "preflib": "voting.formats.preflib:PrefLibFormat",
    "blt": "voting.formats.blt:BLTFormat",
    "abif": "voting.formats.abif:ABIFFormat",
    "cef": "voting.formats.cef:CEFFormat",
}
"""Registered formats: name -> ``"module:Class"`` (imported on first use)."""

_SNIFF_CHARS = 65536
DEFAULT_CHUNK_SIZE = 1_000_000


def get_format(name: str) -> BallotFormat:
    """The format object registered under ``name``."""
    try:
        target = FORMATS[name]
    except KeyError:
        raise InvalidParameterError(
            f"unknown ballot format {name!r}; known formats are {sorted(FORMATS)}."
        ) from None
    module, cls = target.split(":")
    fmt: BallotFormat = getattr(importlib.import_module(module), cls)()
    return fmt


def _source_name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


@contextmanager
def _open_text(source: Source, mode: Literal["r", "w"]) -> Iterator[TextIO]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if mode == "r" and not path.exists():
            raise FileNotFoundError(f"no such ballot file: {os.fspath(path)!r}")
        if path.suffix == ".gz":
            with gzip.open(path, mode + "t", encoding="utf-8", newline="") as gz:
                yield cast(TextIO, gz)
        else:
            with open(
                path, mode, encoding="utf-8-sig" if mode == "r" else "utf-8", newline=""
            ) as f:
                yield f
    else:
        yield source  # type: ignore[misc]


def _suffix(name: str) -> str:
    parts = Path(name).suffixes
    if parts and parts[-1] == ".gz":
        parts = parts[:-1]
    return parts[-1].lower() if parts else ""


def infer_format(source: Source, head: str | None = None) -> str:
    """Guess the format of ``source`` from its extension and first lines.

    Raises
    ------
    BallotFormatError
        When no format, or more than one, fits; the message lists the candidates
        and asks for ``format=``.
    """
    name = _source_name(source)
    ext = _suffix(name)
    if head is None:
        with _open_text(source, "r") as f:
            head = f.read(_SNIFF_CHARS)
    by_ext = [n for n in FORMATS if ext and ext in get_format(n).extensions]
    for n in by_ext:
        if get_format(n).sniff(head):
            return n
    sniffed = [n for n in FORMATS if get_format(n).sniff(head)]
    if len(sniffed) == 1:
        return sniffed[0]
    if len(by_ext) == 1 and not sniffed:
        return by_ext[0]
    found = f"formats {sniffed} all fit" if sniffed else "no format fits"
    raise BallotFormatError(
        f"cannot infer the ballot format ({found}, extension {ext or 'none'!r}); "
        f"pass format= one of {sorted(FORMATS)}",
        source=name,
    )


def _chunks(
    source: Source,
    fmt_name: str | None,
    ctx: ReadContext,
    chunk_size: int,
    options: dict[str, object],
    progress: bool = False,
) -> Iterator[Profile]:
    check_progress(progress, "reading ballots")
    if chunk_size < 1:
        raise InvalidParameterError(f"chunk_size={chunk_size}; it must be >= 1.")
    with _open_text(source, "r") as f:
        if fmt_name is None:
            if f.seekable():
                pos = f.tell()
                head = f.read(_SNIFF_CHARS)
                f.seek(pos)
                fmt_name = infer_format(source, head)
                stream: TextIO = f
            else:
                head = f.read(_SNIFF_CHARS)
                fmt_name = infer_format(source, head)
                stream = cast(TextIO, _Prepend(head, f))
        else:
            stream = f
        fmt = get_format(fmt_name)
        ctx.format_name = fmt_name
        ctx.orientation = fmt.orientation
        ctx.orientation_note = "fixed by the format"
        if not progress:
            yield from fmt.read(stream, ctx, chunk_size, options)
            return
        name = Path(_source_name(source)).name
        with progress_bar(progress, total=file_size(source), unit="B", desc=name) as bar:
            for chunk in fmt.read(stream, ctx, chunk_size, options):
                bar.move_to(file_position(f))
                yield chunk


class _Prepend:
    """A text stream that replays ``head`` and then continues with ``rest``."""

    def __init__(self, head: str, rest: TextIO) -> None:
        self._buf = io.StringIO(head)
        self._rest = rest
        self.name = getattr(rest, "name", "<stream>")

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        got = self._buf.read(size if size is not None else -1)
        if size is None or size < 0:
            return got + self._rest.read()
        if len(got) < size:
            got += self._rest.read(size - len(got))
        return got

    def readline(self, size: int | None = -1) -> str:
        line = self._buf.readline()
        if line.endswith("\n") or self._buf.tell() < len(self._buf.getvalue()):
            return line
        return line + self._rest.readline()

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def iter_ballots(
    source: Source,
    format: str | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    unranked: UnrankedPolicy | None = None,
    errors: ErrorPolicy = "raise",
    progress: bool = False,
    **options: object,
) -> Iterator[Profile]:
    """Read ballots chunk by chunk, in bounded memory.

    Yields profiles of at most ``chunk_size`` ballots, all over the same candidates
    and unranked policy; ``sum(chunks)`` equals :func:`read_ballots` of the same file
    (before compression). With ``errors="collect"`` bad lines are skipped silently
    here: use :func:`read_ballots` to get the report.

    Parameters are those of :func:`read_ballots`. Feed the chunks to
    :func:`voting.pairwise` (``pairwise(iter_ballots(path))``) or to
    :func:`voting.count_ballots` to count a file larger than memory.
    """
    name = _source_name(source)
    ctx = ReadContext(source=name, errors=errors, unranked=unranked)
    yield from _chunks(source, format, ctx, chunk_size, dict(options), progress)


@overload
def read_ballots(
    source: Source,
    format: str | None = ...,
    *,
    unranked: UnrankedPolicy | None = ...,
    errors: Literal["raise"] = ...,
    compress: bool = ...,
    chunk_size: int = ...,
    progress: bool = ...,
    **options: object,
) -> Profile: ...


@overload
def read_ballots(
    source: Source,
    format: str | None = ...,
    *,
    unranked: UnrankedPolicy | None = ...,
    errors: Literal["collect"],
    compress: bool = ...,
    chunk_size: int = ...,
    progress: bool = ...,
    **options: object,
) -> tuple[Profile, ReadReport]: ...


def read_ballots(
    source: Source,
    format: str | None = None,
    *,
    unranked: UnrankedPolicy | None = None,
    errors: ErrorPolicy = "raise",
    compress: bool = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
    **options: object,
) -> Profile | tuple[Profile, ReadReport]:
    """Read a ballot file into a :class:`~voting.Profile`.

    Parameters
    ----------
    source : path or text stream
        A file name (``.gz`` is decompressed) or an open text stream.
    format : str, optional
        One of :data:`FORMATS` (``"civs"``, ``"debian"``, ``"preflib"``, ``"blt"``,
        ``"abif"``, ``"cef"``). Default: inferred from the extension and content.
    unranked : {"last", "ignore"}, optional
        Override the format's default unranked policy.
    errors : {"raise", "collect"}, default "raise"
        ``"raise"``: the first bad ballot line raises :class:`BallotFormatError`
        with file, line and reason. ``"collect"``: bad lines are skipped and
        reported; the function then returns ``(profile, report)``.
    compress : bool, default True
        Merge identical ballots (:meth:`Profile.compress`), chunk by chunk with a
        :class:`voting.BallotCounter`: memory grows with the distinct ballots, not
        with the voters.
    chunk_size : int
        Ballots parsed per batch.
    progress : bool, default False
        Show a progress bar (bytes of the file) on standard error when it is a
        terminal; needs the ``progress`` extra (tqdm).
    **options
        Format options, e.g. ``inverted=True`` for CIVS proportional-mode exports.

    Returns
    -------
    Profile, or (Profile, ReadReport) when ``errors="collect"``
        The report accounts for every ballot read:
        ``report.ballots_read == report.ballots_counted + report.ballots_rejected``.

    Raises
    ------
    BallotFormatError
        A malformed file (file, line and what was expected), or a format that
        cannot be inferred.
    FileNotFoundError
        No such file.

    Examples
    --------
    >>> import io
    >>> p = read_ballots(io.StringIO("A,B,C\\n1,2,3\\n2,1,No opinion\\n"), format="civs")
    >>> p.candidates, p.unranked, p.num_voters
    (('A', 'B', 'C'), 'ignore', 2)
    """
    name = _source_name(source)
    ctx = ReadContext(source=name, errors=errors, unranked=unranked)
    chunks = _chunks(source, format, ctx, chunk_size, dict(options), progress)
    if compress:
        counter = BallotCounter()
        for part in chunks:
            counter.update(part)
        if counter.candidates is None:
            raise BallotFormatError("the file holds no ballots and no candidate list", source=name)
        profile = counter.to_profile()
    else:
        parts = list(chunks)
        if not parts:
            raise BallotFormatError("the file holds no ballots and no candidate list", source=name)
        profile = parts[0] if len(parts) == 1 else _concat(parts)
    fmt_name = ctx.format_name
    if errors == "collect":
        return profile, ctx.report(fmt_name, profile.num_voters)
    return profile


def _concat(parts: list[Profile]) -> Profile:
    import numpy as np

    first = parts[0]
    ranks = np.concatenate([p.ranks for p in parts])
    weights = np.concatenate([p.weights for p in parts])
    ranks.setflags(write=False)
    weights.setflags(write=False)
    return Profile(ranks, weights, first.candidates, first.unranked)


def write_ballots(
    profile: Profile,
    destination: Source,
    format: str | None = None,
    *,
    unranked_as_last_tier: bool = False,
    **options: object,
) -> None:
    """Write ``profile`` to a file or text stream in ``format``, keeping its count.

    ``format`` defaults to the one the destination's extension names. Reading the
    file back (with the format's defaults) gives a profile
    :meth:`~voting.Profile.equivalent` to ``profile``: every method counts it the
    same. Where the format cannot express the profile, nothing is written and
    :class:`voting.UnsupportedProfileError` says what is missing and how to proceed:
    ties in a strict-only format, say, or an unranked policy the format does not
    read with (a CIVS CSV is read with ``unranked="ignore"``; BLT, Debian, PrefLib
    and ABIF with ``"last"``; CEF records the policy). Ballots that leave exactly
    one candidate unranked under ``"last"`` are written with that candidate last,
    which counts the same.

    Parameters
    ----------
    profile : Profile
    destination : path or text stream
    format : str, optional
        One of :data:`FORMATS`; default: from the destination's extension.
    unranked_as_last_tier : bool, default False
        For ``unranked="last"`` profiles: write each ballot's unranked candidates as
        a tied last tier (:meth:`~voting.Profile.materialise_unranked`), so that a
        format read with ``"ignore"`` (CIVS CSV) keeps every pairwise count. Methods
        that transfer votes (IRV, STV) then see a tied last preference where the
        ballot stopped: ask for it only when that is what the ballots meant (Debian's
        rules say so).
    **options
        Format options (``seats=``, ``title=``, ``orientation=`` ...).

    Raises
    ------
    UnsupportedProfileError
        The format cannot express the profile without changing its count.
    InvalidParameterError
        An unknown format or option.

    Examples
    --------
    >>> import io
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["A", "B"], ["B"]], candidates=["A", "B", "C"])
    >>> write_ballots(p, io.StringIO(), "civs")
    Traceback (most recent call last):
    ...
    voting.exceptions.UnsupportedProfileError: cannot write these ballots as civs ...
    >>> out = io.StringIO()
    >>> write_ballots(p, out, "civs", unranked_as_last_tier=True)
    >>> print(out.getvalue())
    A,B,C
    1,2,3
    2,1,2
    <BLANKLINE>
    """
    from voting.formats._preserve import prepare_for_writing

    if format is None:
        ext = _suffix(_source_name(destination))
        matches = [n for n in FORMATS if ext and ext in get_format(n).extensions]
        if len(matches) != 1:
            raise InvalidParameterError(
                f"cannot tell the format from extension {ext or 'none'!r}; pass format= one "
                f"of {sorted(FORMATS)}."
            )
        format = matches[0]
    fmt = get_format(format)
    opts = dict(options)
    written = prepare_for_writing(
        profile,
        format,
        fmt.read_back_unranked(opts),
        unranked_as_last_tier=unranked_as_last_tier,
    )
    with _open_text(destination, "w") as f:
        fmt.write(written, f, opts)
