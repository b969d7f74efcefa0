"""Resolving ballot ties at random, or enumerating every resolution (for tie sensitivity).

See :mod:`voting.analysis.sensitivity` for the model. Here:

- :func:`structure`: which distinct ballots tie candidates, and ``log R`` (``R = Π t_i!``
  strict orders) for each, vectorised over the ballots;
- :class:`Resolver`: draws one random resolution of every voter's ties;
- :func:`joint_count`: ``J``, the number of distinguishable joint resolutions;
- :func:`enumerate_exact`: every joint resolution with its exact probability.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from voting._dispatch import kernels
from voting._typing import UNRANKED, UnrankedPolicy
from voting.analysis._common import tier_structure
from voting.exceptions import UnsupportedProfileError
from voting.limits import how_to_raise, max_expanded_voters
from voting.profile import Profile

__all__ = ["Resolver", "enumerate_exact", "joint_count", "structure", "tier_sizes"]

ENUM_MAX = 720
"""Largest number of strict orders of a ballot that is enumerated for multinomial splitting."""


def tier_sizes(row: NDArray[np.int32]) -> list[int]:
    ranked = row[row != UNRANKED]
    if ranked.size == 0:
        return []
    return np.bincount(ranked).tolist()  # type: ignore[no-any-return]


def _resolutions(row: NDArray[np.int32]) -> NDArray[np.int32]:
    """All strict orders of a ballot's ties, as ``(R, C)`` rank rows (unranked kept)."""
    tiers: dict[int, list[int]] = {}
    for c, r in enumerate(row.tolist()):
        if r != UNRANKED:
            tiers.setdefault(r, []).append(c)
    per_tier = [list(itertools.permutations(tiers[t])) for t in sorted(tiers)]
    out = []
    for combo in itertools.product(*per_tier):
        new = np.full(row.shape[0], UNRANKED, dtype=np.int32)
        pos = 0
        for perm in combo:
            for c in perm:
                new[c] = pos
                pos += 1
        out.append(new)
    return np.array(out, dtype=np.int32).reshape(len(out), row.shape[0])


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to write ``total`` as an ordered sum of ``parts`` non-negative ints."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total, -1, -1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


_CHUNK = 1 << 16


def structure(profile: Profile) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Per ballot: does it tie two ranked candidates, and ``log R`` (``R = Π t_i!``)."""
    c = profile.num_candidates
    log_fact = np.array([math.lgamma(k + 1) for k in range(c + 1)])
    tied = np.zeros(profile.num_ballots, dtype=bool)
    log_r = np.zeros(profile.num_ballots, dtype=np.float64)
    for lo in range(0, profile.num_ballots, _CHUNK):
        sizes = tier_structure(profile.ranks[lo : lo + _CHUNK])
        tied[lo : lo + _CHUNK] = (sizes > 1).any(axis=1)
        log_r[lo : lo + _CHUNK] = log_fact[sizes].sum(axis=1)
    return tied, log_r


def _small_orders(log_r: float) -> int:
    """``R`` from ``log R`` when ``R`` is small (the factorial products are exact in floats)."""
    return round(math.exp(log_r))


@dataclass(frozen=True, eq=False)
class Resolver:
    """The profile split for resolving: fixed rows, multinomial rows, individual rows."""

    candidates: tuple[str, ...]
    unranked: UnrankedPolicy
    fixed_ranks: NDArray[np.int32]
    fixed_weights: NDArray[np.int64]
    # multinomial: per R, the enumerated orders (n_b * R, C) and the weights (n_b,)
    multi: tuple[tuple[int, NDArray[np.int32], NDArray[np.int64]], ...]
    # individual: one row per voter, resolved with random keys
    single: NDArray[np.int32]

    @classmethod
    def build(
        cls,
        profile: Profile,
        shape: tuple[NDArray[np.bool_], NDArray[np.float64]] | None = None,
    ) -> Resolver:
        """Split ``profile`` (compressed): untied rows stay; a tied row of ``w`` voters with
        ``R <= min(720, w)`` orders is split multinomially over its enumerated orders;
        any other tied row is expanded to ``w`` rows resolved one by one."""
        tied, log_r = structure(profile) if shape is None else shape
        w = np.asarray(profile.weights)
        limit = np.log(np.minimum(w, ENUM_MAX).astype(np.float64) + 0.5)
        multi_mask = tied & (log_r < limit)
        single_mask = tied & ~multi_mask
        multi: dict[int, tuple[list[NDArray[np.int32]], list[int]]] = {}
        for v in np.flatnonzero(multi_mask).tolist():
            r = _small_orders(float(log_r[v]))
            rows, weights = multi.setdefault(r, ([], []))
            rows.append(_resolutions(profile.ranks[v]))
            weights.append(int(w[v]))
        expanded = int(w[single_mask].sum())
        if expanded > max_expanded_voters():  # checked before the rows are expanded
            raise UnsupportedProfileError(
                f"resolving ties voter by voter would expand {expanded:,} voters into rows; "
                f"the limit is {max_expanded_voters():,} "
                f"({how_to_raise('max_expanded_voters').replace('max_expanded_voters=N or ', '')})"
            )
        return cls(
            candidates=profile.candidates,
            unranked=profile.unranked,
            fixed_ranks=np.asarray(profile.ranks[~tied], dtype=np.int32),
            fixed_weights=np.asarray(w[~tied], dtype=np.int64),
            multi=tuple(
                (r, np.concatenate(rows).astype(np.int32), np.array(ws, dtype=np.int64))
                for r, (rows, ws) in sorted(multi.items())
            ),
            single=np.repeat(profile.ranks[single_mask], w[single_mask], axis=0).astype(np.int32),
        )

    def sample(self, rng: np.random.Generator) -> Profile:
        """One random resolution of every voter's ties."""
        ranks = [self.fixed_ranks]
        weights = [self.fixed_weights]
        for r, rows, ws in self.multi:
            counts = rng.multinomial(ws, np.full(r, 1.0 / r)).reshape(-1)
            keep = counts > 0
            ranks.append(rows[keep])
            weights.append(counts[keep].astype(np.int64))
        if len(self.single):
            keys = rng.random(self.single.shape)
            ranks.append(kernels("ties")._resolve_ties(self.single, keys))
            weights.append(np.ones(len(self.single), dtype=np.int64))
        return Profile(
            np.concatenate(ranks), np.concatenate(weights), self.candidates, self.unranked
        )


