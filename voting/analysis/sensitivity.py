"""Tie-breaking sensitivity: how a method's outcome depends on the ties in the ballots.

Many methods (STV without equal preferences, say) need strict rankings, and even
those that accept ties may decide differently once voters are made to choose. This
analysis resolves every ballot's ties at random and counts again, many times:

- each tier of tied candidates is put in a uniformly random order, independently for
  every voter (a ballot cast by ``w`` voters splits among its resolutions
  multinomially); candidates a ballot leaves unranked stay unranked;
- how a sample is drawn (same distribution either way): a distinct tied ballot of ``w``
  voters with ``R <= min(720, w)`` strict orders has its orders enumerated once and
  its voters split over them by one multinomial draw per sample; any other tied
  ballot is expanded to its ``w`` voters, each resolved by sorting its tiers on
  uniform random keys (a numba kernel, :func:`voting._kernels.ties._resolve_ties`);
- the method is run on each resolved profile; the report gives each candidate's
  probability of being elected, with a Wilson confidence interval, and the distinct
  outcomes (sets of elected candidates) with their frequencies.

Exact enumeration
-----------------
A ballot of ``w`` voters whose ties admit ``R = Π t_i!`` strict orders (``t_i`` the
tier sizes) can be resolved in ``binom(w + R - 1, R - 1)`` distinguishable ways (how
many of its voters take each order; voters casting the same ballot are
interchangeable for an anonymous method), with multinomial probability
``w! / Π n_r! · R^-w``. The profile has ``J = Π binom(w_b + R_b - 1, R_b - 1)``
joint resolutions over its distinct tied ballots ``b``. When ``J <= max_exact``
(default 1000 method runs) every joint resolution is enumerated and the
probabilities are exact fractions (:attr:`ElectionChance.exact`); otherwise
``samples`` random resolutions are drawn. ``J`` grows very fast: one ballot of 3
voters with a 3-way tie already has 56.

Randomness and parallelism
--------------------------
All randomness comes from ``seed`` (an int, a :class:`numpy.random.SeedSequence` or a
:class:`numpy.random.Generator`): the samples are cut into fixed blocks of
``_BLOCK`` and block ``i`` uses the ``i``-th child of the seed's
:class:`~numpy.random.SeedSequence`, so the report depends on the seed only, not on
``workers``. With ``workers > 1`` the blocks run in a
:class:`concurrent.futures.ProcessPoolExecutor` (the method must be picklable: a
module-level class, as every built-in method is); the default is serial because a
method run on a few hundred ballots takes well under a millisecond and starting
processes costs more than it saves on small elections.

A progress bar (the ``progress`` extra, tqdm; :mod:`voting._progress`, as for every
long read and count) is shown on stderr when it is a terminal and the run is long (at
least ``_PROGRESS_MIN_RUNS`` runs); ``progress=True`` asks for it on shorter runs too,
``progress=False`` never shows it.
"""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from voting._progress import Bar, check_progress, progress_bar
from voting._seed import Seed, as_seed_sequence
from voting.analysis._common import check_profile
from voting.analysis._resolve import Resolver, enumerate_exact, joint_count, structure
from voting.analysis._stats import wilson_interval
from voting.exceptions import InvalidParameterError, VotingError
from voting.methods import Method
from voting.profile import Profile
from voting.render import Record, text_table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["ElectionChance", "OutcomeShare", "TieSensitivity", "tie_sensitivity"]


_BLOCK = 32
"""Samples per independently seeded block (fixed, so results do not depend on workers)."""
_PROGRESS_MIN_RUNS = 200


# --------------------------------------------------------------------- report
@dataclass(frozen=True, slots=True)
class ElectionChance:
    """One candidate's probability of being elected once ballot ties are resolved.

    Attributes
    ----------
    candidate : str
    probability : float
    low, high : float
        Wilson score interval at the report's confidence (equal to ``probability``
        when exact).
    count : int
        Runs that elected the candidate.
    exact : Fraction or None
        The exact probability, when every resolution was enumerated.
    """

    candidate: str
    probability: float
    low: float
    high: float
    count: int
    exact: Fraction | None


@dataclass(frozen=True, slots=True)
class OutcomeShare:
    """One distinct outcome (the set of elected candidates) and how often it occurred.

    Attributes
    ----------
    elected : tuple of str
        The elected candidates, in profile order (the order of election is ignored).
    probability, low, high, count, exact
        As in :class:`ElectionChance`.
    """

    elected: tuple[str, ...]
    probability: float
    low: float
    high: float
    count: int
    exact: Fraction | None


