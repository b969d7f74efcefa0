"""The round-by-round sheet of a transfer count (STV, IRV, US RCV), in one shape.

A sheet lists, for every round, each candidate's votes and state, the non-transferable
(exhausted) votes, the quota or threshold, who was elected or excluded, and the *flows*
of the round: which candidates' votes moved where. It is read from the method's part of
the report, the explanation's ``to_dict()`` (:mod:`voting.render`), so every number is
that exact string (``"12.5"``, ``"25/3"``); ``decimals`` is the rule's number of decimal
places, for display.

Flows come from the count's own record. RCTab records each transfer by its source
candidate; an STV round records each candidate's net change, so where several
candidates give votes in one round (a Meek iteration, a bulk exclusion), the flow is
recorded from all of them together (``"from": ["A", "B"]``), never split by a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from voting.render import exact_text

__all__ = ["irv_sheet", "stv_sheet", "transfer_flows"]

EXHAUSTED = "exhausted"
LOSS = "loss to rounding"


def transfer_flows(changes: Mapping[str, Fraction]) -> list[dict[str, Any]]:
    """The flows of one round from each node's net change (candidates, exhausted, loss).

    The nodes that lost votes give together to each node that gained: one flow per
    gaining node, ``{"from": [losers], "to": gainer, "votes": exact}``.

    >>> transfer_flows({"A": Fraction(-3), "B": Fraction(2), "exhausted": Fraction(1)})
    [{'from': ['A'], 'to': 'B', 'votes': '2'}, {'from': ['A'], 'to': 'exhausted', 'votes': '1'}]
    """
    sources = [n for n, d in changes.items() if d < 0]
    if not sources:
        return []
    return [{"from": sources, "to": n, "votes": exact_text(d)} for n, d in changes.items() if d > 0]


def _deltas(before: Mapping[str, Fraction], after: Mapping[str, Fraction]) -> dict[str, Fraction]:
    keys = list(dict.fromkeys([*before, *after]))
    return {k: after.get(k, Fraction(0)) - before.get(k, Fraction(0)) for k in keys}


def _nodes(tallies: Mapping[str, str], **more: str) -> dict[str, Fraction]:
    nodes = {n: Fraction(v) for n, v in tallies.items()}
    nodes.update({k.replace("_", " "): Fraction(v) for k, v in more.items()})
    return nodes


def stv_sheet(explanation: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """The sheet of ``STVExplanation.to_dict()``, rows in ``order`` (the result's ranking)."""
    e = explanation
    rounds: list[dict[str, Any]] = []
    previous: dict[str, Fraction] | None = None
    for r in e["rounds"]:
        nodes = _nodes(r["tallies"], exhausted=r["exhausted"], loss_to_rounding=r["loss"])
        rounds.append(
            {
                "label": r["label"],
                "action": r["action"],
                "description": r["description"],
                "tallies": dict(r["tallies"]),
                "status": dict(r["status"]),
                "exhausted": r["exhausted"],
                "other": {LOSS: r["loss"], "total": r["total"]},
                "threshold": r["quota"],
                "elected": list(r["elected"]),
                "excluded": list(r["excluded"]),
                "ties": [
                    f"{t['context']}: {', '.join(t['tied'])} tied; {t['rule']} gives "
                    f"{' > '.join(t['order'])}"
                    for t in r["ties"]
                ],
                "flows": [] if previous is None else transfer_flows(_deltas(previous, nodes)),
            }
        )
        previous = nodes
    return {
        "kind": "stv",
        "title": f"STV count ({e['rule']}), {e['seats']} seat(s), quota {e['quota_name']}",
        "threshold_name": "quota",
        "decimals": e["decimals"],
        "candidates": list(order),
        "other_rows": [LOSS, "total"],
        "notes": list(e.get("notes", [])),
        "rounds": rounds,
    }


def irv_sheet(explanation: dict[str, Any], order: Sequence[str], winner: str) -> dict[str, Any]:
    """The sheet of ``IRVExplanation.to_dict()`` (rounds of eliminations), rows in
    ``order`` (the result's ranking)."""
    rounds: list[dict[str, Any]] = []
    out: list[str] = []
    previous: dict[str, Fraction] | None = None
    last = len(explanation["rounds"])
    for k, r in enumerate(explanation["rounds"], 1):
        nodes = _nodes(r["tallies"], exhausted=str(r["exhausted"]))
        gone = r["eliminated"]
        status = {n: "excluded" if n in (*out, gone) else "hopeful" for n in order}
        if k == last:
            status[winner] = "elected"
        rounds.append(
            {
                "label": f"R{k}",
                "action": "exclusion",
                "description": f"{gone} eliminated with the fewest votes ({r['tallies'][gone]})",
                "tallies": dict(r["tallies"]),
                "status": status,
                "exhausted": str(r["exhausted"]),
                "other": {},
                "threshold": None,
                "elected": [winner] if k == last else [],
                "excluded": [gone],
                "ties": [],
                "flows": [] if previous is None else transfer_flows(_deltas(previous, nodes)),
            }
        )
        previous = nodes
        out.append(gone)
    return {
        "kind": "irv",
        "title": "Instant-runoff count",
        "threshold_name": None,
        "decimals": None,
        "candidates": list(order),
        "other_rows": [],
        "notes": [],
        "rounds": rounds,
    }