_LOG_FACT_TABLE = np.array([math.lgamma(k + 1) for k in range(64)])


def _log_factorial(n: NDArray[np.float64]) -> NDArray[np.float64]:
    """``log n!`` of whole numbers ``n >= 0``: a table below 64, Stirling's series above
    (error below 1e-16 relative there)."""
    small = n < 64
    m = np.where(small, 64.0, n)
    stirling = m * np.log(m) - m + 0.5 * np.log(2 * np.pi * m) + 1 / (12 * m) - 1 / (360 * m**3)
    table = _LOG_FACT_TABLE[np.where(small, n, 0).astype(np.int64)]
    return np.where(small, table, stirling)


def joint_count(
    profile: Profile,
    cap: int,
    shape: tuple[NDArray[np.bool_], NDArray[np.float64]] | None = None,
) -> tuple[int | None, float]:
    """``(J, log10 J)``: joint resolutions of a compressed profile, ``J`` None above ``cap``.

    ``log J = Σ_b log binom(w_b + R_b - 1, w_b)`` over the tied ballots, with
    ``w log R - log w!`` standing in for huge ``R`` (``R > e^30``, where the two agree
    to about ``w² / R``). ``J`` itself is computed exactly, with integers, only when
    ``log J`` is near or below ``log cap``.
    """
    tied, log_r = structure(profile) if shape is None else shape
    idx = np.flatnonzero(tied)
    if len(idx) == 0:
        return 1, 0.0
    w = np.asarray(profile.weights)[idx].astype(np.float64)
    lr = log_r[idx]
    small = lr < 30.0
    r = np.where(small, np.rint(np.exp(np.where(small, lr, 0.0))), 1.0)
    log_c = np.where(
        small,
        _log_factorial(w + r - 1) - _log_factorial(w) - _log_factorial(r - 1),
        w * lr - _log_factorial(w),
    )
    total = float(log_c.sum())
    log10 = total / math.log(10.0)
    if total > math.log(cap) + 1.0:
        return None, log10
    j = 1
    for v in idx.tolist():
        wv = int(profile.weights[v])
        r_exact = math.prod(math.factorial(t) for t in tier_sizes(profile.ranks[v]))
        j *= math.comb(wv + r_exact - 1, wv)
        if j > cap:
            return None, log10
    return j, log10


def enumerate_exact(
    profile: Profile,
) -> Iterator[tuple[Profile, Fraction]]:
    """Every joint resolution with its exact probability."""
    fixed: list[int] = []
    options: list[list[tuple[NDArray[np.int32], NDArray[np.int64], Fraction]]] = []
    for v in range(profile.num_ballots):
        row = profile.ranks[v]
        w = int(profile.weights[v])
        sizes = tier_sizes(row)
        r = math.prod(math.factorial(t) for t in sizes)
        if r == 1:
            fixed.append(v)
            continue
        orders = _resolutions(row)
        opts = []
        for comp in _compositions(w, r):
            prob = Fraction(math.factorial(w), math.prod(math.factorial(n) for n in comp) * r**w)
            counts = np.array(comp, dtype=np.int64)
            keep = counts > 0
            opts.append((orders[keep], counts[keep], prob))
        options.append(opts)
    c = profile.num_candidates
    base_r = np.asarray(profile.ranks[fixed], dtype=np.int32).reshape(-1, c)
    base_w = np.asarray(profile.weights[fixed], dtype=np.int64)
    for combo in itertools.product(*options):
        ranks = np.concatenate([base_r, *(o[0] for o in combo)])
        weights = np.concatenate([base_w, *(o[1] for o in combo)])
        prob = math.prod((o[2] for o in combo), start=Fraction(1))
        yield Profile(ranks, weights, profile.candidates, profile.unranked), prob