@dataclass(frozen=True)
class TieSensitivity(Record):
    """The result of :func:`tie_sensitivity`.

    Renders as tables (:meth:`to_text`), JSON-ready data (:meth:`to_dict`: the
    fields; exact probabilities as strings such as ``"1/3"``) and a bar chart
    (:meth:`plot`).

    Attributes
    ----------
    method : str
        The method's name.
    candidates : tuple of str
    num_voters : int
    tied_voters : int
        Voters whose ballot ties two or more ranked candidates.
    exact : bool
        True when every joint resolution was enumerated.
    runs : int
        Method runs: samples drawn, or joint resolutions enumerated.
    log10_resolutions : float
        ``log10 J``, the number of distinguishable joint resolutions (see the module
        notes; 0 when no ballot has a tie).
    confidence : float
        Level of the Wilson intervals.
    seed : int or None
        The seed, when it was an int.
    chances : tuple of ElectionChance
        Every candidate, most likely elected first (then profile order).
    outcomes : tuple of OutcomeShare
        Distinct outcomes, most frequent first (then profile order of the names).
    method_tie_breaks : int
        Runs in which the method itself broke a tie (its own ``tie_break``).
    as_cast : tuple of str or None
        Elected by the method on the ballots as cast (ties kept), in profile order;
        None when the method refuses tied ballots.
    """

    method: str
    candidates: tuple[str, ...]
    num_voters: int
    tied_voters: int
    exact: bool
    runs: int
    log10_resolutions: float
    confidence: float
    seed: int | None
    chances: tuple[ElectionChance, ...]
    outcomes: tuple[OutcomeShare, ...]
    method_tie_breaks: int
    as_cast: tuple[str, ...] | None

    def probability(self, candidate: str) -> float:
        """Probability that ``candidate`` is elected."""
        for ch in self.chances:
            if ch.candidate == candidate:
                return ch.probability
        raise KeyError(candidate)

    def to_text(self) -> str:
        """Per-candidate probabilities with intervals, then the distinct outcomes."""
        how = (
            f"exact over {self.runs} joint resolutions"
            if self.exact
            else f"{self.runs} random resolutions, {100 * self.confidence:g}% Wilson intervals"
        )
        lines = [
            f"Tie sensitivity of {self.method}: {self.tied_voters} of {self.num_voters} voters "
            f"tie some candidates; {how}."
        ]
        if self.as_cast is not None:
            lines.append(f"As cast (ties kept): elected {', '.join(self.as_cast)}.")
        last = "exact" if self.exact else "runs"
        rows = [[ch.candidate, *self._cells(ch)] for ch in self.chances]
        lines.append(text_table(["candidate", "P(elected)", "interval", last], rows, "<>>>"))
        lines.append("")
        rows = [[", ".join(o.elected), *self._cells(o)] for o in self.outcomes]
        lines.append(text_table(["elected", "share", "interval", last], rows, "<>>>"))
        if self.method_tie_breaks:
            lines.append(
                f"The method's own tie-break decided something in {self.method_tie_breaks} "
                f"of {self.runs} runs."
            )
        return "\n".join(lines)

    def _cells(self, share: ElectionChance | OutcomeShare) -> list[str]:
        """Probability, interval and exact value (or runs) of one table row."""
        return [
            f"{share.probability:.3f}",
            "exact" if self.exact else f"[{share.low:.3f}, {share.high:.3f}]",
            str(share.exact) if share.exact is not None else str(share.count),
        ]

    def plot(
        self,
        *,
        ax: Axes | None = None,
        path: str | os.PathLike[str] | None = None,
        title: str | None = None,
        dpi: int = 150,
    ) -> Figure:
        """Bar chart with intervals (``plot`` extra).

        See :func:`voting.analysis.plot.plot_tie_sensitivity`.
        """
        from voting.analysis.plot import plot_tie_sensitivity

        return plot_tie_sensitivity(self, ax=ax, path=path, title=title, dpi=dpi)


# ------------------------------------------------------------------ running
def _elected_key(result: Any, index: dict[str, int]) -> tuple[int, ...]:
    return tuple(sorted(index[name] for name in result.elected))


def _run_block(
    method: Method[Any], resolver: Resolver, seq: np.random.SeedSequence, n: int
) -> list[tuple[tuple[int, ...], bool]]:
    rng = np.random.default_rng(seq)
    index = {name: i for i, name in enumerate(resolver.candidates)}
    out = []
    for _ in range(n):
        result = method.run(resolver.sample(rng))
        out.append((_elected_key(result, index), bool(result.ties_broken)))
    return out


@dataclass(frozen=True, slots=True)
class _Runs:
    """What the runs found: how often each outcome came, its exact probability
    (enumeration only), and in how many runs the method broke a tie itself."""

    counts: Counter[tuple[int, ...]]
    probs: dict[tuple[int, ...], Fraction] | None
    breaks: int


