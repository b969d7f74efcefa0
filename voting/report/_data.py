"""The data of a results page: one JSON-ready dict, versioned, from which the page is drawn.

The page (:func:`voting.report.render_html`) is drawn from this data alone, and the data
is embedded in the page, so what a reader sees and what a program reads are the same
numbers. The keys are documented in ``docs/report.md``; :data:`SCHEMA_VERSION` changes
when a key is removed or changes meaning (adding keys does not change it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from voting.profile import Profile
from voting.report._inputs import describe_input
from voting.report._recount import recount_command
from voting.report._rounds import irv_sheet, stv_sheet
from voting.results import Result

__all__ = ["SCHEMA_VERSION", "report_data", "result_part"]

SCHEMA_VERSION = 1
"""Version of the report's JSON: the ``schema_version`` key of every report."""


def result_part(result: Result[Any]) -> dict[str, Any]:
    """The method's part of the report: the result and its explanation, JSON-ready.

    TODO(issue 19, "one rendering interface"): return ``result.to_dict()`` once
    :class:`~voting.results.Result` has it; until then, the result's own fields and the
    explanation left out (its text is the report's ``explanation_text``).
    """
    to_dict = getattr(result, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict())
    return {
        "method": result.method,
        "candidates": list(result.candidates),
        "ranking": [list(t) for t in result.ranking],
        "seats": result.seats,
        "winners": list(result.winners),
        "elected": list(result.elected),
        "tied_at_last_seat": list(result.tied_at_last_seat),
        "ties_broken": [
            {
                "tied": list(t.tied),
                "order": list(t.order),
                "context": t.context,
                "rule": t.rule,
                "decisive": t.decisive,
            }
            for t in result.ties_broken
        ],
        "explanation": None,
    }


def explanation_text(result: Result[Any]) -> str | None:
    """The explanation's own text (``to_text()``), for the page's "method's account"."""
    text = getattr(result.explanation, "to_text", None)
    return str(text()) if callable(text) else None


# ------------------------------------------------------------------ Schulze paths
def _schulze_of(result: Result[Any]) -> tuple[Any, tuple[tuple[str, ...], ...]] | None:
    """The Schulze explanation behind ``result`` and the tiers it ranks, if any."""
    from voting.methods.debian import DebianExplanation
    from voting.methods.schulze import SchulzeExplanation

    e = result.explanation
    if isinstance(e, SchulzeExplanation):
        return e, result.ranking
    if isinstance(e, DebianExplanation):
        return e.schulze.explanation, e.schulze.ranking
    return None


def _path_cell(e: Any, i: int, j: int) -> str:
    """A strongest-path strength as text: ``w:l`` (winning votes), a margin or a ratio."""
    if i == j or e.path_codes[i, j] == 0:
        return ""
    s = e.strongest_paths[i, j]
    if e.strength == "margins":
        return str(int(s))
    if e.strength == "ratio" and int(s[1]) == 0:
        return "inf"
    sep = ":" if e.strength == "winning" else "/"
    return f"{int(s[0])}{sep}{int(s[1])}"


def schulze_paths(result: Result[Any]) -> dict[str, Any] | None:
    """The strongest paths of a Schulze count and a witness at each tier boundary.

    For every candidate ``b`` of a tier after the first, the witness is a strongest
    beat path from a candidate ``a`` of the tier just above who beats ``b`` (the
    Schulze relation is transitive, so one exists), and the strongest path back,
    read from the widest-path matrix (:meth:`SchulzeExplanation.witness`).
    """
    found = _schulze_of(result)
    if found is None:
        return None
    e, tiers = found
    names = list(e.candidates)
    order = [c for tier in tiers for c in tier]
    idx = [names.index(c) for c in order]
    witnesses = []
    for k in range(1, len(tiers)):
        for b in tiers[k]:
            jb = names.index(b)
            a = next(a for a in tiers[k - 1] if e.beats[names.index(a), jb])
            w = e.witness(a, b)
            witnesses.append(
                {
                    "boundary": [k, k + 1],
                    "source": w.source,
                    "target": w.target,
                    "path": list(w.path),
                    "weakest": None if w.weakest is None else list(w.weakest),
                    "votes_for": w.votes_for,
                    "votes_against": w.votes_against,
                    "back_path": list(w.back_path),
                    "back_for": w.back_for,
                    "back_against": w.back_against,
                    "outcome": w.outcome,
                    "text": str(w),
                }
            )
    return {
        "strength": e.strength,
        "order": order,
        "tiers": [list(t) for t in tiers],
        "strongest_paths": [[_path_cell(e, i, j) for j in idx] for i in idx],
        "witnesses": witnesses,
    }


