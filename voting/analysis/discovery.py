"""Bloc discovery: the sets of candidates voters most often put on top together.

Given no groups, :func:`discover_blocs` counts, for every ballot, the sets of 2 to
``max_size`` candidates that form its top tiers (see :mod:`voting.analysis.blocs` for
"on top" and the chance model), compares each set's count with its expectation under
random rankings with each ballot's tie structure, and reports the most surprising,
with p-values adjusted for having looked at every set of those sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from voting.analysis._common import check_profile, fmt_p
from voting.analysis._prefix import PrefixTable
from voting.analysis._stats import bh_qvalues, binom_log_sf
from voting.exceptions import InvalidParameterError
from voting.profile import Profile
from voting.render import Record, text_table

__all__ = ["BlocDiscovery", "DiscoveredBloc", "discover_blocs"]

_LOG10 = math.log(10.0)


@dataclass(frozen=True, slots=True)
class DiscoveredBloc:
    """A set of candidates that voters put on top together more often than chance.

    Attributes
    ----------
    candidates : tuple of str
        In profile order.
    size : int
    count : int
        Voters who put exactly this set on top.
    share : float
    expected_count : Fraction
        Under random rankings with each ballot's tie structure.
    lift : float
        ``count / expected_count``.
    p_value : float
        Binomial upper tail, as :attr:`BlocCount.p_value`.
    log10_p_value : float
    p_adjusted : float
        Bonferroni: ``min(1, p_value · tests)``, controlling the family-wise error
        over every set of the sizes searched.
    q_value : float
        Benjamini–Hochberg adjusted p-value over the same ``tests`` hypotheses
        (false discovery rate).
    """

    candidates: tuple[str, ...]
    size: int
    count: int
    share: float
    expected_count: Fraction
    lift: float
    p_value: float
    log10_p_value: float
    p_adjusted: float
    q_value: float


@dataclass(frozen=True, eq=False)
class BlocDiscovery(Record):
    """The result of :func:`discover_blocs`.

    Renders as a table (:meth:`to_text`) and JSON-ready data (:meth:`to_dict`).

    Attributes
    ----------
    candidates : tuple of str
    num_voters : int
    sizes : tuple of int
        The set sizes searched.
    strict : bool
        Whether "on top" meant strictly on top.
    tests : int
        ``sum(binom(C, k) for k in sizes)``: every set that could have been found.
    blocs : tuple of DiscoveredBloc
        Most surprising first (smallest p-value; then larger count).
    """

    candidates: tuple[str, ...]
    num_voters: int
    sizes: tuple[int, ...]
    strict: bool
    tests: int
    blocs: tuple[DiscoveredBloc, ...]

    def to_text(self) -> str:
        """A table of the blocs found, most surprising first."""
        header = ["set", "k", "voters", "share", "expected", "lift", "p", "Bonferroni", "q"]
        rows = [
            [
                " + ".join(b.candidates),
                str(b.size),
                str(b.count),
                f"{100 * b.share:.1f}%",
                f"{float(b.expected_count):.2f}",
                f"{b.lift:.1f}",
                fmt_p(b.p_value),
                fmt_p(b.p_adjusted),
                fmt_p(b.q_value),
            ]
            for b in self.blocs
        ]
        kind = "strictly on top" if self.strict else "on top"
        head = (
            f"Sets of {min(self.sizes)}-{max(self.sizes)} candidates most often {kind} "
            f"({self.num_voters} voters, {self.tests} possible sets)"
            if self.sizes
            else "No set sizes to search."
        )
        return head + "\n" + text_table(header, rows, "<" + ">" * 8)


def discover_blocs(
    profile: Profile,
    *,
    min_size: int = 2,
    max_size: int = 3,
    top: int = 10,
    strict: bool = False,
    min_count: int = 1,
) -> BlocDiscovery:
    """Find the sets of candidates that voters most often put on top together, beyond chance.

    Every ballot's top-tier unions of ``min_size..max_size`` candidates are counted
    (see :mod:`voting.analysis.blocs` for "on top"); each set's count is compared
    with its expectation under random rankings with each ballot's tie structure
    (``eligible_k / binom(C, k)``), by the exact binomial upper tail.

    Parameters
    ----------
    profile : Profile
    min_size, max_size : int, default 2 and 3
        Set sizes searched; ``max_size`` is capped at ``C - 1``.
    top : int, default 10
        How many sets to report.
    strict : bool, default False
        Count a set only when strictly on top (no ties among its members).
    min_count : int, default 1
        Ignore sets on top of fewer voters.

    Returns
    -------
    BlocDiscovery
        The ``top`` most surprising sets, with count, expected count, lift, p-value,
        Bonferroni-adjusted p-value and Benjamini–Hochberg q-value, both over
        ``tests = sum_k binom(C, k)`` hypotheses (every set that could have been
        reported, not only those seen, so the adjustment is honest).

    Notes
    -----
    The uniform chance model treats all candidates as equally popular, so the sets
    of the most popular candidates are "surprising" too: a small p-value says the
    voters were not indifferent, not that they were partisan. Compare a set's lift
    with that of other sets of its size, or test a known grouping with
    :func:`bloc_voting`, whose permutation p-value keeps candidates' popularity.

    Runtime complexity: O(V·C + N log N) for V distinct ballots and N top-tier
    unions (at most ``V·(max_size - min_size + 1)``); p-values are computed once per
    distinct (count, size).

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings([["a", "b", "c", "d"]] * 5 + [["c", "d", "a", "b"]])
    >>> d = discover_blocs(p, max_size=2, top=2)
    >>> [(b.candidates, b.count) for b in d.blocs]
    [(('a', 'b'), 5), (('c', 'd'), 1)]
    """
    profile = check_profile(profile, "discover_blocs")
    for arg, val in (("min_size", min_size), ("max_size", max_size), ("top", top)):
        if isinstance(val, bool) or not isinstance(val, int) or val < 1:
            raise InvalidParameterError(f"{arg} must be an int >= 1, got {val!r}.")
    if min_size > max_size:
        raise InvalidParameterError(f"min_size={min_size} > max_size={max_size}.")
    c = profile.num_candidates
    n = profile.num_voters
    hi = min(max_size, c - 1)
    sizes = tuple(range(min_size, hi + 1))
    tests = sum(math.comb(c, k) for k in sizes)
    if not sizes:
        return BlocDiscovery(profile.candidates, n, sizes, strict, 0, ())
    table = PrefixTable.build(profile, hi)
    counts = table.strict if strict else table.top
    keep = (counts.sizes >= min_size) & (counts.weight >= max(min_count, 1))
    ksizes = counts.sizes[keep]
    weights = counts.weight[keep]
    cache: dict[tuple[int, int], float] = {}
    log_p = np.empty(len(ksizes), dtype=np.float64)
    for i, (x, k) in enumerate(zip(weights.tolist(), ksizes.tolist(), strict=True)):
        key = (x, k)
        if key not in cache:
            cache[key] = binom_log_sf(x, int(counts.eligible[k]), 1.0 / math.comb(c, k))
        log_p[i] = cache[key]
    pvals = np.exp(log_p)
    qvals = bh_qvalues(pvals.tolist(), tests)
    order = np.lexsort((-weights, log_p))[:top]
    kept = np.flatnonzero(keep)
    blocs: list[DiscoveredBloc] = []
    for i in order.tolist():
        members = tuple(profile.candidates[j] for j in counts.members(int(kept[i]), c))
        k = int(ksizes[i])
        expected = Fraction(int(counts.eligible[k]), math.comb(c, k))
        x = int(weights[i])
        blocs.append(
            DiscoveredBloc(
                candidates=members,
                size=k,
                count=x,
                share=x / n,
                expected_count=expected,
                lift=x / float(expected),
                p_value=float(pvals[i]),
                log10_p_value=float(log_p[i]) / _LOG10,
                p_adjusted=min(1.0, float(pvals[i]) * tests),
                q_value=qvals[i],
            )
        )
    return BlocDiscovery(profile.candidates, n, sizes, strict, tests, tuple(blocs))
