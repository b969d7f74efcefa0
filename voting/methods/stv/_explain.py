"""Round records of an STV count and their rendering as a count sheet.

Every value is an exact :class:`~fractions.Fraction`: for the fixed-decimal rules it
has the rule's number of decimals exactly (``Fraction(123456789, 10**9)``), for the
``fractional`` rule it is any rational. :meth:`STVExplanation.to_text` renders the
count as the familiar result sheet: one row per candidate, one column per round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from voting.exceptions import VotingError
from voting.methods.stv._arith import format_value
from voting.render import Explanation, by_candidate, json_ready, sheet
from voting.ties import BrokenTie

__all__ = ["CountInvariantError", "STVExplanation", "STVRound", "Status"]

Status = Literal["hopeful", "elected", "excluded"]
Action = Literal["first preferences", "iteration", "surplus", "exclusion", "end"]


class CountInvariantError(VotingError, RuntimeError):
    """An STV count broke one of its own invariants (a bug: please report it).

    Raised when the votes of a round do not reconcile: continuing votes + elected
    votes + non-transferable votes + loss to rounding must equal the valid votes.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class STVRound:
    """One round (Meek), stage (Scottish, fractional) or sub-stage (ERS97) of a count.

    Attributes
    ----------
    number : int
        1 for the first round/stage.
    action : {"first preferences", "iteration", "surplus", "exclusion", "end"}
        What the round did: count first preferences, iterate keep factors (Meek),
        transfer a surplus, exclude candidates and transfer their papers, or finish.
    description : str
        One line in words ("Surplus of A (12.5) transferred at 0.33333").
    tallies : tuple of Fraction
        Each candidate's vote at the end of the round, in profile order.
    status : tuple of {"hopeful", "elected", "excluded"}
        Each candidate's state at the end of the round.
    quota : Fraction
    exhausted : Fraction
        Non-transferable votes so far.
    loss : Fraction
        Votes lost to rounding so far (negative if rounding up created votes, as the
        Schedule 1A arithmetic of ``meek-nz`` can).
    surplus : Fraction
        The total surplus of the elected candidates (Meek), or the surplus moved
        in this stage (Gregory).
    keep_factors : tuple of Fraction or None
        Meek's keep factors at the end of the round.
    transfer_value : Fraction or None
        Gregory: the value of a transferred paper of value one (surplus / votes).
    transfers : tuple of Fraction
        Change of each candidate's vote since the previous round.
    elected, excluded : tuple of str
        Who was elected / excluded in this round, in that order.
    iterations : int
        Meek: distributions of the votes performed in this round.
    ties : tuple of BrokenTie
        Ties broken in this round.
    stage : int or None
        The rule set's stage number, for rules that define stages of the count
        (``"ers97"``, rules 4.2, 5.2.4, 5.2.7): 1 for the first preferences, then one
        per surplus transfer and one per exclusion, however many candidates it
        excludes together and however many batches it moves. A round that is not a
        stage of the rules (the ``"end"`` round) and every round of a rule without
        numbered stages has None.
    batch : tuple of (int, int) or None
        ``(k, n)`` when the round transferred the k-th of the n value batches of an
        exclusion (ERS97 5.4.11: one column of the exclusion form); the batches of
        one exclusion share its ``stage``. None otherwise.
    """

    number: int
    action: Action
    description: str
    tallies: tuple[Fraction, ...]
    status: tuple[Status, ...]
    quota: Fraction
    exhausted: Fraction
    loss: Fraction
    surplus: Fraction = Fraction(0)
    keep_factors: tuple[Fraction, ...] | None = None
    transfer_value: Fraction | None = None
    transfers: tuple[Fraction, ...] = ()
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    iterations: int = 0
    ties: tuple[BrokenTie, ...] = ()
    stage: int | None = None
    batch: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        """The round's column label in :meth:`STVExplanation.to_text`.

        ``S{stage}``, ``S{stage}.{k}`` for the k-th of several batches of an exclusion,
        or ``R{number}`` for a round without a stage number.
        """
        if self.stage is None:
            return f"R{self.number}"
        if self.batch is None or self.batch[1] == 1:
            return f"S{self.stage}"
        return f"S{self.stage}.{self.batch[0]}"

    @property
    def total(self) -> Fraction:
        """Candidates' votes + non-transferable + loss: always the valid votes."""
        return sum(self.tallies, Fraction(0)) + self.exhausted + self.loss


