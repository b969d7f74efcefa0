"""Schulze's proportional completion of tied ballots, for ``SchulzeSTV(completion="proportional")``.

For a committee ``S = (s_1, ..., s_N)`` and an outsider ``d`` each ballot has a
*pattern* ``p`` in ``{+1, 0, -1}^N``: ``p_i = +1`` when it ranks ``s_i`` strictly above
``d``, ``-1`` when strictly below, ``0`` when it does not order them (a tie; under
``unranked="last"`` two unranked candidates; under ``unranked="ignore"`` any pair with
an unranked candidate). Proportional completion (Schulze 2011) replaces each pattern
with ties by strict ones, in the proportions of the other voters:

* patterns are completed level by level, the most ties first (a level = all patterns
  with ``k`` ties, ``k = N, ..., 1``);
* a pattern ``P`` with ties at positions ``Z`` is split over the patterns ``T`` that
  agree with ``P`` off ``Z`` and take, on ``Z``, the values of another pattern ``Q``
  of the profile (as it stood at the start of the level) that orders at least one
  position of ``Z``; each ``Q`` contributes in proportion to its weight. ``T`` has
  fewer ties than ``P`` (so it is completed at a later level if it still has any);
* a pattern no other pattern helps complete is left as it is.

The last rule is where completion can fail a solid coalition. Schulze completes a
ballot's indifference in the proportions of the ballots that are not indifferent
(Schulze 2011; arXiv:1804.02973, the section on Schulze STV); when no ballot orders a
member and the outsider, there are no proportions, and the tie stays a tie, which
supports neither. With two voters
``a = c > b`` and ``b > a = c`` and two seats, no ballot orders ``a`` against ``c``,
so ``{a, b}`` has no support against ``c`` while ``{a, c}`` has ``1/2`` against
``b``: ``{a, c}`` is elected although ``b`` is the first choice of a Droop quota.
python-vote-core spreads such a pattern evenly over its completions instead. The
outputs of Schulze's reference program that we have never reach this case, so they
cannot tell the two rules apart, and no proof is known that either restores Droop
proportionality (a ballot is completed separately for each committee and outsider,
so the completed ballots are not one strict profile to which Schulze's proof for
strict ballots would apply). This module keeps the tie, adding nothing where there
are no proportions, and :class:`~voting.methods.schulze_stv.SchulzeSTV` does not
claim Droop proportionality.

The support strength is then computed on the completed (fractional) weights. All
arithmetic is exact (``fractions.Fraction``). This reproduces every strength printed
by Schulze's reference program for the ballots of python-vote-core issue 10 (see
``tests/test_schulze_stv.py``). Pure Python: for small elections.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from voting._distinct import group_sums, unique_rows

__all__ = ["completed_strength", "completed_strengths"]

Pattern = tuple[int, ...]


def _complete(profile: dict[Pattern, Fraction], n: int) -> dict[Pattern, Fraction]:
    prof = dict(profile)
    for k in range(n, 0, -1):
        snapshot = dict(prof)
        for p in [q for q in snapshot if q.count(0) == k]:
            w = prof.pop(p)
            zeros = [i for i, x in enumerate(p) if x == 0]
            targets: dict[Pattern, Fraction] = {}
            for q, wq in snapshot.items():
                if q != p and wq > 0 and any(q[i] != 0 for i in zeros):
                    t = tuple(q[i] if x == 0 else x for i, x in enumerate(p))
                    targets[t] = targets.get(t, Fraction(0)) + wq
            den = sum(targets.values(), Fraction(0))
            if den == 0:
                prof[p] = prof.get(p, Fraction(0)) + w
                continue
            for t, wt in targets.items():
                prof[t] = prof.get(t, Fraction(0)) + w * wt / den
    return prof


def completed_strength(profile: dict[Pattern, Fraction], n: int) -> Fraction:
    """Support strength after proportional completion of ``profile`` (pattern -> weight)."""
    done = _complete(profile, n)
    full = (1 << n) - 1
    g = [Fraction(0)] * (full + 1)  # weight by mask of supported members
    total = Fraction(0)
    for p, w in done.items():
        mask = sum(1 << i for i, x in enumerate(p) if x == 1)
        g[mask] += w
        total += w
    for i in range(n):  # subset sums
        bit = 1 << i
        for m in range(full + 1):
            if m & bit:
                g[m] += g[m ^ bit]
    best: Fraction | None = None
    for t in range(1, full + 1):
        val = (total - g[full ^ t]) / t.bit_count()
        if best is None or val < best:
            best = val
    assert best is not None
    return best


def completed_strengths(
    prefers: NDArray[np.uint8], weights: NDArray[np.int64], committees: NDArray[np.int32]
) -> list[list[Fraction]]:
    """Completed strength of every committee against every outsider (increasing order).

    ``prefers[v, a, b] = 1`` when ballot ``v`` ranks ``a`` strictly above ``b``.
    """
    c = prefers.shape[1]
    n = committees.shape[1]
    out: list[list[Fraction]] = []
    for row in committees:
        members = [int(x) for x in row]
        mset = set(members)
        strengths = []
        for d in range(c):
            if d in mset:
                continue
            pat = prefers[:, members, d].astype(np.int8) - prefers[:, d, members].astype(np.int8)
            uniq, inv, _ = unique_rows(pat)
            wsum = group_sums(inv, weights, uniq.shape[0])
            profile = {
                tuple(int(x) for x in u): Fraction(int(w)) for u, w in zip(uniq, wsum, strict=True)
            }
            strengths.append(completed_strength(profile, n))
        out.append(strengths)
    return out
