"""Reading cast vote records: :func:`read_cvr` (one file, no contest configuration) and
:func:`read_cvr_sources` (the sources of an RCTab configuration, :mod:`voting.rctab`),
both through one table of readers (:data:`CVR_PROVIDERS`)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple, overload

from voting.exceptions import InvalidParameterError
from voting.formats._base import ErrorPolicy, ReadContext, ReadReport
from voting.formats.cvr import CastVoteRecords, CvrBuilder

__all__ = ["CVR_PROVIDERS", "CvrSource", "read_cvr", "read_cvr_sources"]

CVR_PROVIDERS = ("ess", "dominion", "cdf", "clearBallot", "hart", "genericCsv")
"""Cast vote record formats (RCTab's provider names)."""

_READERS: dict[str, str] = {
    "ess": "voting.formats.cvr_ess:read_ess",
    "dominion": "voting.formats.cvr_dominion:read_dominion",
    "cdf": "voting.formats.cvr_cdf:read_cdf",
    "clearBallot": "voting.formats.cvr_clearballot:read_clear_ballot",
    "hart": "voting.formats.cvr_hart:read_hart",
    "genericCsv": "voting.formats.cvr_generic:read_generic_csv",
}
"""Provider -> ``"module:function"`` of its reader (imported on first use)."""


class CvrSource(NamedTuple):
    """One file of cast vote records to read into a shared builder.

    ``path`` is the file (or folder) read, ``label`` the source name its records carry
    (:meth:`CvrBuilder.start_source`), ``shown`` the name messages and the report use.
    """

    path: str
    provider: str
    options: Mapping[str, object]
    label: str
    shown: str


def _read_into(
    path: str, provider: str, builder: CvrBuilder, ctx: ReadContext, options: Mapping[str, object]
) -> None:
    """Append the records of ``path`` to ``builder`` with the reader of ``provider``."""
    module, name = _READERS[provider].split(":")
    getattr(importlib.import_module(module), name)(path, builder, ctx, **options)


def read_cvr_sources(
    sources: Iterable[CvrSource], errors: ErrorPolicy = "raise"
) -> tuple[CastVoteRecords, list[ReadReport]]:
    """Every record of every source, in order, in one :class:`CastVoteRecords`, with one
    report per source (what :mod:`voting.rctab` reads for a contest)."""
    builder = CvrBuilder("")
    reports = []
    for source in sources:
        ctx = ReadContext(source=source.shown, errors=errors)
        before = len(builder)
        builder.start_source(source.label)
        _read_into(source.path, source.provider, builder, ctx, source.options)
        reports.append(ctx.report(source.provider, len(builder) - before))
    return builder.build(), reports


@overload
def read_cvr(
    path: str | os.PathLike[str],
    provider: str,
    *,
    errors: Literal["raise"] = ...,
    **options: object,
) -> CastVoteRecords: ...


@overload
def read_cvr(
    path: str | os.PathLike[str],
    provider: str,
    *,
    errors: Literal["collect"],
    **options: object,
) -> tuple[CastVoteRecords, ReadReport]: ...


def read_cvr(
    path: str | os.PathLike[str],
    provider: str,
    *,
    errors: ErrorPolicy = "raise",
    **options: object,
) -> CastVoteRecords | tuple[CastVoteRecords, ReadReport]:
    """Read the cast vote records of one file (or export folder), every mark kept.

    Parameters
    ----------
    path : path
        The file (ES&S ``.xlsx``/``.csv``, CDF ``.json``/``.xml``, Clear Ballot or generic
        ``.csv``) or folder (Dominion export, Hart XML files). ``.gz`` files are read
        through.
    provider : str
        One of :data:`CVR_PROVIDERS`.
    errors : {"raise", "collect"}
        ``"raise"``: the first bad record raises :class:`voting.BallotFormatError` (file,
        record, reason). ``"collect"``: bad records are left out and reported; returns
        ``(records, report)``.
    **options
        The reader's options: ``first_vote_column``, ``first_vote_row`` (ES&S),
        ``first_vote_column`` (generic CSV), ``contest_id`` (Dominion, CDF, Clear Ballot,
        Hart), labels (``overvote_label``, ``undeclared_write_in_label``, ...), as in
        :mod:`voting.formats.cvr_ess` and the other ``cvr_*`` modules. Column and row
        numbers are 1-based.

    Examples
    --------
    >>> import io, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "cvr.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("id,Ann,Bob,Cy\\n1,1,2,\\n2,,1,1\\n")
    >>> cvrs = read_cvr(path, "genericCsv", first_vote_column=2)
    >>> [cvrs.ballot(i).positions for i in range(len(cvrs))]
    [(('Ann',), ('Bob',)), (('Bob', 'Cy'),)]
    """
    name = os.fspath(path)
    if provider not in CVR_PROVIDERS:
        raise InvalidParameterError(f"provider={provider!r}; use one of {CVR_PROVIDERS}.")
    if not os.path.exists(name):
        raise FileNotFoundError(f"no such cast vote record file or folder: {name!r}")
    ctx = ReadContext(source=name, errors=errors)
    builder = CvrBuilder(name)
    try:
        _read_into(name, provider, builder, ctx, options)
    except TypeError as exc:
        raise InvalidParameterError(f"{provider} reader: {exc}") from None
    records = builder.build()
    if errors == "collect":
        return records, ctx.report(provider, len(records))
    return records