@dataclass(frozen=True, slots=True, kw_only=True)
class STVExplanation(Explanation):
    """The round-by-round record of an STV count.

    ``to_text()`` is the result sheet; ``to_dict()`` gives the fields, each round's
    per-candidate values keyed by candidate and every value exact (a string such as
    ``"1234.56789"``).

    Attributes
    ----------
    rule : str
        The rule set (``"meek"``, ``"scottish"``, ...).
    quota_name : str
    seats : int
    candidates : tuple of str
    valid_votes : int
        Voters whose ballot ranks at least one candidate.
    invalid_votes : int
        Voters whose ballot ranks nobody (not counted).
    decimals : int or None
        Decimal places of the rule's fixed-point arithmetic; None for exact rationals.
    rounds : tuple of STVRound
    notes : tuple of str
        Rule-level remarks (arithmetic, tie-break rule).
    """

    rule: str
    quota_name: str
    seats: int
    candidates: tuple[str, ...]
    valid_votes: int
    invalid_votes: int
    decimals: int | None
    rounds: tuple[STVRound, ...]
    notes: tuple[str, ...] = field(default=())

    def to_text(self, *, columns: int = 6) -> str:
        """The count as a result sheet: candidates down, rounds across.

        Each round is headed by :attr:`STVRound.label`: ``S3`` (stage 3) or ``S3.2``
        (the second batch of the exclusion at stage 3) for rules with numbered stages,
        ``R5`` (round 5) otherwise and for the ``"end"`` round.

        Parameters
        ----------
        columns : int, default 6
            Rounds per block; long counts are printed as several blocks.
        """
        d = self.decimals

        def fmt(x: Fraction) -> str:
            return format_value(x, d)

        lines = [
            f"STV count ({self.rule}), {self.seats} seat(s), quota {self.quota_name}",
            f"valid votes {self.valid_votes}"
            + (f", invalid (blank) ballots {self.invalid_votes}" if self.invalid_votes else ""),
        ]
        lines.extend(self.notes)
        names = [*list(self.candidates), "Non-transferable", "Loss to rounding", "Total", "Quota"]
        mark = {"hopeful": " ", "elected": "*", "excluded": "-"}
        cells = [
            [fmt(t) + mark[s] for t, s in zip(r.tallies, r.status, strict=True)]
            + [fmt(r.exhausted), fmt(r.loss), fmt(r.total), fmt(r.quota)]
            for r in self.rounds
        ]
        lines += sheet(names, [r.label for r in self.rounds], cells, per_block=columns)
        lines.append("")
        lines.append("(* elected, - excluded)")
        for r in self.rounds:
            lines.append(f"{r.label}: {r.description}")
            if r.keep_factors is not None and any(
                k != 1 for k, s in zip(r.keep_factors, r.status, strict=True) if s == "elected"
            ):
                kfs = ", ".join(
                    f"{n} {fmt(k)}"
                    for n, k, s in zip(self.candidates, r.keep_factors, r.status, strict=True)
                    if s == "elected"
                )
                lines.append(f"    keep factors: {kfs}")
            lines.extend(f"    tie: {t}" for t in r.ties)
        return "\n".join(lines)

    def stages(self) -> tuple[STVRound, ...]:
        """The last round of each stage: the columns of the rules' result sheet.

        For rules with numbered stages (``"ers97"``) the batches of an exclusion are
        sub-stages (columns of the exclusion form, rule 5.4.11); the result sheet shows
        the stage once, after its last batch transferred. Rounds without a stage
        number (the ``"end"`` round) are left out.

        Returns
        -------
        tuple of STVRound
            One round per stage, in stage order; empty for rules without numbered
            stages (their ``rounds`` are already one per stage or iteration round).
        """
        last: dict[int, STVRound] = {}
        for r in self.rounds:
            if r.stage is not None:
                last[r.stage] = r
        return tuple(last[k] for k in sorted(last))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; each round as :func:`round_dict`."""
        return self.fields_dict(rounds=[round_dict(r, self.candidates) for r in self.rounds])


def round_dict(r: STVRound, candidates: Sequence[str]) -> dict[str, Any]:
    """One round as JSON-ready data: its fields, with ``label`` and ``total`` added and
    ``tallies``, ``status``, ``keep_factors`` and ``transfers`` as ``{candidate: value}``
    (``keep_factors`` null outside Meek, ``transfers`` empty in the first round)."""
    out: dict[str, Any] = json_ready(r)
    out.update(
        label=r.label,
        total=json_ready(r.total),
        tallies=by_candidate(candidates, r.tallies),
        status=by_candidate(candidates, r.status),
        keep_factors=None if r.keep_factors is None else by_candidate(candidates, r.keep_factors),
        transfers=by_candidate(candidates, r.transfers) if r.transfers else {},
    )
    return out


def check_reconciles(
    rule: str,
    number: int,
    tallies: Sequence[Fraction],
    exhausted: Fraction,
    loss: Fraction,
    valid: int,
) -> None:
    """Raise :class:`CountInvariantError` unless the round's votes add up to ``valid``."""
    total = sum(tallies, Fraction(0)) + exhausted + loss
    if total != valid:
        raise CountInvariantError(
            f"internal error in the {rule} count, round {number}: candidates' votes "
            f"{sum(tallies, Fraction(0))} + non-transferable {exhausted} + loss {loss} = "
            f"{total}, not the {valid} valid votes. Please report this with the ballots."
        )
