"""The data of a results page: one JSON-ready dict, versioned, from which the page is drawn.

The page (:func:`voting.report.render_html`) is drawn from this data alone, and the data
is embedded in the page, so what a reader sees and what a program reads are the same
numbers. The keys are documented in ``docs/report.md``; :data:`SCHEMA_VERSION` changes
when a key is removed or changes meaning (adding keys does not change it).
"""

from __future__ import annotations

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
    """The method's part of the report: :meth:`Result.to_dict` (the library's one
    rendering interface, :mod:`voting.render`), explanation included."""
    return result.to_dict()


def explanation_text(result: Result[Any]) -> str | None:
    """The explanation's own text (``to_text()``), for the page's "method's account"."""
    e = result.explanation
    return None if e is None else str(e.to_text())


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


def _path_cell(strength: str, value: Any) -> str:
    """A strongest-path strength of ``SchulzeExplanation.to_dict()`` as text: ``w:l``
    (winning votes), a margin or a ratio; empty where there is no beat path."""
    if strength == "margins":
        return str(value) if value else ""
    n, d = value
    if n == 0:
        return ""
    if strength == "ratio":
        return "inf" if d == 0 else f"{n}/{d}"
    return f"{n}:{d}"


def _witness(e: Any, a: str, b: str, boundary: int) -> dict[str, Any]:
    """:meth:`SchulzeExplanation.witness` as data, with its sentence."""
    from voting.render import json_ready

    w = e.witness(a, b)
    return {"boundary": [boundary, boundary + 1], **json_ready(w), "text": str(w)}


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
    explained = e.to_dict()
    names = list(e.candidates)
    order = [c for tier in tiers for c in tier]
    idx = [names.index(c) for c in order]
    witnesses = []
    for k in range(1, len(tiers)):
        for b in tiers[k]:
            a = next(a for a in tiers[k - 1] if e.beats[names.index(a), names.index(b)])
            witnesses.append(_witness(e, a, b, k))
    paths = explained["strongest_paths"]
    return {
        "strength": e.strength,
        "order": order,
        "tiers": [list(t) for t in tiers],
        "strongest_paths": [
            ["" if i == j else _path_cell(e.strength, paths[i][j]) for j in idx] for i in idx
        ],
        "witnesses": witnesses,
    }


# --------------------------------------------------------------------- sheets
def count_sheets(method_part: dict[str, Any]) -> list[dict[str, Any]]:
    """The round-by-round sheet of a transfer count (STV, IRV), read from the method's
    part of the report (:meth:`Result.to_dict`); empty for other methods."""
    e = method_part.get("explanation") or {}
    order = [c for tier in method_part["ranking"] for c in tier]
    if e.get("type") == "STVExplanation":
        return [stv_sheet(e, order)]
    if e.get("type") == "IRVExplanation" and e["rounds"]:
        return [irv_sheet(e, order, method_part["elected"][0])]
    return []


# ------------------------------------------------------------------- analyses
def spread_part(profile: Profile, result: Result[Any]) -> dict[str, Any]:
    """Each candidate's positions, in the result's order (:func:`voting.analysis.rank_spread`)."""
    from voting.analysis import rank_spread

    return rank_spread(profile, order=result).to_dict()


def pairwise_part(profile: Profile, result: Result[Any]) -> dict[str, Any]:
    """The pairwise counts in the result's order, every contest in words
    (:func:`voting.analysis.head_to_head_table`), the Condorcet winner and Smith set."""
    from voting.analysis import head_to_head_table

    t = head_to_head_table(profile, order=result)
    m = t.pairwise
    smith = m.smith_set()
    return {
        **t.to_dict(),
        "condorcet_winner": m.condorcet_winner(),
        "smith_set": [c for c in t.order if c in smith],
    }


def blocs_part(
    profile: Profile, groups: Mapping[str, Iterable[str]], permutations: int, seed: int
) -> dict[str, Any]:
    """How many voters put each group on top, against chance
    (:func:`voting.analysis.bloc_voting`)."""
    from voting.analysis import bloc_voting

    report = bloc_voting(profile, groups, permutations=permutations, seed=seed)
    return {**report.to_dict(), "text": report.to_text()}


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


def input_part(
    profile: Profile,
    read_report: Any,
    source: str | None,
    example: str | None,
    groups_file: str | None,
) -> dict[str, Any]:
    """The input files (named and hashed) and how the ballots were read."""
    hashed = source
    if hashed is None and example is not None:
        from voting.examples import example_path

        hashed = str(example_path(example))
    files = [] if hashed is None else [describe_input(hashed)]
    if groups_file is not None:
        files.append(describe_input(groups_file, role="groups"))
    return {
        "files": files,
        "example": example,
        "format": getattr(read_report, "format", None),
        "unranked": str(profile.unranked),
        "orientation": getattr(read_report, "orientation", None),
        "orientation_note": getattr(read_report, "orientation_note", None),
        "withdrawn": list(getattr(read_report, "withdrawn", ())),
    }


def ballots_part(profile: Profile, read_report: Any) -> dict[str, Any]:
    """Ballots read, counted and rejected (each rejected line with its reason)."""
    rejected = list(getattr(read_report, "rejected", ()))
    counted = int(profile.num_voters)
    return {
        "read": counted + sum(int(r.weight) for r in rejected),
        "counted": counted,
        "rejected": sum(int(r.weight) for r in rejected),
        "rejected_lines": [
            {"line": r.line, "reason": r.reason, "weight": int(r.weight)} for r in rejected
        ],
        "distinct": int(profile.num_ballots),
        "candidates": int(profile.num_candidates),
    }


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
    method_part = result_part(result)
    fmt = getattr(read_report, "format", None)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "ranked",
        "generator": {"name": "voting", "version": __version__},
        "title": title or getattr(read_report, "title", None) or source or "Election results",
        "input": input_part(profile, read_report, source, example, groups_file),
        "ballots": ballots_part(profile, read_report),
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
        "result": method_part,
        "explanation_text": explanation_text(result),
        "rounds": count_sheets(method_part),
        "schulze": schulze_paths(result),
        "pairwise": pairwise_part(profile, result),
        "rank_spread": spread_part(profile, result),
        "blocs": None if groups is None else blocs_part(profile, groups, permutations, 0),
    }
