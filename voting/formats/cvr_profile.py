"""From cast vote records to a :class:`~voting.Profile`: ballot rules applied once.

A cast vote record becomes the preference order its marks express under a contest's
ballot rules (:class:`BallotRules`, RCTab's names):

* a gap of more than ``max_skipped_ranks`` rankings ends the ballot;
* with ``exhaust_on_duplicate``, a repeated mark ends the ballot; otherwise a candidate
  ranked again adds nothing;
* an overvote (several marks at one ranking, or the explicit overvote mark) ends the
  ballot under ``"exhaustImmediately"``, is passed over under ``"alwaysSkipToNextRank"``, and
  under ``"exhaustIfMultipleContinuing"`` becomes one tier of tied candidates (the ballot's
  reading of the overvote: it prefers them all equally to what follows);
* excluded candidates are passed over; undeclared write-ins are one candidate,
  :data:`~voting.formats.cvr.UNDECLARED_WRITE_IN` (or are passed over with
  ``write_ins="drop"``).

Unranked candidates come last (``unranked="last"``), as in every US RCV count. For the
first two overvote rules, an instant-runoff count of the profile walks each ballot exactly
as RCTab does (a ballot counts for its first continuing candidate); the third depends on
which candidates continue, which no fixed order can express.

Complexity: O(M) for M marks, plus one row per distinct mark pattern; identical
ballots are merged by the library's one deduplication (:mod:`voting._distinct`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from voting._distinct import distinct_rows
from voting._typing import UNRANKED
from voting.exceptions import InvalidParameterError
from voting.formats.cvr import UNDECLARED_WRITE_IN, CastVoteRecords, MarkKind
from voting.profile import Profile

__all__ = ["BallotRules", "OvervoteRuleName", "cvr_profile"]

OvervoteRuleName = Literal[
    "exhaustImmediately", "alwaysSkipToNextRank", "exhaustIfMultipleContinuing"
]


@dataclass(frozen=True, kw_only=True)
class BallotRules:
    """How marks become preferences (RCTab's ``overvoteRule``, ``maxSkippedRanksAllowed``,
    ``exhaustOnDuplicateCandidate``); ``max_skipped_ranks=None`` is unlimited."""

    overvote_rule: OvervoteRuleName = "exhaustImmediately"
    max_skipped_ranks: int | None = None
    exhaust_on_duplicate: bool = False

    def __post_init__(self) -> None:
        if self.overvote_rule not in (
            "exhaustImmediately",
            "alwaysSkipToNextRank",
            "exhaustIfMultipleContinuing",
        ):
            raise InvalidParameterError(
                f"overvote_rule={self.overvote_rule!r}; use 'exhaustImmediately', "
                "'alwaysSkipToNextRank' or 'exhaustIfMultipleContinuing'."
            )
        if self.max_skipped_ranks is not None and self.max_skipped_ranks < 0:
            raise InvalidParameterError(
                f"max_skipped_ranks={self.max_skipped_ranks}; it must be >= 0 (or None)."
            )


def _tiers(
    positions: list[tuple[int, list[int]]],
    cand: Sequence[int],
    overvote: Sequence[bool],
    rules: BallotRules,
) -> list[list[int]]:
    tiers: list[list[int]] = []
    ranked: set[int] = set()
    seen: set[int] = set()
    last = 0
    for rank, tokens in positions:
        if rules.max_skipped_ranks is not None and rank - last > rules.max_skipped_ranks + 1:
            break
        last = rank
        if rules.exhaust_on_duplicate:
            if any(t in seen or tokens.count(t) > 1 for t in tokens):
                break
            seen.update(tokens)
        if len(tokens) > 1 or overvote[tokens[0]]:
            if rules.overvote_rule == "exhaustImmediately":
                break
            if rules.overvote_rule == "alwaysSkipToNextRank":
                continue
            if any(overvote[t] for t in tokens):
                break
        members = []
        for t in tokens:
            c = cand[t]
            if c >= 0 and c not in ranked:
                members.append(c)
                ranked.add(c)
        if members:
            tiers.append(members)
    return tiers


def cvr_profile(
    cvrs: CastVoteRecords,
    rules: BallotRules | None = None,
    *,
    candidates: Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    excluded: Collection[str] = (),
    write_ins: Literal["keep", "drop"] = "keep",
) -> Profile:
    """The :class:`~voting.Profile` of ``cvrs`` under ``rules`` (identical ballots merged).

    Parameters
    ----------
    cvrs : CastVoteRecords
    rules : BallotRules, optional
        Default: exhaust at an overvote, unlimited skipped rankings, duplicates ignored.
    candidates : sequence of str, optional
        The profile's candidates, in order. Default: every name marked, in order of first
        appearance (undeclared write-ins last).
    aliases : mapping of str to str, optional
        Mark text (alias, code) to candidate name; texts not in it are names themselves.
    excluded : collection of str
        Candidates to pass over (and leave out of the profile).
    write_ins : {"keep", "drop"}
        Keep undeclared write-ins as one candidate, or pass over them.

    Raises
    ------
    InvalidParameterError
        A mark names a candidate that ``candidates`` does not list.

    Examples
    --------
    >>> from voting.formats.cvr import ballots_from_positions
    >>> cvrs = ballots_from_positions([[["A"], [], ["B", "C"], ["C"]], [["B"], ["B"], ["A"]]])
    >>> p = cvr_profile(cvrs, BallotRules(overvote_rule="alwaysSkipToNextRank"))
    >>> p.candidates, p.ranks.tolist()
    (('A', 'B', 'C'), [[0, 2147483647, 1], [1, 0, 2147483647]])
    """
    rules = rules or BallotRules()
    alias = dict(aliases or {})
    names_of = [
        UNDECLARED_WRITE_IN if k == MarkKind.WRITE_IN else alias.get(t, t)
        for t, k in zip(cvrs.tokens, cvrs.token_kinds.tolist(), strict=True)
    ]
    is_over = [k == MarkKind.OVERVOTE for k in cvrs.token_kinds.tolist()]
    drop = set(excluded)
    if write_ins == "drop":
        drop.add(UNDECLARED_WRITE_IN)
    used = np.unique(cvrs.marks) if len(cvrs.marks) else np.array([], dtype=np.int32)
    in_use = set(used.tolist())
    if candidates is None:
        first: dict[str, int] = {}
        for t in used.tolist():
            if not is_over[t]:
                first.setdefault(names_of[t], t)
        order = sorted(first, key=lambda n: (n == UNDECLARED_WRITE_IN, first[n]))
        candidates = [n for n in order if n not in drop]
    names = [n for n in candidates if n not in drop]
    if not names:
        raise InvalidParameterError("no candidate is left for the profile.")
    index = {n: i for i, n in enumerate(names)}
    cand: list[int] = []
    for t, n in enumerate(names_of):
        if is_over[t] or n in drop:
            cand.append(-1)
        elif n in index:
            cand.append(index[n])
        elif t not in in_use:
            cand.append(-1)
        else:
            raise InvalidParameterError(
                f"the records mark {cvrs.tokens[t]!r}, which is not among the candidates; add it "
                "(or an alias) to candidates=, or exclude it."
            )
    patterns, weights = _mark_patterns(cvrs)
    ranks = np.full((len(patterns), len(names)), UNRANKED, dtype=np.int32)
    for g, positions in enumerate(patterns):
        for k, members in enumerate(_tiers(positions, cand, is_over, rules)):
            ranks[g, members] = k
    rows, counts = distinct_rows(ranks, weights, ordered=False)  # patterns with one reading
    return Profile(rows, counts, tuple(names), "last")


def _mark_patterns(
    cvrs: CastVoteRecords,
) -> tuple[list[list[tuple[int, list[int]]]], np.ndarray[Any, np.dtype[np.int64]]]:
    """The distinct mark patterns of ``cvrs`` (rankings and marks, position by position),
    in order of first appearance, with the number of records of each. O(M)."""
    index: dict[tuple[bytes, bytes], int] = {}
    patterns: list[list[tuple[int, list[int]]]] = []
    counts: list[int] = []
    off = cvrs.offsets.tolist()
    ranks = cvrs.ranks.tolist()
    marks = cvrs.marks.tolist()
    rb, mb = cvrs.ranks.tobytes(), cvrs.marks.tobytes()
    for i in range(len(cvrs)):
        lo, hi = off[i], off[i + 1]
        raw = (rb[4 * lo : 4 * hi], mb[4 * lo : 4 * hi])
        g = index.get(raw)
        if g is None:
            g = index[raw] = len(patterns)
            positions: list[tuple[int, list[int]]] = []
            for m in range(lo, hi):
                if positions and positions[-1][0] == ranks[m]:
                    positions[-1][1].append(marks[m])
                else:
                    positions.append((ranks[m], [marks[m]]))
            patterns.append(positions)
            counts.append(0)
        counts[g] += 1
    return patterns, np.array(counts, dtype=np.int64)
