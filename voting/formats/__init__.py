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

Files ending in ``.gz`` are decompressed on the fly. Files and binary streams are
decoded as UTF-8 (or as their byte-order mark, or ``encoding=``, says), any line end
ends a line, and every read is bounded by :mod:`voting.limits`: a damaged or hostile
file is refused with a :class:`~voting.BallotFormatError` naming the file and line
(docs: "Limits and hostile input"). Files are written atomically.
"""

from __future__ import annotations

import importlib
import io
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, TextIO, cast, overload

from voting._atomic import atomic_text_output
from voting._progress import check_progress, file_position, file_size, progress_bar
from voting._typing import UnrankedPolicy
from voting.exceptions import (
    BallotFormatError,
    InvalidParameterError,
    InvalidProfileError,
    UnsupportedProfileError,
)
from voting.formats._base import (
    ERROR_POLICIES,
    BallotFormat,
    ErrorPolicy,
    ReadContext,
    ReadReport,
    RejectedBallot,
    RejectedBallotsWarning,
    check_error_policy,
    check_unranked_override,
)
from voting.formats._source import (
    DECODE_ERRORS,
    LineLimitedText,
    Source,
    check_encoding,
    damaged_input_error,
    open_source,
    source_name,
)
from voting.formats.cvr_read import CVR_PROVIDERS, read_cvr  # US cast vote records
from voting.limits import (
    MAX_VOTERS,
    how_to_raise,
)
from voting.limits import (
    max_candidates as _max_candidates,
)
from voting.limits import (
    max_expanded_voters as _max_expanded_voters,
)
from voting.limits import (
    max_line_length as _max_line_length,
)
from voting.profile import Profile
from voting.streaming import BallotCounter

__all__ = [
    "CVR_PROVIDERS",
    "ERROR_POLICIES",
    "FORMATS",
    "BallotFormat",
    "BallotStream",
    "ReadReport",
    "RejectedBallot",
    "RejectedBallotsWarning",
    "get_format",
    "infer_format",
    "iter_ballots",
    "read_ballots",
    "read_cvr",
    "write_ballots",
]

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
    except (KeyError, TypeError):
        raise InvalidParameterError(
            f"unknown ballot format {name!r}; known formats are {sorted(FORMATS)}."
        ) from None
    module, cls = target.split(":")
    fmt: BallotFormat = getattr(importlib.import_module(module), cls)()
    return fmt


def _suffix(name: str) -> str:
    parts = Path(name).suffixes
    if parts and parts[-1] == ".gz":
        parts = parts[:-1]
    return parts[-1].lower() if parts else ""


def formats_for_name(name: str) -> list[str]:
    """The registered formats whose extensions include that of file ``name`` (``.gz``
    looked through), in :data:`FORMATS` order; empty without an extension."""
    ext = _suffix(name)
    return [n for n in FORMATS if ext and ext in get_format(n).extensions]


def infer_format(source: Source, head: str | None = None) -> str:
    """Guess the format of ``source`` from its extension and first lines.

    Raises
    ------
    BallotFormatError
        When no format, or more than one, fits; the message lists the candidates
        and asks for ``format=``.
    """
    name = source_name(source)
    ext = _suffix(name)
    if head is None:
        with open_source(source, None, _max_line_length()) as f:
            try:
                head = _cut_head(f.read(_SNIFF_CHARS))
            except DECODE_ERRORS as exc:
                raise damaged_input_error(source, None, exc, f) from None
    by_ext = formats_for_name(name)
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


def _cut_head(head: str) -> str:
    """The first 64 KB of text, cut after its last complete line when there is one (so
    that sniffers never see half a line)."""
    if len(head) == _SNIFF_CHARS and "\n" in head:
        head = head[: head.rindex("\n") + 1]
    return head


def _chunks(
    source: Source,
    fmt_name: str | None,
    ctx: ReadContext,
    chunk_size: int,
    options: dict[str, object],
    progress: bool,
    encoding: str | None,
    max_line_length: int,
) -> Iterator[Profile]:
    f: LineLimitedText | None = None
    try:
        with open_source(source, encoding, max_line_length) as f:
            if fmt_name is None:
                if f.seekable():
                    pos = f.tell()
                    head = f.read(_SNIFF_CHARS)
                    f.seek(pos)
                else:
                    head = f.read(_SNIFF_CHARS)
                    f.unread(head)
                fmt_name = infer_format(source, _cut_head(head))
            fmt = get_format(fmt_name)
            ctx.format_name = fmt_name
            ctx.orientation = fmt.orientation
            ctx.orientation_note = "fixed by the format"
            stream: TextIO = f  # type: ignore[assignment]  # the text-stream protocol readers use
            if not progress:
                yield from fmt.read(stream, ctx, chunk_size, options)
                return
            name = Path(source_name(source)).name
            with progress_bar(progress, total=file_size(source), unit="B", desc=name) as bar:
                for chunk in fmt.read(stream, ctx, chunk_size, options):
                    bar.move_to(file_position(f))
                    yield chunk
    except DECODE_ERRORS as exc:
        raise damaged_input_error(source, encoding, exc, f) from None
    except InvalidProfileError as exc:  # a chunk the file's weights make impossible
        line = None if f is None or f.lines_read < 0 else f.lines_read
        where = "the ballots read so far" if line is None else f"the ballots up to line {line}"
        raise BallotFormatError(
            f"{str(exc).rstrip('.')} ({where})", source=source_name(source), line=line
        ) from None


class BallotStream(Iterator[Profile]):
    """The profile chunks of one ballot source, and the report of the read.

    What :func:`iter_ballots` returns: iterate it (or pass it to
    :func:`voting.pairwise` or :func:`voting.count_ballots`) for the chunks, then read
    :attr:`report`. Under ``errors="ignore"`` the end of the iteration also issues one
    :class:`RejectedBallotsWarning` when lines were skipped.
    """

    def __init__(self, chunks: Iterator[Profile], ctx: ReadContext) -> None:
        self._chunks = chunks
        self._ctx = ctx
        self._counted = 0
        self._done = False

    def __iter__(self) -> BallotStream:
        return self

    def __next__(self) -> Profile:
        try:
            chunk = next(self._chunks)
        except StopIteration:
            if not self._done:
                self._done = True
                if self._ctx.errors == "ignore" and self._ctx.rejected:
                    warnings.warn(RejectedBallotsWarning(self.report), stacklevel=2)
            raise
        self._counted += chunk.num_voters
        if self._counted > MAX_VOTERS:
            raise BallotFormatError(
                f"the ballots add up to more than {MAX_VOTERS:,} (2**63 - 1) voters, which no "
                "int64 count can hold; check the weights",
                source=self._ctx.source,
            )
        return chunk

    @property
    def done(self) -> bool:
        """Whether every chunk has been read (the report is then complete)."""
        return self._done

    @property
    def report(self) -> ReadReport:
        """What the read did with every ballot so far: counted (voters in the chunks
        yielded) and rejected lines. Complete once :attr:`done`."""
        return self._ctx.report(self._ctx.format_name, self._counted)

    def close(self) -> None:
        """Stop reading and close the source (also done at the end of the iteration)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


