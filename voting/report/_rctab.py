"""The data of a results page for a US ranked-choice contest counted as RCTab counts it.

Built from :mod:`voting.rctab`'s own reports: each pass's ``*_detailed_report.json``
document (:func:`voting.rctab.detailed_report`) is embedded whole, and the round-by-round
sheet is read from it, number for number, with RCTab's own transfers as the flows.
"""

from __future__ import annotations

import os
import shlex
from fractions import Fraction
from typing import Any

from voting.report._inputs import describe_input

__all__ = ["rctab_report_data", "rctab_sheet"]

_INACTIVE = {
    "overvotes": "Inactive: overvotes",
    "skippedRankings": "Inactive: skipped rankings",
    "exhaustedChoices": "Inactive: exhausted choices",
    "repeatedRankings": "Inactive: repeated rankings",
    "finalRoundSurplus": "Final round surplus",
}


def _candidate_rows(results: list[dict[str, Any]]) -> list[str]:
    """Every candidate of the count, by first-round votes (most first), then name."""
    first = results[0]["tally"]
    names = list(first)
    for r in results[1:]:
        names += [n for n in r["tally"] if n not in names]
    return sorted(names, key=lambda n: (-Fraction(first.get(n, "0")), n))


def _decided(results: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """candidate -> (round, "elected" | "excluded")."""
    out: dict[str, tuple[int, str]] = {}
    for r in results:
        for action in r["tallyResults"]:
            if "elected" in action:
                out[action["elected"]] = (r["round"], "elected")
            else:
                out[action["eliminated"]] = (r["round"], "excluded")
    return out


def _status(name: str, round_number: int, decided: dict[str, tuple[int, str]]) -> str:
    when = decided.get(name)
    return when[1] if when is not None and when[0] <= round_number else "hopeful"


def _flows(previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    """RCTab's transfers out of the candidates decided in ``previous`` round."""
    if previous is None:
        return []
    flows = []
    for action in previous["tallyResults"]:
        source = action.get("elected", action.get("eliminated"))
        for to, votes in action["transfers"].items():
            flows.append({"from": [source], "to": to, "votes": votes})
    return flows


def rctab_sheet(document: dict[str, Any]) -> dict[str, Any]:
    """The round-by-round sheet of one RCTab detailed report (see :mod:`._rounds`)."""
    results = document["results"]
    names = _candidate_rows(results)
    decided = _decided(results)
    rounds = []
    for i, r in enumerate(results):
        inactive = r["inactiveBallots"]
        total_inactive = sum((Fraction(v) for v in inactive.values()), Fraction(0))
        rounds.append(
            {
                "label": f"Round {r['round']}",
                "action": "round",
                "description": "; ".join(
                    f"elected {a['elected']}" if "elected" in a else f"eliminated {a['eliminated']}"
                    for a in r["tallyResults"]
                )
                or "no candidate elected or eliminated",
                "tallies": dict(r["tally"]),
                "status": {n: _status(n, r["round"], decided) for n in names},
                "exhausted": _decimal(total_inactive),
                "other": {_INACTIVE.get(k, k): v for k, v in inactive.items()},
                "threshold": r["threshold"],
                "elected": [a["elected"] for a in r["tallyResults"] if "elected" in a],
                "excluded": [a["eliminated"] for a in r["tallyResults"] if "eliminated" in a],
                "ties": [],
                "flows": _flows(results[i - 1] if i else None),
            }
        )
    other = list(dict.fromkeys(k for r in rounds for k in r["other"]))
    return {
        "kind": "rctab",
        "title": "RCTab count",
        "threshold_name": "threshold",
        "decimals": None,
        "candidates": names,
        "other_rows": other,
        "notes": [
            "Each round's tallies are counted before its decisions; the votes of a "
            "candidate elected or eliminated in a round move in the next one."
        ],
        "rounds": rounds,
    }


def _decimal(x: Fraction) -> str:
    """A sum of RCTab's decimal strings, written back as a decimal."""
    if x.denominator == 1:
        return str(x.numerator)
    from decimal import Decimal

    return str(Decimal(x.numerator) / Decimal(x.denominator))


def _ties(tab: Any, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The decisions RCTab's tie-break made, with the candidates tied in that round."""
    by_round = {r["round"]: r for r in document["results"]}
    mode = tab.config.rules.tiebreak_mode.value
    out = []
    for number, decisions in sorted(tab.decisions.items()):
        for d in decisions:
            if not d.tie_broken:
                continue
            tally = by_round[number]["tally"]
            mine = Fraction(tally.get(d.candidate, "0"))
            tied = [n for n, v in tally.items() if Fraction(v) == mine]
            what = "elected" if d.elected else "eliminated"
            out.append(
                {
                    "tied": tied,
                    "order": [d.candidate],
                    "context": f"round {number}: {d.candidate} {what}",
                    "rule": f"RCTab tiebreakMode {mode}",
                    "decisive": None,
                }
            )
    return out


def _inputs(cfg: Any, config: str | os.PathLike[str]) -> list[dict[str, Any]]:
    files = [describe_input(config, role="configuration")]
    seen: set[str] = set()
    for source in cfg.sources:
        path = source.path
        if not path.exists() and path.with_name(path.name + ".gz").exists():
            path = path.with_name(path.name + ".gz")  # RCTab's readers take the .gz copy
        if str(path) not in seen:
            seen.add(str(path))
            entry = describe_input(path, role=f"cast vote records ({source.provider})")
            files.append(entry)
    return files


def rctab_report_data(config: str | os.PathLike[str]) -> dict[str, Any]:
    """The data of the results page of a US ranked-choice contest (see :mod:`voting.report`).

    Counts the contest of the RCTab configuration ``config`` (every pass of a multi-pass
    count) and returns the page's JSON-ready data: the contest, the inputs with their
    SHA-256, the winners, each pass's round-by-round sheet and RCTab's detailed report.

    Raises
    ------
    voting.rctab.ConfigError, voting.rctab.TabulationError
        A configuration RCTab would refuse, or a tie that needs an operator's decision.
    """
    from voting import __version__
    from voting.rctab import count_with_records, detailed_report

    tabs, cvrs = count_with_records(config, snapshots=False)  # the page shows no CVR file
    cfg = tabs[0].config
    documents = [detailed_report(t) for t in tabs]
    winners = [w for t in tabs for w in t.winners]
    summary = documents[0]["summary"]
    argv = ["voting", "rctab", str(config)]
    return {
        "schema_version": _schema_version(),
        "kind": "rctab",
        "generator": {"name": "voting", "version": __version__},
        "title": cfg.contest_name,
        "contest": {
            "name": cfg.contest_name,
            "date": cfg.contest_date,
            "jurisdiction": cfg.contest_jurisdiction,
            "office": cfg.contest_office,
        },
        "input": {"files": _inputs(cfg, config), "format": "rctab"},
        "ballots": {
            "read": len(cvrs),
            "counted": int(Fraction(summary["totalNumBallots"])),
            "rejected": 0,
            "undervotes": summary["undervotes"],
            "rejected_lines": [],
        },
        "method": {
            "name": "rctab",
            "description": "US ranked-choice voting as RCTab counts it "
            f"({cfg.rules.winner_mode.value})",
            "parameters": {
                "winnerElectionMode": cfg.rules.winner_mode.value,
                "numberOfWinners": cfg.rules.number_of_winners,
                "tiebreakMode": cfg.rules.tiebreak_mode.value,
                "overvoteRule": cfg.rules.overvote_rule.value,
                "maxSkippedRanksAllowed": cfg.rules.max_skipped_ranks,
                "decimalPlacesForVoteArithmetic": cfg.rules.decimal_places,
            },
            "seats": len(winners),
        },
        "recount": {"argv": argv, "text": shlex.join(argv), "not_expressible": []},
        "result": {
            "method": "rctab",
            "seats": len(winners),
            "elected": winners,
            "winners": winners,
            "ranking": [],
            "tied_at_last_seat": [],
            "ties_broken": [
                tie for t, d in zip(tabs, documents, strict=True) for tie in _ties(t, d)
            ],
        },
        "rounds": [rctab_sheet(d) for d in documents],
        "rctab": documents,
    }


def _schema_version() -> int:
    from voting.report._data import SCHEMA_VERSION

    return SCHEMA_VERSION
