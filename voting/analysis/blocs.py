"""Partisan blocs: how often voters put a group of candidates (a company's) on top.

Definitions
-----------
Write a ballot's ranked tiers, best first, as ``T_0, T_1, ..., T_{m-1}``. A group
``G`` of ``k`` candidates is

- **on top** of the ballot (:attr:`GroupBloc.top`) when every member of ``G`` is
  ranked strictly above every other candidate, ties *among the members* allowed;
  equivalently ``G = T_0 ∪ ... ∪ T_{j-1}`` for some ``j``;
- **strictly on top** (:attr:`GroupBloc.strict`) when, in addition, no two members
  are tied: the members fill the first ``k`` places one per place (``T_0, ...,
  T_{k-1}`` each hold one member). Strictly on top implies on top.

Unranked candidates. Both policies count the same ballots, for these reasons:

- ``unranked="last"``: unranked candidates are tied below every ranked one, so a
  group member left unranked is never above an outsider (the ballot does not count),
  and outsiders left unranked are below the group (it may count).
- ``unranked="ignore"``: an unranked candidate makes no comparison, so the group
  counts when every member is ranked and every *ranked* outsider is below every
  member. A ballot that ranks exactly the group and no one else counts: it expressed
  support for the group's members only, which is the partisan ballot par excellence.

Under either policy a ballot counts exactly when the group is one of its top-tier
unions above, which is what the kernel enumerates. Shares are over all voters of the
profile (ballots that rank no one included).

Chance (no group loyalty). Each ballot keeps its tie structure (tier sizes
``t_0, ..., t_{m-1}`` and its number of unranked candidates) and the candidates are
assigned to the slots uniformly at random. The set filling the first ``j`` tiers is
then a uniformly random set of ``S_j = t_0 + ... + t_{j-1}`` candidates, so

    P(G on top)          = 1 / binom(C, k)  if k = S_j for some j, else 0,
    P(G strictly on top) = 1 / binom(C, k)  if t_0 = ... = t_{k-1} = 1, else 0.

For a strict complete ballot both are ``1 / binom(C, k)``: 1 in 55 for a pair among
11 candidates, 1 in 462 for five of them, which is why a 2-candidate company is far
more often on top by chance than a 5-candidate one. The *eligible* voters are those
whose ballot's structure allows a ``k``-set on top; the expected count is
``eligible / binom(C, k)`` (an exact :class:`~fractions.Fraction`) and, voters being
independent under the model, the observed count is ``Binomial(eligible,
1/binom(C, k))``: :attr:`BlocCount.p_value` is its exact upper tail.

Permutation test (shuffling group labels among candidates). Keep the ballots, move
the group label to a uniformly random set of ``k`` candidates: the count of that
set is the null distribution. Unlike the chance model it keeps each candidate's
popularity in the ballots, and asks "is this company's slate on top more often than
``k`` candidates taken at random?". Its per-group p-value is computed exactly: it is
the fraction of the ``binom(C, k)`` sets on top of at least as many voters
(:attr:`BlocCount.permutation_p_value`), so no sampling is needed. The joint test
over all groups (:class:`PermutationTest`), which applies one random permutation of
the candidates to every group at once, is sampled with a seeded
:class:`numpy.random.Generator`.

Groups may overlap (each group is its own question); the joint statistic then counts
a voter once per group on top. A group must name at least one candidate and leave at
least one out.

To find groups without knowing them, see :func:`voting.analysis.discovery.discover_blocs`.

Runtime complexity: O(V·C) to list the top-tier unions of V distinct ballots (a
numba kernel), O(N log N) to count the N unions found (identical ballots need no
merging first: equal sets are merged as they are counted),
then O(log N) per group and O(P·G·k) for P permutations of G groups.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from voting._seed import Seed, as_generator
from voting.analysis._common import check_profile, fmt_p
from voting.analysis._prefix import Counts, PrefixTable, masks_of
from voting.analysis._stats import binom_log_sf
from voting.exceptions import InvalidParameterError
from voting.profile import Profile
from voting.render import Record, markdown_table, text_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BlocCount",
    "BlocReport",
    "GroupBloc",
    "PermutationTest",
    "bloc_voting",
    "groups_from_affiliation",
]

_LOG10 = math.log(10.0)
_PERM_BATCH = 2048


# --------------------------------------------------------------------- reports
@dataclass(frozen=True, slots=True)
class BlocCount:
    """How many voters put one group on top, against chance.

    Attributes
    ----------
    count : int
        Voters (weighted) whose ballot puts the group on top.
    share : float
        ``count / num_voters``.
    eligible : int
        Voters whose ballot's tie structure allows some ``k``-set on top (see the
        module notes); under the chance model only they can count.
    expected_count : Fraction
        ``eligible / binom(C, k)``: the expected count under random rankings with each
        ballot's tie structure.
    expected_share : float
        ``expected_count / num_voters``.
    lift : float
        ``count / expected_count`` (NaN when nobody is eligible).
    p_value : float
        ``P(X >= count)``, ``X ~ Binomial(eligible, 1 / binom(C, k))``.
    log10_p_value : float
        Its base-10 logarithm, finite even where ``p_value`` underflows to 0.
    sets_at_least : int
        How many of the ``binom(C, k)`` sets of ``k`` candidates are on top of at least
        ``count`` voters (the group itself included).
    permutation_p_value : float
        ``sets_at_least / binom(C, k)``: the exact p-value of shuffling the group
        label among the candidates.
    """

    count: int
    share: float
    eligible: int
    expected_count: Fraction
    expected_share: float
    lift: float
    p_value: float
    log10_p_value: float
    sets_at_least: int
    permutation_p_value: float


@dataclass(frozen=True, slots=True)
class GroupBloc:
    """The bloc figures of one group.

    Attributes
    ----------
    name : str
    candidates : tuple of str
        Members, in profile order.
    size : int
        ``k``, the number of members.
    chance_one_in : int
        ``binom(C, k)``: a strict complete ballot puts this group on top with
        probability ``1 / chance_one_in`` by chance.
    top : BlocCount
        On top, ties among members allowed.
    strict : BlocCount
        Strictly on top: the members fill the first ``k`` places.
    """

    name: str
    candidates: tuple[str, ...]
    size: int
    chance_one_in: int
    top: BlocCount
    strict: BlocCount


@dataclass(frozen=True, slots=True)
class PermutationTest:
    """Joint permutation test over all groups (one random relabelling of the candidates).

    Attributes
    ----------
    statistic, strict_statistic : int
        Sum over groups of :attr:`BlocCount.count` (for disjoint groups: the voters
        who put some group on top), for ``top`` and ``strict``.
    null_mean, strict_null_mean : float
        Mean of the statistic over the sampled permutations.
    p_value, strict_p_value : float
        ``(1 + #{permutations with statistic >= observed}) / (1 + permutations)``
        (Phipson and Smyth 2010: never zero).
    permutations : int
    """

    statistic: int
    strict_statistic: int
    null_mean: float
    strict_null_mean: float
    p_value: float
    strict_p_value: float
    permutations: int


def _share_row(b: BlocCount) -> list[str]:
    return [
        f"{b.count}",
        f"{100 * b.share:.1f}%",
        f"{100 * b.expected_share:.2f}%",
        "-" if b.lift != b.lift else f"{b.lift:.1f}",
        fmt_p(b.p_value),
        fmt_p(b.permutation_p_value),
    ]


@dataclass(frozen=True, eq=False)
class BlocReport(Record):
    """The result of :func:`bloc_voting`.

    Renders as a table (:meth:`to_text`, :meth:`to_markdown`), JSON-ready data
    (:meth:`to_dict`: the fields, exact expected counts as strings) and a bar chart
    (:meth:`plot`).

    Attributes
    ----------
    candidates : tuple of str
    num_voters : int
    unranked : {"last", "ignore"}
        The profile's policy (both count the same ballots; see the module notes).
    groups : tuple of GroupBloc
        In the order given.
    permutation_test : PermutationTest or None
        None when ``permutations=0``.
    """

    candidates: tuple[str, ...]
    num_voters: int
    unranked: str
    groups: tuple[GroupBloc, ...]
    permutation_test: PermutationTest | None

    def __getitem__(self, name: str) -> GroupBloc:
        for g in self.groups:
            if g.name == name:
                return g
        raise KeyError(name)

    def _rows(self) -> tuple[list[str], list[list[str]], str]:
        header = [
            "group",
            "k",
            "1 in",
            "top",
            "share",
            "chance",
            "lift",
            "p",
            "perm p",
            "strict",
            "share",
            "chance",
            "lift",
            "p",
            "perm p",
        ]
        rows = [
            [g.name, str(g.size), str(g.chance_one_in), *_share_row(g.top), *_share_row(g.strict)]
            for g in self.groups
        ]
        return header, rows, "<>>" + ">" * 12

    def to_text(self) -> str:
        """A table: one row per group, "top" (ties among members allowed) then "strict".

        "1 in" is ``binom(C, k)``; "chance" the share expected without loyalty; "p" the
        chance-model p-value, "perm p" the label-shuffling one.
        """
        header, rows, align = self._rows()
        lines = [
            f"Bloc voting: {self.num_voters} voters, {len(self.candidates)} candidates "
            f"(unranked={self.unranked!r})",
            text_table(header, rows, align),
        ]
        t = self.permutation_test
        if t is not None:
            lines.append(
                f"Joint permutation test ({t.permutations} relabellings): {t.statistic} voters "
                f"put a group on top (null mean {t.null_mean:.1f}, p = {fmt_p(t.p_value)}); "
                f"strictly: {t.strict_statistic} (null mean {t.strict_null_mean:.1f}, "
                f"p = {fmt_p(t.strict_p_value)})."
            )
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The table of :meth:`to_text` as Markdown."""
        header, rows, align = self._rows()
        return markdown_table(header, rows, align)

    def plot(
        self,
        *,
        strict: bool = False,
        ax: Axes | None = None,
        path: str | os.PathLike[str] | None = None,
        title: str | None = None,
        dpi: int = 150,
    ) -> Figure:
        """Each group's share on top against the share expected by chance (``plot`` extra).

        See :func:`voting.analysis.plot.plot_blocs` (``strict=True``: strictly on top).
        """
        from voting.analysis.plot import plot_blocs

        return plot_blocs(self, strict=strict, ax=ax, path=path, title=title, dpi=dpi)


# ------------------------------------------------------------------ helpers
def groups_from_affiliation(affiliation: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Invert ``{candidate: group}`` (say, employers) into ``{group: candidates}``.

    Groups come in order of first appearance, members in the order given.

    Examples
    --------
    >>> groups_from_affiliation({"ann": "Acme", "bob": "Initech", "cid": "Acme"})
    {'Acme': ('ann', 'cid'), 'Initech': ('bob',)}
    """
    out: dict[str, list[str]] = {}
    for cand, group in affiliation.items():
        out.setdefault(group, []).append(cand)
    return {g: tuple(m) for g, m in out.items()}


def _check_groups(
    profile: Profile, groups: Mapping[str, Iterable[str]]
) -> list[tuple[str, tuple[int, ...]]]:
    if not isinstance(groups, Mapping):
        raise InvalidParameterError(
            f"groups must map a group name to its candidates, got {type(groups).__name__}; "
            "use groups_from_affiliation() to invert a {candidate: group} mapping."
        )
    if not groups:
        raise InvalidParameterError("groups is empty; give at least one group.")
    c = profile.num_candidates
    out: list[tuple[str, tuple[int, ...]]] = []
    for name, members in groups.items():
        if isinstance(members, str):
            raise InvalidParameterError(
                f"group {name!r} is the string {members!r}; give its candidates as a list, "
                f"e.g. [{members!r}]."
            )
        idx: list[int] = []
        for m in members:
            if not isinstance(m, str) or m not in profile.candidates:
                raise InvalidParameterError(
                    f"group {name!r} names unknown candidate {m!r}; candidates are "
                    f"{list(profile.candidates)}."
                )
            i = profile.candidates.index(m)
            if i in idx:
                raise InvalidParameterError(f"group {name!r} names {m!r} twice.")
            idx.append(i)
        if not idx:
            raise InvalidParameterError(f"group {name!r} has no candidates.")
        if len(idx) >= c:
            raise InvalidParameterError(
                f"group {name!r} holds all {c} candidates; a bloc must leave someone out."
            )
        out.append((str(name), tuple(sorted(idx))))
    return out


def _bloc_count(counts: Counts, count: int, k: int, n_sets: int, num_voters: int) -> BlocCount:
    eligible = int(counts.eligible[k])
    expected = Fraction(eligible, n_sets)
    log_p = binom_log_sf(count, eligible, 1.0 / n_sets)
    if count > 0:
        same_size = counts.sizes == k
        at_least = int(np.count_nonzero(same_size & (counts.weight >= count)))
    else:
        at_least = n_sets
    lift = count / float(expected) if eligible else math.nan
    return BlocCount(
        count=count,
        share=count / num_voters,
        eligible=eligible,
        expected_count=expected,
        expected_share=float(expected) / num_voters,
        lift=lift,
        p_value=math.exp(log_p),
        log10_p_value=log_p / _LOG10,
        sets_at_least=at_least,
        permutation_p_value=at_least / n_sets,
    )


# ------------------------------------------------------------------- public
def bloc_voting(
    profile: Profile,
    groups: Mapping[str, Iterable[str]],
    *,
    permutations: int = 9999,
    seed: Seed = 0,
) -> BlocReport:
    """Share of voters who put each group of candidates on top, against chance.

    Parameters
    ----------
    profile : Profile
    groups : mapping of str to iterable of str
        Group name (a company) -> its candidates. Groups may overlap; each must
        name at least one candidate and leave at least one out.
        :func:`groups_from_affiliation` builds this from ``{candidate: company}``.
    permutations : int, default 9999
        Random relabellings for the joint permutation test; 0 skips it. The
        per-group permutation p-values are exact and need none.
    seed : int, numpy SeedSequence or Generator, default 0
        Seeds the joint permutation test: the same seed gives the same report.

    Returns
    -------
    BlocReport
        One :class:`GroupBloc` per group: counts, shares, the share expected by
        chance, lift and p-values, "on top" and "strictly on top".

    Raises
    ------
    InvalidParameterError
        A group names an unknown candidate (the message names it), repeats one, is
        empty or holds every candidate; ``permutations`` is negative; bad seed.
    EmptyProfileError
        The profile has no voters.

    Notes
    -----
    The definitions, the treatment of unranked candidates and the chance model are
    in the module docstring (:mod:`voting.analysis.blocs`). Runtime complexity:
    O(V·C + N log N + P·G·k) for V distinct ballots, N top-tier unions, P
    permutations and G groups of up to k members.

    Examples
    --------
    >>> from voting import Profile
    >>> p = Profile.from_rankings(
    ...     [["a1", "a2", "b", "c"], [("a1", "a2"), "c", "b"], ["b", "a1", "a2", "c"]],
    ...     weights=[3, 1, 2])
    >>> r = bloc_voting(p, {"A": ["a1", "a2"]}, permutations=0)
    >>> g = r["A"]
    >>> g.top.count, g.strict.count, g.chance_one_in
    (4, 3, 6)
    >>> g.top.expected_count, g.strict.expected_count   # 6 eligible of 6; 5 strict-eligible
    (Fraction(1, 1), Fraction(5, 6))
    """
    profile = check_profile(profile, "bloc_voting")
    checked = _check_groups(profile, groups)
    if isinstance(permutations, bool) or not isinstance(permutations, int) or permutations < 0:
        raise InvalidParameterError(f"permutations must be an int >= 0, got {permutations!r}.")
    rng = as_generator(seed)
    c = profile.num_candidates
    n = profile.num_voters
    max_size = max(len(idx) for _, idx in checked)
    table = PrefixTable.build(profile, max_size)
    group_masks = [masks_of(np.asarray([idx], dtype=np.int64), table.n_words) for _, idx in checked]
    out: list[GroupBloc] = []
    for (name, idx), mask in zip(checked, group_masks, strict=True):
        k = len(idx)
        n_sets = math.comb(c, k)
        top = int(table.top.lookup(mask)[0])
        strict = int(table.strict.lookup(mask)[0])
        out.append(
            GroupBloc(
                name=name,
                candidates=tuple(profile.candidates[i] for i in idx),
                size=k,
                chance_one_in=n_sets,
                top=_bloc_count(table.top, top, k, n_sets, n),
                strict=_bloc_count(table.strict, strict, k, n_sets, n),
            )
        )
    test = _joint_test(table, checked, out, c, permutations, rng) if permutations > 0 else None
    return BlocReport(profile.candidates, n, profile.unranked, tuple(out), test)


def _joint_test(
    table: PrefixTable,
    checked: Sequence[tuple[str, tuple[int, ...]]],
    groups: Sequence[GroupBloc],
    c: int,
    permutations: int,
    rng: np.random.Generator,
) -> PermutationTest:
    obs_top = sum(g.top.count for g in groups)
    obs_strict = sum(g.strict.count for g in groups)
    ge_top = ge_strict = 0
    sum_top = sum_strict = 0
    done = 0
    while done < permutations:
        b = min(_PERM_BATCH, permutations - done)
        perms = rng.permuted(np.tile(np.arange(c, dtype=np.int64), (b, 1)), axis=1)
        t_top = np.zeros(b, dtype=np.int64)
        t_strict = np.zeros(b, dtype=np.int64)
        for _, idx in checked:
            masks = masks_of(perms[:, list(idx)], table.n_words)
            t_top += table.top.lookup(masks)
            t_strict += table.strict.lookup(masks)
        ge_top += int(np.count_nonzero(t_top >= obs_top))
        ge_strict += int(np.count_nonzero(t_strict >= obs_strict))
        sum_top += int(t_top.sum())
        sum_strict += int(t_strict.sum())
        done += b
    return PermutationTest(
        statistic=obs_top,
        strict_statistic=obs_strict,
        null_mean=sum_top / permutations,
        strict_null_mean=sum_strict / permutations,
        p_value=(1 + ge_top) / (1 + permutations),
        strict_p_value=(1 + ge_strict) / (1 + permutations),
        permutations=permutations,
    )