# --------------------------------------------------------------------- sheets
def count_sheets(result: Result[Any]) -> list[dict[str, Any]]:
    """The round-by-round sheet of a transfer count (STV, IRV); empty for other methods."""
    from voting.methods.irv import IRVExplanation
    from voting.methods.stv import STVExplanation

    e = result.explanation
    order = [c for tier in result.ranking for c in tier]
    if isinstance(e, STVExplanation):
        return [stv_sheet(e, order)]
    if isinstance(e, IRVExplanation) and e.rounds:
        return [irv_sheet(e, order, result.elected[0])]
    return []


# ------------------------------------------------------------------- analyses
def _number(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 6)


def spread_part(profile: Profile, result: Result[Any]) -> dict[str, Any]:
    """Each candidate's positions, in the result's order (:func:`voting.analysis.rank_spread`)."""
    from voting.analysis import rank_spread

    s = rank_spread(profile, order=result)
    rows = []
    for name in s.order:
        i = s.candidates.index(name)
        rows.append(
            {
                "candidate": name,
                "voters": int(s.counted[i]),
                "mean": _number(s.mean[i]),
                "std": _number(s.std[i]),
                "consensus": _number(s.consensus[i]),
                "counts": [int(x) for x in s.counts[i]],
            }
        )
    return {"positions": [float(p) for p in s.positions], "rows": rows}


def pairwise_part(profile: Profile, result: Result[Any]) -> dict[str, Any]:
    """The pairwise counts in the result's order, every contest in words."""
    from voting.analysis import head_to_head_table

    t = head_to_head_table(profile, order=result)
    m = t.pairwise
    return {
        "order": list(t.order),
        "support": [[int(x) for x in row] for row in t.support],
        "contests": t.records(),
        "condorcet_winner": m.condorcet_winner(),
        "smith_set": [c for c in t.order if c in set(m.smith_set())],
    }


def blocs_part(
    profile: Profile, groups: Mapping[str, Iterable[str]], permutations: int, seed: int
) -> dict[str, Any]:
    """How many voters put each group on top, against chance
    (:func:`voting.analysis.bloc_voting`)."""
    from voting.analysis import bloc_voting

    report = bloc_voting(profile, groups, permutations=permutations, seed=seed)

    def count(b: Any) -> dict[str, Any]:
        return {
            "voters": int(b.count),
            "share": _number(b.share),
            "expected_share": _number(b.expected_share),
            "lift": _number(b.lift),
            "p_value": _number(b.p_value),
            "permutation_p_value": _number(b.permutation_p_value),
        }

    t = report.permutation_test
    return {
        "groups": [
            {
                "name": g.name,
                "candidates": list(g.candidates),
                "chance_one_in": int(g.chance_one_in),
                "top": count(g.top),
                "strict": count(g.strict),
            }
            for g in report.groups
        ],
        "permutation_test": None
        if t is None
        else {
            "permutations": t.permutations,
            "voters_on_top": int(t.statistic),
            "null_mean": _number(t.null_mean),
            "p_value": _number(t.p_value),
        },
        "text": report.to_text(),
    }


# ------------------------------------------------------------------- the report
def _parameters(method: Any) -> dict[str, Any]:
    """The method's parameters as JSON values (objects by their description)."""
    import dataclasses

    out: dict[str, Any] = {}
    for f in dataclasses.fields(method):
        if not f.init:
            continue
        value = getattr(method, f.name)
        if value is None or isinstance(value, bool | int | float | str):
            out[f.name] = value
        elif hasattr(value, "describe"):
            out[f.name] = str(value.describe())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out[f.name] = {"method": getattr(value, "name", None), "parameters": _parameters(value)}
        else:
            out[f.name] = str(value)
    return out


