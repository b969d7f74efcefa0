"""The round-by-round sheet of a transfer count (STV, IRV, US RCV), in one shape.

A sheet lists, for every round, each candidate's votes and state, the non-transferable
(exhausted) votes, the quota or threshold, who was elected or excluded, and the *flows*
of the round: which candidates' votes moved where. Every number is an exact string: a
fixed-point rule's numbers with its decimals (``"12.50000"``), an exact rational count's
as ``"25/3"`` where it is not whole.

Flows come from the count's own record. RCTab records each transfer by its source
candidate; an STV round records each candidate's net change, so where several
candidates give votes in one round (a Meek iteration, a bulk exclusion), the flow is
recorded from all of them together (``"from": ["A", "B"]``), never split by a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

__all__ = ["exact_text", "irv_sheet", "stv_sheet", "transfer_flows"]

EXHAUSTED = "exhausted"
LOSS = "loss to rounding"


def exact_text(value: Fraction | int, decimals: int | None = None) -> str:
    """``value`` exactly: with ``decimals`` places where that is exact, else ``"p/q"``.

    >>> exact_text(Fraction(5, 2), 5), exact_text(Fraction(25, 3)), exact_text(Fraction(4))
    ('2.50000', '25/3', '4')
    """
    x = Fraction(value)
    if decimals is not None and (x * 10**decimals).denominator == 1:
        scaled = int(x * 10**decimals)
        sign = "-" if scaled < 0 else ""
        whole, frac = divmod(abs(scaled), 10**decimals)
        return f"{sign}{whole}" + (f".{frac:0{decimals}d}" if decimals else "")
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x.numerator}/{x.denominator}"


def transfer_flows(
    changes: Mapping[str, Fraction], decimals: int | None = None
) -> list[dict[str, Any]]:
    """The flows of one round from each node's net change (candidates, exhausted, loss).

    The nodes that lost votes give together to each node that gained: one flow per
    gaining node, ``{"from": [losers], "to": gainer, "votes": exact}``.
    """
    sources = [n for n, d in changes.items() if d < 0]
    if not sources:
        return []
    return [
        {"from": sources, "to": n, "votes": exact_text(d, decimals)}
        for n, d in changes.items()
        if d > 0
    ]


def _deltas(before: Mapping[str, Fraction], after: Mapping[str, Fraction]) -> dict[str, Fraction]:
    keys = list(dict.fromkeys([*before, *after]))
    return {k: after.get(k, Fraction(0)) - before.get(k, Fraction(0)) for k in keys}


def stv_sheet(explanation: Any, order: Sequence[str]) -> dict[str, Any]:
    """The sheet of an :class:`~voting.methods.stv.STVExplanation`, rows in ``order``
    (the result's ranking)."""
    e = explanation
    d = e.decimals
    names = list(e.candidates)
    rounds: list[dict[str, Any]] = []
    previous: dict[str, Fraction] | None = None
    for r in e.rounds:
        nodes = dict(zip(names, r.tallies, strict=True))
        nodes[EXHAUSTED] = r.exhausted
        nodes[LOSS] = r.loss
        flows = [] if previous is None else transfer_flows(_deltas(previous, nodes), d)
        previous = nodes
        rounds.append(
            {
                "label": r.label,
                "action": r.action,
                "description": r.description,
                "tallies": {n: exact_text(t, d) for n, t in zip(names, r.tallies, strict=True)},
                "status": dict(zip(names, r.status, strict=True)),
                "exhausted": exact_text(r.exhausted, d),
                "other": {LOSS: exact_text(r.loss, d), "total": exact_text(r.total, d)},
                "threshold": exact_text(r.quota, d),
                "elected": list(r.elected),
                "excluded": list(r.excluded),
                "ties": [str(t) for t in r.ties],
                "flows": flows,
            }
        )
    return {
        "kind": "stv",
        "title": f"STV count ({e.rule}), {e.seats} seat(s), quota {e.quota_name}",
        "threshold_name": "quota",
        "candidates": list(order),
        "other_rows": [LOSS, "total"],
        "valid_votes": int(e.valid_votes),
        "invalid_votes": int(e.invalid_votes),
        "notes": list(e.notes),
        "rounds": rounds,
    }


def irv_sheet(explanation: Any, candidates: Sequence[str], winner: str) -> dict[str, Any]:
    """The sheet of an :class:`~voting.methods.irv.IRVExplanation` (rounds of eliminations),
    rows in the order of ``candidates`` (the result's ranking)."""
    rounds: list[dict[str, Any]] = []
    out: list[str] = []
    previous: dict[str, Fraction] | None = None
    for k, r in enumerate(explanation.rounds, 1):
        tallies = {n: Fraction(t) for n, t in r.tallies}
        nodes = {n: tallies.get(n, Fraction(0)) for n in candidates}
        nodes[EXHAUSTED] = Fraction(r.exhausted)
        flows = [] if previous is None else transfer_flows(_deltas(previous, nodes))
        previous = nodes
        last = k == len(explanation.rounds)
        status = {n: "excluded" if n in (*out, r.eliminated) else "hopeful" for n in candidates}
        if last:
            status[winner] = "elected"
        rounds.append(
            {
                "label": f"R{k}",
                "action": "exclusion",
                "description": f"{r.eliminated} eliminated with the fewest votes "
                f"({exact_text(tallies[r.eliminated])})",
                "tallies": {n: exact_text(t) for n, t in tallies.items()},
                "status": status,
                "exhausted": str(int(r.exhausted)),
                "other": {},
                "threshold": None,
                "elected": [winner] if last else [],
                "excluded": [r.eliminated],
                "ties": [],
                "flows": flows,
            }
        )
        out.append(r.eliminated)
    return {
        "kind": "irv",
        "title": "Instant-runoff count",
        "threshold_name": None,
        "candidates": list(candidates),
        "other_rows": [],
        "notes": [],
        "rounds": rounds,
    }
