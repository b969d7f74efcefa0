"""The Debian vote: quorum, supermajorities and the default option, then Schulze.

Definition (Constitution for the Debian Project, appendix A.6 "Vote Counting",
versions 1.1 of June 2003 to 1.7 of 2016, read for this module; versions 1.8 and
1.9 of 2022 rewrote appendix A and were not checked against it;
https://www.debian.org/devel/constitution).

1. Each ballot ranks the options; ranked options are preferred to unranked ones,
   which are ranked equally with one another (``unranked="last"``).
2. If the ballot has a quorum requirement ``R``, any option other than the default
   option that does not receive at least ``R`` votes ranking it above the default
   option is dropped.
3. Any (non-default) option that does not defeat the default option ``D`` by its
   required majority ratio ``N`` is dropped. ``V(A, B)`` is the number of voters who
   prefer ``A`` to ``B``. Versions 1.1 to 1.5: ``A`` defeats ``D`` by ratio ``N`` if
   ``V(A, D) > N * V(D, A)``. Since version 1.6 (December 2015, the "TC
   supermajority fix" GR, which found the strict inequality to be an unintended
   fence-post error): if ``V(A, D) >= N * V(D, A)`` and ``V(A, D) > V(D, A)``. An
   option needing a supermajority of ``S:1`` has ``N = S``, every other ``N = 1``.
4. Among the remaining options (the default included) the winner is chosen by
   Cloneproof Schwartz Sequential Dropping with winning votes (a defeat ``(A, X)``
   is weaker than ``(B, Y)`` if ``V(A, X) < V(B, Y)``, or if they are equal and
   ``V(X, A) > V(Y, B)``). Its winners are those of the Schulze method with the
   ``"winning"`` strength measure (Schulze 2011, section 4.1), which this module
   runs; several winners are a tie the elector with the casting vote decides
   (here: ``tie_break``, recorded).

The parameters, and where the tally sheet states them
------------------------------------------------------
* The default option: ``default_option``, or the option named "Further Discussion"
  or "None of the above" (any case, after a "Choice N:" prefix), as on every
  ballot since 1999; failing both, the last option, where every Debian ballot puts
  it (the explanation says which rule applied). The default option is special by
  definition, so this method is not neutral: reordering the options of a ballot
  with no named default changes which one it is.
* Majority requirements: Debian's tally sheets mark options needing a
  supermajority in their name (``[3:1]``, ``[3:1 majority needed]``,
  ``[needs 3:1]``, ``[needs 1:1]``); those marks are read. ``majority`` adds
  requirements the sheet does not state: a ratio (``"3:1"``) for every unmarked
  non-default option, or a mapping from option names to ratios (which overrides
  the marks).
* Quorum: ``quorum`` (``R``, votes; ``3Q`` for a general resolution and a
  leader election, with ``Q`` half the square root of the number of developers,
  constitution 4.2(7)). The tally sheet does not state it (Debian's results page
  does); without it no option is dropped for quorum, and the explanation says so.

Known deviations from the official rules
----------------------------------------
* Votes counted before June 2003 (constitution 1.0: 2002 and 2003 leader
  elections, the 2003 vote on this very procedure) used an earlier procedure; no
  option was dropped in them and their official winners are reproduced.
* devotee, Debian's counting program, printed its supermajority comparison as
  ``ratio <= N`` (drop) in 2004-2005 but ``ratio < N`` from 2006, while the
  constitution said "strictly greater" until version 1.6; no published vote has a
  ratio exactly equal to its ``N``, so this changes no official result. This module
  follows the constitution's text of the ``constitution`` version chosen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, Literal, get_args

from voting._params import Constraints, InstanceOf, Number, OneOf, OrNone
from voting.exceptions import InvalidParameterError, InvalidProfileError
from voting.methods._base import TIE_BREAK, MethodBase, MethodTags
from voting.methods.schulze import Schulze, SchulzeExplanation
from voting.profile import Profile
from voting.render import Explanation, json_ready
from voting.results import Result, committee_from_ranking
from voting.ties import CandidateOrder, TieBreak

__all__ = ["Constitution", "Debian", "DebianExplanation", "DroppedOption", "parse_ratio"]

Constitution = Literal["1.6", "1.1"]
"""Which text of A.6(3) to apply: ``"1.6"`` (since December 2015, ``>=``) or
``"1.1"`` (June 2003 to December 2015, strictly greater)."""

CONSTITUTIONS: tuple[Constitution, ...] = get_args(Constitution)

_DEFAULT_NAMES = ("further discussion", "none of the above")
_PREFIX = re.compile(r"^\s*choice\s+\d+\s*:\s*", re.I)
_DECORATION = re.compile(r"[\s|/]+$")
_MARK = re.compile(r"\[\s*(?:needs\s+)?(\d+)\s*:\s*(\d+)(?:\s+majority\s+needed)?\s*\]", re.I)
_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?::\s*(\d+(?:\.\d+)?))?\s*$")


def parse_ratio(text: str | int | float | Fraction) -> Fraction:
    """A majority ratio: ``"3:1"``, ``"3"``, ``3`` or ``Fraction(3)``, exactly.

    Raises
    ------
    InvalidParameterError
        Not a ratio, or one below 1.
    """
    if isinstance(text, bool):
        raise InvalidParameterError(f"majority ratio {text!r} is not a number.")
    if isinstance(text, int | Fraction):
        value = Fraction(text)
    elif isinstance(text, float):
        value = Fraction(str(text))
    else:
        m = _RATIO.match(str(text))
        if m is None:
            raise InvalidParameterError(
                f"majority ratio {text!r} is not a ratio; write it as '3:1' (or 3)."
            )
        value = Fraction(m.group(1)) / Fraction(m.group(2) or 1)
    if value < 1:
        raise InvalidParameterError(
            f"majority ratio {text!r} is below 1:1; a required majority is at least 1:1."
        )
    return value


def _ratio_text(n: Fraction) -> str:
    return f"{n.numerator}:{n.denominator}"


def _bare(name: str) -> str:
    return _DECORATION.sub("", _PREFIX.sub("", name)).strip().lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class DroppedOption:
    """An option dropped before the Schulze count, and the numbers that dropped it.

    Attributes
    ----------
    option : str
    rule : {"quorum", "majority"}
    votes_for : int
        ``V(A, D)``: voters ranking the option above the default option.
    votes_against : int
        ``V(D, A)``.
    required : Fraction
        The quorum ``R`` (rule ``"quorum"``) or the majority ratio ``N``.
    """

    option: str
    rule: Literal["quorum", "majority"]
    votes_for: int
    votes_against: int
    required: Fraction

    def __str__(self) -> str:
        if self.rule == "quorum":
            return (
                f"{self.option!r}: {self.votes_for} voters rank it above the default option, "
                f"fewer than the quorum {float(self.required):.3f} (A.6(2))"
            )
        ratio = "inf" if self.votes_against == 0 else f"{self.votes_for / self.votes_against:.3f}"
        return (
            f"{self.option!r}: {ratio} ({self.votes_for}/{self.votes_against}) over the "
            f"default option, short of its required {_ratio_text(self.required)} majority "
            "(A.6(3))"
        )


@dataclass(frozen=True, eq=False, kw_only=True)
class DebianExplanation(Explanation):
    """How a Debian vote was counted.

    ``to_text()`` follows the constitution's steps; ``to_dict()`` gives the fields
    (``majorities`` as ``{"option", "required", "source"}`` records, ratios exact,
    ``schulze`` as the Schulze result's own ``to_dict()``); :meth:`notices` the default
    option, the quorum and the options dropped.

    Attributes
    ----------
    default_option : str
    default_source : str
        Where the default option came from.
    constitution : str
        The version of A.6(3) applied.
    quorum : Fraction or None
        ``R``; None when no quorum was given (no option dropped for quorum).
    majorities : tuple of (str, Fraction, str)
        Each non-default option's required ratio and where it came from.
    dropped : tuple of DroppedOption
    remaining : tuple of str
        The options counted by Schulze (the default option included).
    schulze : Result
        The Schulze count of the remaining options.
    """

    default_option: str
    default_source: str
    constitution: str
    quorum: Fraction | None
    majorities: tuple[tuple[str, Fraction, str], ...]
    dropped: tuple[DroppedOption, ...]
    remaining: tuple[str, ...]
    schulze: Result[SchulzeExplanation]

    def to_text(self) -> str:
        """The count as lines of text, in the order of the constitution's steps."""
        lines = [
            f"Debian constitution {self.constitution}, A.6 (unranked options rank below "
            "ranked ones)",
            f"Default option: {self.default_option!r} ({self.default_source})",
        ]
        if self.quorum is None:
            lines.append("Quorum: none given, no option dropped for quorum (A.6(2))")
        else:
            lines.append(f"Quorum: {float(self.quorum):.3f} votes above the default option")
        for option, n, source in self.majorities:
            lines.append(f"Majority required of {option!r}: {_ratio_text(n)} ({source})")
        if self.dropped:
            lines.extend(f"Dropped {d}" for d in self.dropped)
        else:
            lines.append("No option dropped.")
        lines.append(
            "Schulze (winning votes) among the remaining options: " + ", ".join(self.remaining)
        )
        lines.append("Winners: " + ", ".join(self.schulze.winners))
        return "\n".join(lines)

    def notices(self) -> tuple[str, ...]:
        """The default option, the quorum (when none was given) and every option dropped."""
        lines = [f"Default option: {self.default_option} ({self.default_source})"]
        if self.quorum is None:
            lines.append("Quorum: none given (--option quorum=R to apply one)")
        lines += [f"Dropped {d}" for d in self.dropped] or ["No option dropped."]
        return tuple(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``majorities`` as records."""
        return self.fields_dict(
            majorities=[
                {"option": o, "required": json_ready(n), "source": src}
                for o, n, src in self.majorities
            ]
        )


@dataclass(frozen=True, kw_only=True)
class Debian(MethodBase):
    """The Debian Project's vote count (constitution A.6): drops, then Schulze.

    Parameters
    ----------
    default_option : str, optional
        The default option ("Further Discussion", "None of the above"); default:
        found by name.
    majority : str or mapping of str to ratio, optional
        Majority requirements the option names do not state: a ratio such as
        ``"3:1"`` for every unmarked non-default option, or ``{option: ratio}``
        (overriding the marks). Default: the marks only, 1:1 elsewhere.
    quorum : int, float or Fraction, optional
        The quorum ``R`` (votes ranking an option above the default option).
        Default: none.
    constitution : {"1.6", "1.1"}, default "1.6"
        Which text of A.6(3) to apply (see the module docstring).
    tie_break : TieBreak, default CandidateOrder()
        Stands in for the casting vote among several winners; recorded.

    Notes
    -----
    See the module docstring for the definition, and where the tally sheet states
    each parameter. The ballots are counted with unranked options below ranked
    ones (A.6(1)) whatever the profile's ``unranked`` policy. The result's ranking
    is the Schulze ranking of the remaining options, then the dropped ones (in
    their own Schulze order). Runtime complexity: O(V·C²) for the pairwise counts,
    O(C³) for Schulze.

    References
    ----------
    .. [1] Constitution for the Debian Project, appendix A.6 (v1.1 of 2003 to v1.7
       of 2016), https://www.debian.org/devel/constitution ; A.3(2)-(3) (default
       option, 1:1 unless stated), 4.2(4) and 4.2(7) (quorum 3Q, Q = sqrt(developers)/2).
    .. [2] M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
       Condorcet-consistent single-winner election method", Social Choice and
       Welfare 36(2):267-303, 2011 (Schwartz sequential dropping = Schulze).

    Examples
    --------
    >>> from voting import Profile
    >>> names = ["Amend [3:1]", "Further Discussion"]
    >>> p = Profile.from_rankings([names] * 5 + [names[::-1]] * 2, candidates=names)
    >>> r = Debian().run(p)
    >>> r.winner
    'Further Discussion'
    >>> print(r.explanation.dropped[0])
    'Amend [3:1]': 2.500 (5/2) over the default option, short of its required 3:1 majority (A.6(3))
    """

    name: ClassVar[str] = "debian"
    parameter_constraints: ClassVar[Constraints] = {
        "default_option": OrNone(InstanceOf(str, "an option name"), "to find it by name"),
        "majority": OrNone(
            InstanceOf((str, Mapping), "a ratio such as '3:1' or a mapping of options to ratios")
        ),
        "quorum": OrNone(Number(low=0, note="votes")),
        "constitution": OneOf(CONSTITUTIONS),
        "tie_break": TIE_BREAK,
    }
    default_option: str | None = None
    majority: str | Mapping[str, str | int | Fraction] | None = None
    quorum: int | float | Fraction | None = None
    constitution: Constitution = "1.6"
    tie_break: TieBreak = field(default_factory=CandidateOrder)

    def check_parameters(self) -> None:
        """Parse the majority ratios (:func:`parse_ratio` says what is wrong)."""
        if isinstance(self.majority, str):
            parse_ratio(self.majority)
        elif self.majority is not None:
            for v in self.majority.values():
                parse_ratio(v)

    def tags(self) -> MethodTags:
        """Single winner; its drops can defeat a Condorcet winner, so nothing more."""
        return MethodTags(kind="single_winner")

    # ------------------------------------------------------------ parameters
    def _default(self, profile: Profile) -> tuple[str, str]:
        if self.default_option is not None:
            profile.index(self.default_option)  # raises, naming the candidates
            return self.default_option, "given"
        found = [c for c in profile.candidates if _bare(c) in _DEFAULT_NAMES]
        if len(found) == 1:
            return found[0], "by its name"
        if len(found) > 1:
            raise InvalidProfileError(
                f"debian: several options are named as a default option ({found}); pass "
                "default_option=NAME (CLI: --option default_option=NAME)."
            )
        return profile.candidates[-1], (
            "the last option, where Debian ballots put it: none is named 'Further "
            "Discussion' or 'None of the above'; pass default_option=NAME to choose"
        )

    def _majorities(self, profile: Profile, default: str) -> list[tuple[str, Fraction, str]]:
        table: Mapping[str, str | int | Fraction] = {}
        overall: Fraction | None = None
        if isinstance(self.majority, str):
            overall = parse_ratio(self.majority)
        elif self.majority is not None:
            table = self.majority
            for name in table:
                profile.index(name)
        out = []
        for c in profile.candidates:
            if c == default:
                continue
            mark = _MARK.search(c)
            if c in table:
                out.append((c, parse_ratio(table[c]), "given"))
            elif mark is not None:
                n = Fraction(int(mark.group(1)), int(mark.group(2)))
                out.append((c, parse_ratio(n), f"{mark.group(0)} in its name"))
            elif overall is not None:
                out.append((c, overall, "given for every unmarked option"))
            else:
                out.append((c, Fraction(1), "no requirement stated: 1:1 (A.3(2))"))
        return out

    # ----------------------------------------------------------------- count
    def run(self, profile: Profile, /) -> Result[DebianExplanation]:
        """Drop the options A.6(2)-(3) drop, then count the rest with Schulze.

        Raises
        ------
        InvalidProfileError
            Not a profile, no ballots, or several options named as the default.
        """
        profile = self.check_profile(profile)
        counted = profile.with_unranked("last") if profile.unranked != "last" else profile
        default, source = self._default(counted)
        d = counted.index(default)
        v = counted.pairwise.support
        quorum = None if self.quorum is None else Fraction(str(self.quorum))
        majorities = self._majorities(counted, default)
        dropped: list[DroppedOption] = []
        for option, n, _ in majorities:
            a = counted.index(option)
            for_, against = int(v[a, d]), int(v[d, a])
            if quorum is not None and for_ < quorum:
                dropped.append(
                    DroppedOption(
                        option=option,
                        rule="quorum",
                        votes_for=for_,
                        votes_against=against,
                        required=quorum,
                    )
                )
            elif not self._defeats_default(for_, against, n):
                dropped.append(
                    DroppedOption(
                        option=option,
                        rule="majority",
                        votes_for=for_,
                        votes_against=against,
                        required=n,
                    )
                )
        gone = {x.option for x in dropped}
        remaining = tuple(c for c in counted.candidates if c not in gone)
        schulze = Schulze(tie_break=self.tie_break)
        kept = schulze.run(counted.restrict(remaining))
        tiers = [[counted.index(c) for c in tier] for tier in kept.ranking]
        if gone:
            rest = schulze.run(counted.restrict([c for c in counted.candidates if c in gone]))
            tiers += [[counted.index(c) for c in tier] for tier in rest.ranking]
        explanation = DebianExplanation(
            default_option=default,
            default_source=source,
            constitution=self.constitution,
            quorum=quorum,
            majorities=tuple(majorities),
            dropped=tuple(dropped),
            remaining=remaining,
            schulze=kept,
        )
        return committee_from_ranking(
            self.name, counted.candidates, tiers, 1, self.tie_break, explanation
        )

    def _defeats_default(self, for_: int, against: int, n: Fraction) -> bool:
        """A.6(3)(2): does an option with ``V(A,D) = for_``, ``V(D,A) = against`` pass?"""
        if self.constitution == "1.1":
            return for_ > n * against
        return for_ >= n * against and for_ > against
