"""Reading cast vote records without a contest configuration: :func:`read_cvr`."""

from __future__ import annotations

import os
from typing import Literal, overload

from voting.exceptions import InvalidParameterError
from voting.formats._base import ErrorPolicy, ReadContext, ReadReport
from voting.formats.cvr import CastVoteRecords, CvrBuilder

__all__ = ["CVR_PROVIDERS", "read_cvr"]

CVR_PROVIDERS = ("ess", "dominion", "cdf", "clearBallot", "hart", "genericCsv")
"""Cast vote record formats (RCTab's provider names)."""


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
        if provider == "ess":
            from voting.formats.cvr_ess import read_ess

            read_ess(name, builder, ctx, **options)  # type: ignore[arg-type]  # checked by the reader's signature
        elif provider == "genericCsv":
            from voting.formats.cvr_generic import read_generic_csv

            read_generic_csv(name, builder, ctx, **options)  # type: ignore[arg-type]  # as above
        elif provider == "cdf":
            from voting.formats.cvr_cdf import read_cdf

            read_cdf(name, builder, ctx, **options)  # type: ignore[arg-type]  # as above
        elif provider == "dominion":
            from voting.formats.cvr_dominion import read_dominion

            read_dominion(name, builder, ctx, **options)  # type: ignore[arg-type]  # as above
        elif provider == "clearBallot":
            from voting.formats.cvr_clearballot import read_clear_ballot

            read_clear_ballot(name, builder, ctx, **options)  # type: ignore[arg-type]  # as above
        else:
            from voting.formats.cvr_hart import read_hart

            read_hart(name, builder, ctx, **options)  # type: ignore[arg-type]  # as above
    except TypeError as exc:
        raise InvalidParameterError(f"{provider} reader: {exc}") from None
    records = builder.build()
    if errors == "collect":
        return records, ctx.report(provider, len(records))
    return records