def _stream(
    source: Source,
    format: str | None,
    chunk_size: int,
    unranked: object,
    errors: object,
    encoding: object,
    max_candidates: int | None,
    max_line_length: int | None,
    progress: bool,
    options: dict[str, object],
) -> BallotStream:
    """Check every argument (before the source is opened) and start the read."""
    policy = check_error_policy(errors)
    override = check_unranked_override(unranked)
    codec = check_encoding(encoding)
    if format is not None:
        get_format(format)
    check_progress(progress, "reading ballots")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InvalidParameterError(f"chunk_size={chunk_size!r}; it must be an int >= 1.")
    line_limit = _max_line_length(max_line_length)
    name = source_name(source)
    ctx = ReadContext(
        source=name,
        errors=policy,
        unranked=override,
        max_candidates=_max_candidates(max_candidates),
    )
    chunks = _chunks(source, format, ctx, chunk_size, options, progress, codec, line_limit)
    return BallotStream(chunks, ctx)


def iter_ballots(
    source: Source,
    format: str | None = None,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    unranked: UnrankedPolicy | None = None,
    errors: ErrorPolicy = "raise",
    encoding: str | None = None,
    max_candidates: int | None = None,
    max_line_length: int | None = None,
    progress: bool = False,
    **options: object,
) -> BallotStream:
    """Read ballots chunk by chunk, in bounded memory.

    Yields profiles of at most ``chunk_size`` ballots, all over the same candidates
    and unranked policy; ``sum(chunks)`` equals :func:`read_ballots` of the same file
    (before compression).

    Parameters are those of :func:`read_ballots`; they are checked when the function
    is called, and the file is opened when the first chunk is asked for.

    Returns
    -------
    BallotStream
        An iterator of :class:`~voting.Profile` chunks whose ``report`` (a
        :class:`ReadReport`) accounts for every ballot read so far; under
        ``errors="collect"`` and ``"ignore"`` it lists the rejected lines. Feed the
        chunks to :func:`voting.pairwise` (``pairwise(iter_ballots(path))``) or to
        :func:`voting.count_ballots` to count a file larger than memory.

    Examples
    --------
    >>> import io
    >>> stream = iter_ballots(io.StringIO("A,B\\n1,2\\n1,x\\n2,1\\n"), "civs",
    ...                       errors="collect", chunk_size=1)
    >>> [chunk.num_voters for chunk in stream]
    [1, 1]
    >>> stream.report.ballots_read, stream.report.ballots_rejected
    (3, 1)
    """
    return _stream(
        source,
        format,
        chunk_size,
        unranked,
        errors,
        encoding,
        max_candidates,
        max_line_length,
        progress,
        dict(options),
    )