def _orientation_flag(read_report: Any) -> str | None:
    text = getattr(read_report, "orientation", None) or ""
    return "weights" if text.startswith("weights") else None


def report_data(
    profile: Profile,
    method: Any,
    *,
    result: Result[Any] | None = None,
    read_report: Any = None,
    source: str | None = None,
    example: str | None = None,
    title: str | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
    groups_file: str | None = None,
    permutations: int = 9999,
    method_source: str | None = None,
    seats_source: str | None = None,
    notes: Sequence[str] = (),
) -> dict[str, Any]:
    """The data of the results page of one count: JSON-ready, versioned.

    Parameters
    ----------
    profile : Profile
        The ballots counted.
    method : Method
        The method object that counts them (its parameters are reported and make the
        recount command).
    result : Result, optional
        ``method.run(profile)``, when already computed.
    read_report : ReadReport, optional
        What the reader did with the file (:func:`voting.read_ballots` with
        ``errors="collect"``): ballots read, counted and rejected, orientation.
    source : str, optional
        The ballot file, as the user names it; its SHA-256 is computed.
    example : str, optional
        The bundled example the ballots are (``voting count --example NAME``); its
        file is hashed when ``source`` is not given.
    title : str, optional
        The election's title (default: the file's, or its name).
    groups : mapping of str to list of str, optional
        Groups of candidates: adds how many voters put each group on top.
    groups_file : str, optional
        The TOML file ``groups`` came from (hashed; named in the recount command).
    permutations : int, default 9999
        Relabellings of the joint permutation test of ``groups`` (seed 0).
    method_source, seats_source : str, optional
        Where the method and the seat count came from (shown on the page).
    notes : sequence of str
        Remarks shown with the method.

    Returns
    -------
    dict
        See ``docs/report.md`` for every key. Runtime complexity: the method's count
        plus O(C² + B·C) for the analyses.
    """
    from voting import __version__

    result = method.run(profile) if result is None else result
    hashed = source
    if hashed is None and example is not None:
        from voting.examples import example_path

        hashed = str(example_path(example))
    files = [] if hashed is None else [describe_input(hashed)]
    if groups_file is not None:
        files.append(describe_input(groups_file, role="groups"))
    fmt = getattr(read_report, "format", None)
    rejected = list(getattr(read_report, "rejected", ()))
    counted = int(profile.num_voters)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "ranked",
        "generator": {"name": "voting", "version": __version__},
        "title": title or getattr(read_report, "title", None) or source or "Election results",
        "input": {
            "files": files,
            "example": example,
            "format": fmt,
            "unranked": str(profile.unranked),
            "orientation": getattr(read_report, "orientation", None),
            "orientation_note": getattr(read_report, "orientation_note", None),
            "withdrawn": list(getattr(read_report, "withdrawn", ())),
        },
        "ballots": {
            "read": counted + sum(int(r.weight) for r in rejected),
            "counted": counted,
            "rejected": sum(int(r.weight) for r in rejected),
            "rejected_lines": [
                {"line": r.line, "reason": r.reason, "weight": int(r.weight)} for r in rejected
            ],
            "distinct": int(profile.num_ballots),
            "candidates": int(profile.num_candidates),
        },
        "method": {
            "name": type(method).name,
            "source": method_source,
            "parameters": _parameters(method),
            "seats": result.seats,
            "seats_source": seats_source,
            "notes": list(notes),
        },
        "recount": recount_command(
            method,
            seats=result.seats,
            source=source,
            example=example,
            file_format=fmt,
            unranked=str(profile.unranked),
            orientation=_orientation_flag(read_report),
            groups_file=groups_file,
        ),
        "result": result_part(result),
        "explanation_text": explanation_text(result),
        "rounds": count_sheets(result),
        "schulze": schulze_paths(result),
        "pairwise": pairwise_part(profile, result),
        "rank_spread": spread_part(profile, result),
        "blocs": None if groups is None else blocs_part(profile, groups, permutations, 0),
    }