def _enumerate(method: Method[Any], compressed: Profile, index: dict[str, int], bar: Bar) -> _Runs:
    """Run ``method`` on every joint resolution of the ties, with its probability."""
    probs: dict[tuple[int, ...], Fraction] = {}
    counts: Counter[tuple[int, ...]] = Counter()
    breaks = 0
    for resolved, prob in enumerate_exact(compressed):
        result = method.run(resolved)
        key = _elected_key(result, index)
        probs[key] = probs.get(key, Fraction(0)) + prob
        counts[key] += 1
        breaks += bool(result.ties_broken)
        bar.advance(1)
    return _Runs(counts, probs, breaks)


def _sample(
    method: Method[Any],
    resolver: Resolver,
    seq: np.random.SeedSequence,
    samples: int,
    workers: int,
    bar: Bar,
) -> _Runs:
    """Run ``method`` on ``samples`` random resolutions, in blocks seeded from ``seq``."""
    n_blocks = -(-samples // _BLOCK)
    children = seq.spawn(n_blocks)
    sizes = [min(_BLOCK, samples - i * _BLOCK) for i in range(n_blocks)]
    results: list[list[tuple[tuple[int, ...], bool]]] = [[] for _ in range(n_blocks)]
    if workers == 1:
        for i in range(n_blocks):
            results[i] = _run_block(method, resolver, children[i], sizes[i])
            bar.advance(sizes[i])
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(_run_block, method, resolver, children[i], sizes[i])
                for i in range(n_blocks)
            ]
            for i, fut in enumerate(futures):
                results[i] = fut.result()
                bar.advance(sizes[i])
    counts = Counter(key for block in results for key, _ in block)
    breaks = sum(b for block in results for _, b in block)
    return _Runs(counts, None, breaks)


def _as_cast(
    method: Method[Any], profile: Profile, index: dict[str, int]
) -> tuple[str, ...] | None:
    """Elected on the ballots as cast, in profile order; None if the method refuses them."""
    try:
        result = method.run(profile)
    except VotingError:
        return None
    return tuple(profile.candidates[i] for i in _elected_key(result, index))


def _check_int(name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise InvalidParameterError(f"{name} must be an int >= {low}, got {value!r}.")
    return int(value)


def _check_arguments(
    method: object,
    profile: object,
    counts: dict[str, int],
    confidence: object,
    exact: object,
    progress: object,
) -> Profile:
    """Validate the arguments of :func:`tie_sensitivity` (``counts``: the int ones,
    each at least 1); return the profile."""
    if not callable(getattr(method, "run", None)):
        raise InvalidParameterError(
            f"method must be a voting method with a run(profile) method, got {method!r}."
        )
    checked = check_profile(profile, "tie_sensitivity")
    for name, value in counts.items():
        _check_int(name, value, 1)
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, float | int)
        or not (0.0 < confidence < 1.0)
    ):
        raise InvalidParameterError(f"confidence must be in (0, 1), got {confidence!r}.")
    if exact is not None and not isinstance(exact, bool):
        raise InvalidParameterError(f"exact must be True, False or None, got {exact!r}.")
    if progress is not None:
        check_progress(progress, "tie_sensitivity()")
    return checked