@overload
def read_ballots(
    source: Source,
    format: str | None = ...,
    *,
    unranked: UnrankedPolicy | None = ...,
    errors: Literal["raise", "ignore"] = ...,
    encoding: str | None = ...,
    max_candidates: int | None = ...,
    max_line_length: int | None = ...,
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
    encoding: str | None = ...,
    max_candidates: int | None = ...,
    max_line_length: int | None = ...,
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
    encoding: str | None = None,
    max_candidates: int | None = None,
    max_line_length: int | None = None,
    compress: bool = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
    **options: object,
) -> Profile | tuple[Profile, ReadReport]:
    """Read a ballot file into a :class:`~voting.Profile`.

    Parameters
    ----------
    source : path or stream
        A file name (``.gz`` is decompressed), an open text stream, or an open binary
        stream (decoded as a file would be).
    format : str, optional
        One of :data:`FORMATS` (``"civs"``, ``"debian"``, ``"preflib"``, ``"blt"``,
        ``"abif"``, ``"cef"``). Default: inferred from the extension and content.
    unranked : {"last", "ignore"}, optional
        Override the format's default unranked policy.
    errors : {"raise", "collect", "ignore"}, default "raise"
        ``"raise"``: the first bad ballot line raises :class:`BallotFormatError`
        with file, line and reason. ``"collect"``: bad lines are skipped and
        reported; the function then returns ``(profile, report)``. ``"ignore"``: bad
        lines are skipped and the profile alone is returned; one
        :class:`RejectedBallotsWarning` (whose ``report`` attribute lists every
        skipped line) says how many ballots were not counted. Any other value raises
        :class:`~voting.InvalidParameterError`.
    encoding : str, optional
        The text encoding of a file or binary stream. Default: UTF-8, or UTF-16 /
        UTF-32 / UTF-8 when the file starts with that byte-order mark. A byte the
        encoding cannot decode raises :class:`BallotFormatError` naming the line and
        byte offset. Not allowed with a text stream (it is already decoded).
    max_candidates : int, optional
        The most candidates the file may declare (default
        :data:`voting.limits.DEFAULT_MAX_CANDIDATES`, or ``$VOTING_MAX_CANDIDATES``);
        checked before anything of that size is allocated.
    max_line_length : int, optional
        The longest line, in characters (default
        :data:`voting.limits.DEFAULT_MAX_LINE_LENGTH`, or ``$VOTING_MAX_LINE_LENGTH``);
        a longer line raises before it is held in memory.
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
        A malformed file (file, line and what was expected), a file over a limit, a
        byte the encoding cannot decode, a truncated compressed file, or a format
        that cannot be inferred.
    InvalidParameterError
        An unknown ``errors``, ``unranked``, ``encoding``, format or format option.
    FileNotFoundError
        No such file.

    Examples
    --------
    >>> import io
    >>> p = read_ballots(io.StringIO("A,B,C\\n1,2,3\\n2,1,No opinion\\n"), format="civs")
    >>> p.candidates, p.unranked, p.num_voters
    (('A', 'B', 'C'), 'ignore', 2)
    """
    stream = _stream(
        source,
        format,
        chunk_size,
        unranked,
        errors,
        encoding,
        max_candidates,
        max_line_length,
        progress,
        dict(options),
    )
    name = source_name(source)
    with warnings.catch_warnings():
        # the warning of errors="ignore" is issued below, from this function
        warnings.simplefilter("ignore", RejectedBallotsWarning)
        if compress:
            counter = BallotCounter()
            for part in stream:
                counter.update(part)
            if counter.candidates is None:
                raise BallotFormatError(
                    "the file holds no ballots and no candidate list", source=name
                )
            profile = counter.to_profile()
        else:
            parts = list(stream)
            if not parts:
                raise BallotFormatError(
                    "the file holds no ballots and no candidate list", source=name
                )
            profile = parts[0] if len(parts) == 1 else _concat(parts)
    report = stream.report
    if errors == "collect":
        return profile, report
    if report.rejected:
        warnings.warn(RejectedBallotsWarning(report), stacklevel=2)
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
    max_expanded_voters: int | None = None,
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

    A file is written atomically: the text goes to a temporary file in the same
    directory, which replaces ``destination`` only when the whole profile has been
    written, so a refused or failed write leaves an existing file untouched.

    Formats without weights (CIVS CSV, Debian tally sheets) write one line per voter,
    never expanding weights in memory; they refuse a profile of more than
    ``max_expanded_voters`` voters (default
    :data:`voting.limits.DEFAULT_MAX_EXPANDED_VOTERS`, or
    ``$VOTING_MAX_EXPANDED_VOTERS``) before writing anything.

    Parameters
    ----------
    profile : Profile
    destination : path or text stream
    format : str, optional
        One of :data:`FORMATS`; default: from the destination's extension.
    max_expanded_voters : int, optional
        For formats without weights, the most voters written (one line each);
        default :data:`voting.limits.DEFAULT_MAX_EXPANDED_VOTERS`.
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
    if not isinstance(profile, Profile):
        raise InvalidParameterError(
            f"write_ballots() needs a voting.Profile, got {type(profile).__name__}."
        )
    from voting.formats._preserve import prepare_for_writing

    if format is None:
        ext = _suffix(source_name(destination))
        matches = [n for n in FORMATS if ext and ext in get_format(n).extensions]
        if len(matches) != 1:
            raise InvalidParameterError(
                f"cannot tell the format from extension {ext or 'none'!r}; pass format= one "
                f"of {sorted(FORMATS)}."
            )
        format = matches[0]
    fmt = get_format(format)
    if not getattr(fmt, "writes_weights", True):
        limit = _max_expanded_voters(max_expanded_voters)
        if profile.num_voters > limit:
            raise UnsupportedProfileError(
                f"the {format!r} format writes one line per voter and this profile has "
                f"{profile.num_voters:,} voters; the limit is {limit:,} "
                f"({how_to_raise('max_expanded_voters')}), or write a format with weights "
                "(preflib, blt, abif, cef)."
            )
    opts = dict(options)
    written = prepare_for_writing(
        profile,
        format,
        fmt.read_back_unranked(opts),
        unranked_as_last_tier=unranked_as_last_tier,
    )
    if isinstance(destination, str | os.PathLike):
        with atomic_text_output(destination) as f:
            fmt.write(written, f, opts)
    else:
        if isinstance(destination, io.RawIOBase | io.BufferedIOBase):
            raise InvalidParameterError(
                "write_ballots() writes text; pass a path or a text stream, not a binary one."
            )
        fmt.write(written, cast(TextIO, destination), opts)
