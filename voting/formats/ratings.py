"""CIVS ballots as numeric weights: :class:`Ratings` and its reader.

A :class:`~voting.Profile` holds orders only. CIVS's proportional polls compare
committees by the weights voters give candidates (larger = preferred), and in a
combined-weights poll the sizes of the weights matter; :class:`Ratings` carries them,
validated, beside the order they express, for :class:`voting.CIVSProportional`.
:meth:`Ratings.read_civs_csv` reads them from a CIVS ballot export with the CIVS
reader of :mod:`voting.formats.civs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from os import PathLike
from typing import IO, Any, Literal, TextIO, cast, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from voting._typing import UNRANKED
from voting.exceptions import InvalidProfileError
from voting.formats._base import ReadContext, ReadReport
from voting.formats._chunking import dense_tiers
from voting.formats._source import (
    DECODE_ERRORS,
    LineLimitedText,
    damaged_input_error,
    open_source,
    source_name,
)
from voting.formats.civs import DASH_CELL, NO_OPINION_CELL, read_civs_values
from voting.limits import max_line_length
from voting.profile import Profile

__all__ = ["Ratings", "weights_from_profile"]

IntArray = NDArray[np.int64]


def _readonly(a: IntArray) -> IntArray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Ratings:
    """Ballots as numeric weights (larger = preferred), for the combined criterion.

    A :class:`~voting.Profile` holds orders only. CIVS's combined-weights polls let
    voters type weights (0 to 999) whose sizes matter, so they travel beside the
    profile in this separate, validated container rather than inside
    :class:`~voting.Profile` (whose invariants, dense tiers, stay untouched).
    :meth:`voting.CIVSProportional.run` accepts either.

    Parameters
    ----------
    values : array_like of int, shape (n_ballots, n_candidates)
        Non-negative weights; equal weights are ties.
    weights : array_like of int, shape (n_ballots,), optional
        Voters per ballot (each >= 1). Default: one each.
    candidates : sequence of str
    no_opinion : array_like of bool, shape (n_ballots, n_candidates), optional
        Cells CIVS stores as ``No opinion``: they weigh 0 when committees are
        compared (their value must be 0) and, as in CIVS's stored pairwise counts,
        make no comparison in the individual order the search starts from. Default:
        none.

    Examples
    --------
    >>> r = Ratings([[999, 500, 0], [0, 10, 20]], candidates=["A", "B", "C"])
    >>> r.to_profile().ranks.tolist()
    [[0, 1, 2], [2, 1, 0]]
    """

    values: IntArray
    weights: IntArray
    candidates: tuple[str, ...]
    no_opinion: NDArray[np.bool_]
    _profile: Profile = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        values: ArrayLike,
        weights: ArrayLike | None = None,
        candidates: Iterable[str] | None = None,
        no_opinion: ArrayLike | None = None,
    ) -> None:
        if candidates is None:
            raise InvalidProfileError("Ratings needs candidates=[...] (one name per column).")
        names = tuple(candidates)
        arr = np.asarray(values)
        if arr.ndim != 2 or arr.shape[1] != len(names):
            raise InvalidProfileError(
                f"ratings values have shape {arr.shape}; expected (n_ballots, "
                f"n_candidates={len(names)})."
            )
        if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
            raise InvalidProfileError(
                f"ratings values have dtype {arr.dtype}; expected whole numbers."
            )
        if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= 2**40):
            raise InvalidProfileError(
                "ratings values must lie in 0 .. 2**40 - 1 (CIVS weights are 0 to 999)."
            )
        if no_opinion is None:
            mask = np.zeros(arr.shape, dtype=np.bool_)
        else:
            mask = np.asarray(no_opinion)
            if mask.shape != arr.shape or mask.dtype != np.bool_:
                raise InvalidProfileError(
                    f"ratings no_opinion has shape {mask.shape} and dtype {mask.dtype}; "
                    f"expected booleans of the values' shape {arr.shape}."
                )
            if arr.size and bool((arr[mask] != 0).any()):
                v, c = np.argwhere(mask & (arr != 0))[0].tolist()
                raise InvalidProfileError(
                    f"ratings: ballot {v}, candidate {names[c]!r} is marked 'No opinion' but "
                    f"has weight {int(arr[v, c])}; a 'No opinion' cell weighs 0 (as CIVS "
                    "counts it), so give it the value 0."
                )
        # the profile validates names and weights; reuse it
        profile = Profile(_ranks_from_values(arr), weights, names)
        object.__setattr__(
            self, "values", _readonly(np.ascontiguousarray(arr, dtype=np.int64).copy())
        )
        mask = np.ascontiguousarray(mask, dtype=np.bool_).copy()
        mask.setflags(write=False)
        object.__setattr__(self, "no_opinion", mask)
        object.__setattr__(self, "weights", profile.weights)
        object.__setattr__(self, "candidates", profile.candidates)
        object.__setattr__(self, "_profile", profile)

    @property
    def num_voters(self) -> int:
        """Total weight of the ballots."""
        return int(self.weights.sum())

    def to_profile(self) -> Profile:
        """The order the weights express (larger = higher tier; ``unranked="last"``)."""
        return self._profile

    @overload
    @classmethod
    def read_civs_csv(
        cls,
        source: str | PathLike[str] | IO[str],
        *,
        combined: bool,
        typed_zero: bool = ...,
        errors: Literal["raise"] = ...,
        orientation: str = ...,
        inverted: bool | None = ...,
    ) -> Ratings: ...

    @overload
    @classmethod
    def read_civs_csv(
        cls,
        source: str | PathLike[str] | IO[str],
        *,
        combined: bool,
        typed_zero: bool = ...,
        errors: Literal["collect"],
        orientation: str = ...,
        inverted: bool | None = ...,
    ) -> tuple[Ratings, ReadReport]: ...

    @classmethod
    def read_civs_csv(
        cls,
        source: str | PathLike[str] | IO[str],
        *,
        combined: bool,
        typed_zero: bool = False,
        errors: Literal["raise", "collect"] = "raise",
        orientation: str = "weights",
        inverted: bool | None = None,
    ) -> Ratings | tuple[Ratings, ReadReport]:
        """Read the ballot CSV a CIVS proportional poll exports.

        The same reader as ``read_ballots(source, format="civs")``
        (:func:`voting.formats.civs.read_civs_values`): the same grammar, options,
        error policy and orientation inference, from a path (``.gz`` too) or a text
        stream. Weights are kept as CIVS stores and counts them. In a best-candidate
        poll they are ``n - rank``; in a combined-weights poll they are the typed
        weights, except that CIVS stores a blank or typed 0 as ``n`` (the number of
        choices) and then counts it as ``n``. ``No opinion`` cells weigh 0 and are
        marked in :attr:`no_opinion`. A ``-`` (what a voter typed for "no opinion" in
        an uploaded ballot file) is read as CIVS reads it: in a best-candidate poll
        CIVS stores it as ``No opinion``; in a combined-weights poll it stores the
        ``-`` itself and counts it as 0 (an ordinary weight of 0). Blank cells weigh
        0. A file read as ranks (an ordinary export) gives the weights
        :meth:`voting.CIVSProportional.run` derives from a profile, ``n - 1 - tier``, with
        ``No opinion`` and ``-`` marked as no opinion.

        Parameters
        ----------
        source : path-like or text stream
        combined : bool
            True for a combined-weights export, False for a best-candidate one.
        typed_zero : bool, default False
            Combined-weights exports only: map a stored ``n`` back to the 0 the voter
            most likely typed. The count then follows the voter rather than CIVS (a
            typed ``n`` becomes 0 too: the export cannot tell them apart).
        errors : {"raise", "collect"}, default "raise"
            As in :func:`voting.read_ballots`; ``"collect"`` returns
            ``(ratings, report)``.
        orientation : {"weights", "ranks", "auto"}, default "weights"
            As in :func:`voting.read_ballots`, but this reader is for
            proportional-mode exports, so weights are the default (and what
            ``"auto"`` assumes when the values cannot tell). With ``"weights"``
            given, :attr:`~voting.ReadReport.orientation_note` still warns when
            ballots look like ranks.
        inverted : bool, optional
            Older spelling of ``orientation``.

        Raises
        ------
        BallotFormatError
            A malformed file or line (file, line and reason), or an orientation the
            values contradict in both directions.
        """
        options: dict[str, object] = {"orientation": orientation}
        if inverted is not None:
            options["inverted"] = inverted
        ctx = ReadContext(source=source_name(source), errors=errors)
        fh: LineLimitedText | None = None
        try:
            with open_source(source, None, max_line_length()) as fh:
                names, values, used = read_civs_values(
                    cast(TextIO, fh), ctx, options, assume="weights"
                )
        except DECODE_ERRORS as exc:
            raise damaged_input_error(source, None, exc, fh) from None
        n = len(names)
        # CIVS stores "-" as No opinion in best-candidate polls and counts it as 0 in
        # combined-weights polls (upload_ballots)
        no_opinion = (values == NO_OPINION_CELL) | ((values == DASH_CELL) & (not combined))
        if used == "ranks":
            profile = Profile(_dense_ranks_of(values), None, names)
            values = weights_from_profile(profile)
        else:
            values = np.where(values < 0, 0, values)
            if combined and typed_zero:
                values = np.where(values == n, 0, values)
        ratings = cls(values, candidates=names, no_opinion=no_opinion)
        if errors == "collect":
            return ratings, ctx.report("civs", ratings.num_voters)
        return ratings


def _dense_ranks_of(values: IntArray) -> IntArray:
    """Tiers (0 = top) of rank rows as written; negative cells (no opinion, ``-``,
    blank) are unranked."""
    out = np.empty(values.shape, dtype=np.int64)
    for v, row in enumerate(values.tolist()):
        out[v] = dense_tiers([None if x < 0 else x for x in row])
    return out


def _ranks_from_values(values: NDArray[Any]) -> NDArray[np.int64]:
    """Tiers (0 = top) of each row's distinct values, larger value first."""
    arr = np.asarray(values, dtype=np.int64)
    if arr.size == 0:
        return arr.reshape(arr.shape[0], arr.shape[1] if arr.ndim == 2 else 0)
    out = np.empty_like(arr)
    for v in range(arr.shape[0]):
        _, inv = np.unique(-arr[v], return_inverse=True)
        out[v] = inv.reshape(-1)
    return out


def weights_from_profile(profile: Profile) -> IntArray:
    """CIVS web-vote weights ``n - rank`` (rank counted from 1); unranked weigh 0."""
    ranks = profile.ranks.astype(np.int64)
    n = profile.num_candidates
    w = np.where(profile.ranks == UNRANKED, 0, n - 1 - ranks)
    return np.ascontiguousarray(w, dtype=np.int64)