def tie_sensitivity(
    method: Method[Any],
    profile: Profile,
    *,
    samples: int = 1000,
    seed: Seed = 0,
    confidence: float = 0.95,
    exact: bool | None = None,
    max_exact: int = 1000,
    workers: int = 1,
    progress: bool | None = None,
) -> TieSensitivity:
    """How often each candidate is elected when the ballots' ties are resolved at random.

    Parameters
    ----------
    method : Method
        Any voting method (its ``run`` must accept strict, possibly truncated
        ballots); it is assumed anonymous (weights count as repeated ballots).
    profile : Profile
    samples : int, default 1000
        Random resolutions to draw when not enumerating.
    seed : int, numpy SeedSequence or Generator, default 0
        The only source of randomness: same profile, method and seed, same report.
    confidence : float, default 0.95
        Level of the Wilson intervals.
    exact : bool, optional
        Force exact enumeration (True; an error if there are more than
        ``max_exact`` joint resolutions) or sampling (False). Default: exact when
        there are at most ``max_exact`` joint resolutions.
    max_exact : int, default 1000
        Most joint resolutions (method runs) to enumerate.
    workers : int, default 1
        Processes to spread the samples over; the report does not depend on it.
    progress : bool, optional
        Show a progress bar on stderr when it is a terminal (the ``progress`` extra,
        tqdm; as ``progress=`` of :func:`voting.read_ballots`). Default: only when
        there are at least 200 runs.

    Returns
    -------
    TieSensitivity
        Each candidate's probability of being elected (Wilson interval, or exact
        fraction), the distinct outcomes with their frequencies, and what the method
        elects on the ballots as cast.

    Raises
    ------
    InvalidParameterError
        Bad ``samples``, ``seed``, ``confidence``, ``max_exact``, ``workers`` or
        ``progress``; ``exact=True`` with more than ``max_exact`` joint resolutions;
        ``method`` has no ``run``.
    EmptyProfileError
        The profile has no voters.

    Notes
    -----
    See :mod:`voting.analysis.sensitivity` for the resolution model, the exact
    enumeration and its threshold. Runtime complexity: ``runs`` method runs, each on
    a profile of at most (distinct ballots + tied voters) rows, plus O(C²) per
    expanded tied voter per run to resolve the ties; setup O(V·C + V log V) to merge
    identical ballots. A few seconds per run at a million tied voters and 12
    candidates (measured on a shared 2-core machine).

    Examples
    --------
    >>> from voting import Profile
    >>> from voting.methods.schulze import Schulze
    >>> p = Profile.from_rankings([[("A", "B"), "C"], ["A", "C", "B"], ["B", "A", "C"]])
    >>> r = tie_sensitivity(Schulze(), p)
    >>> r.exact, r.runs, r.probability("A"), r.probability("B")
    (True, 2, 0.5, 0.5)
    """
    counts = {"samples": samples, "max_exact": max_exact, "workers": workers}
    profile = _check_arguments(method, profile, counts, confidence, exact, progress)
    samples, max_exact, workers = int(samples), int(max_exact), int(workers)
    seq = as_seed_sequence(seed)
    compressed = profile.compress()
    name = str(getattr(method, "name", type(method).__name__))
    shape = structure(compressed)
    joint, log10_j = joint_count(compressed, max_exact, shape)
    if exact is True and joint is None:
        raise InvalidParameterError(
            f"exact=True but the profile has about 10^{log10_j:.1f} joint resolutions of its "
            f"ties, more than max_exact={max_exact}; sample instead (exact=None or False) or "
            "raise max_exact."
        )
    use_exact = joint is not None and exact is not False
    index = {n: i for i, n in enumerate(profile.candidates)}
    runs = joint if use_exact and joint is not None else samples
    show = progress if progress is not None else runs >= _PROGRESS_MIN_RUNS
    desc = f"tie_sensitivity({name})"
    with progress_bar(show, total=runs, unit=" runs", desc=desc, scaled=False) as bar:
        if use_exact:
            found = _enumerate(method, compressed, index, bar)
        else:
            resolver = Resolver.build(compressed, shape)
            found = _sample(method, resolver, seq, samples, workers, bar)
    return _report(
        name, profile, int(np.asarray(compressed.weights)[shape[0]].sum()), use_exact, runs,
        log10_j, confidence, int(seed) if isinstance(seed, int | np.integer) else None,
        found, _as_cast(method, profile, index),
    )  # fmt: skip


def _report(
    name: str,
    profile: Profile,
    tied: int,
    exact: bool,
    runs: int,
    log10_j: float,
    confidence: float,
    seed: int | None,
    found: _Runs,
    as_cast: tuple[str, ...] | None,
) -> TieSensitivity:
    counts, probs = found.counts, found.probs
    cands = profile.candidates
    n_c = len(cands)
    cand_count = [0] * n_c
    cand_exact = [Fraction(0)] * n_c
    for key, k in counts.items():
        for i in key:
            cand_count[i] += k
            if probs is not None:
                cand_exact[i] += probs[key]

    def share(k: int, fr: Fraction | None) -> tuple[float, float, float]:
        if fr is not None:
            p = float(fr)
            return p, p, p
        lo, hi = wilson_interval(k, runs, confidence)
        return k / runs, lo, hi

    chances = []
    for i, name_i in enumerate(cands):
        fr = cand_exact[i] if probs is not None else None
        p, lo, hi = share(cand_count[i], fr)
        chances.append(ElectionChance(name_i, p, lo, hi, cand_count[i], fr))
    chances.sort(key=lambda ch: (-ch.probability, cands.index(ch.candidate)))
    outcomes = []
    for key, k in counts.items():
        fr = probs[key] if probs is not None else None
        p, lo, hi = share(k, fr)
        outcomes.append(OutcomeShare(tuple(cands[i] for i in key), p, lo, hi, k, fr))
    outcomes.sort(key=lambda o: (-o.probability, [cands.index(c) for c in o.elected]))
    return TieSensitivity(
        method=name,
        candidates=cands,
        num_voters=profile.num_voters,
        tied_voters=tied,
        exact=exact,
        runs=runs,
        log10_resolutions=log10_j,
        confidence=float(confidence),
        seed=seed,
        chances=tuple(chances),
        outcomes=tuple(outcomes),
        method_tie_breaks=found.breaks,
        as_cast=as_cast,
    )
