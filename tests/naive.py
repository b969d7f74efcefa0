"""Slow, obviously correct references for the numba kernels (plain Python loops).

They share no code with ``voting._kernels``; hypothesis tests compare the two.
"""

from __future__ import annotations

from collections.abc import Sequence

from voting._typing import UNRANKED


def pairwise_counts(
    ranks: Sequence[Sequence[int]],
    weights: Sequence[int],
    unranked: str,
    n_candidates: int | None = None,
) -> list[list[int]]:
    """``out[a][b]`` = total weight of ballots ranking ``a`` strictly above ``b``.

    ``n_candidates`` is needed only when there are no ballots to infer it from.
    """
    n = len(ranks[0]) if len(ranks) else (n_candidates or 0)
    out = [[0] * n for _ in range(n)]
    for row, w in zip(ranks, weights, strict=True):
        for a in range(n):
            for b in range(n):
                ra, rb = int(row[a]), int(row[b])
                if a == b:
                    continue
                if unranked == "ignore" and (ra == UNRANKED or rb == UNRANKED):
                    continue
                # UNRANKED is the int32 maximum, so "last" needs no special case
                if ra < rb:
                    out[a][b] += int(w)
    return out


def dense_ranks(row: Sequence[int]) -> list[int]:
    """Renumber a ballot's ranked values as 0..k-1, keeping order, ties and UNRANKED."""
    values = sorted({int(r) for r in row if int(r) != UNRANKED})
    pos = {v: i for i, v in enumerate(values)}
    return [UNRANKED if int(r) == UNRANKED else pos[int(r)] for r in row]
