"""NIST SP 1500-103 Common Data Format cast vote records, JSON and XML (Unisyn included).

A ``CastVoteRecordReport`` lists the election's candidates and contests (``Election``),
geographic units (``GpUnit``) and the records (``CVR``). Each record's current snapshot
(``CurrentSnapshotId``) holds a ``CVRContest`` per contest, whose ``CVRContestSelection``
entries carry ranks, either on the selection (``Rank``) or on each ``SelectionPosition``.
A selection marked ``IsWriteIn`` or a position with a ``CVRWriteIn`` is an undeclared
write-in; a candidate named like the source's overvote label is an explicit overvote;
positions with ``HasIndication`` or ``IsAllocable`` ``"no"`` are not marks. The contest is
chosen by its ``Name``. The precinct is the ``Name`` of the record's ``BallotStyleUnitId``.

As in RCTab: in XML, a record without the contest is not a ballot of the contest and is
left out (reported as such), and ``GpUnit``, ``Election``, ``ReportingDevice``,
``ReportGeneratingDeviceIds`` and ``Party`` are required; in JSON every record must hold
the contest. XML is streamed (two passes: definitions, then records); JSON is loaded whole.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast
from xml.etree import ElementTree

from voting.formats._base import ReadContext
from voting.formats.cvr import OVERVOTE_LABEL, UNDECLARED_WRITE_IN, CvrBuilder, MarkKind

__all__ = ["read_cdf"]


def _open(path: str) -> IO[bytes]:
    if path.endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ElementTree.Element, name: str) -> ElementTree.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: ElementTree.Element, name: str) -> str | None:
    c = _child(el, name)
    return None if c is None else (c.text or "").strip()


def read_cdf(
    path: str | os.PathLike[str],
    builder: CvrBuilder,
    ctx: ReadContext,
    *,
    contest_id: str,
    overvote_label: str | None = None,
) -> None:
    """Append the records of contest ``contest_id`` (its ``Name``) to ``builder``."""
    name = os.fspath(path)
    lower = name.lower().removesuffix(".gz")
    if lower.endswith(".xml"):
        _read_xml(name, builder, ctx, contest_id, overvote_label)
    elif lower.endswith(".json"):
        _read_json(name, builder, ctx, contest_id, overvote_label)
    else:
        raise ctx.fail("CDF cast vote records must be .json or .xml files")


class _Definitions:
    """Candidates, the contest's selections and the geographic units."""

    def __init__(self) -> None:
        self.candidates: dict[str, str] = {}
        self.selections: dict[str, tuple[bool, list[str]]] = {}
        self.gp_units: dict[str, str | None] = {}
        self.contest_object_id: str | None = None
        self.duplicates: list[str] = []

    def add_unique(self, table: dict[str, Any], key: str, value: Any, what: str) -> None:
        if key in table:
            self.duplicates.append(f'{what} "{key}" appears more than once')
        table[key] = value

    def selection_text(
        self, selection_id: str, ctx: ReadContext, overvote_label: str | None, where: str
    ) -> tuple[str, MarkKind]:
        found = self.selections.get(selection_id)
        if found is None:
            raise ctx.fail(f'ContestSelection "{selection_id}" of {where} is not in the contest')
        write_in, candidate_ids = found
        if write_in:
            return UNDECLARED_WRITE_IN, MarkKind.WRITE_IN
        if not candidate_ids:
            raise ctx.fail(f'ContestSelection "{selection_id}" has no CandidateIds')
        cand = self.candidates.get(candidate_ids[0])
        if cand is None:
            raise ctx.fail(
                f'CandidateId "{candidate_ids[0]}" of ContestSelection "{selection_id}" is not '
                "in the candidate list"
            )
        if overvote_label and cand == overvote_label:
            return OVERVOTE_LABEL, MarkKind.OVERVOTE
        return cand, MarkKind.CANDIDATE


@dataclass(frozen=True)
class _Marks:
    """Reads the marks of one record's contest (JSON or XML) into ``builder``'s tokens."""

    defs: _Definitions
    builder: CvrBuilder
    ctx: ReadContext
    overvote_label: str | None


# ------------------------------------------------------------------------- JSON
def _read_json(
    path: str, builder: CvrBuilder, ctx: ReadContext, contest_id: str, overvote_label: str | None
) -> None:
    with _open(path) as f:
        try:
            doc = json.load(f)
        except json.JSONDecodeError as exc:
            raise ctx.fail(f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    defs = _json_definitions(doc, ctx, contest_id)
    reader = _Marks(defs, builder, ctx, overvote_label)
    file_name = Path(path).name.removesuffix(".gz")
    for index, cvr in enumerate(doc.get("CVR") or [], 1):
        where = f"CVR {index}"
        snapshot = next(
            (
                s
                for s in cvr.get("CVRSnapshot") or []
                if s.get("@id") == cvr.get("CurrentSnapshotId")
            ),
            None,
        )
        if snapshot is None or "CVRContest" not in snapshot:
            ctx.reject(
                index,
                str(cvr.get("BallotPrePrintedId")),
                f"{where}: no current snapshot with CVRContests",
            )
            continue
        cvr_contest = next(
            (c for c in snapshot["CVRContest"] if c.get("ContestId") == defs.contest_object_id),
            None,
        )
        if cvr_contest is None:
            ctx.reject(
                index,
                str(cvr.get("BallotPrePrintedId")),
                f'{where} does not hold contest "{contest_id}" (RCTab refuses such a file)',
            )
            continue
        ranks, marks, problem = _json_marks(cvr_contest, reader, where)
        if problem:
            ctx.reject(index, str(cvr.get("BallotPrePrintedId")), problem)
            continue
        unit = cvr.get("BallotStyleUnitId")
        precinct = defs.gp_units.get(unit) if unit is not None else None
        builder.add(
            ranks,
            marks,
            id=f"{file_name}({index})",
            supplied_id=cvr.get("BallotPrePrintedId"),
            precinct=precinct,
            batch=cvr.get("BatchSequenceId"),
        )


def _json_definitions(doc: Any, ctx: ReadContext, contest_id: str) -> _Definitions:
    """The GpUnits, candidates and selections of contest ``contest_id``, checked unique."""
    defs = _Definitions()
    try:
        for unit in doc.get("GpUnit") or []:
            defs.add_unique(defs.gp_units, unit["@id"], unit.get("Name"), "GpUnit")
        contest = None
        for election in doc.get("Election") or []:
            for cand in election.get("Candidate") or []:
                defs.add_unique(defs.candidates, cand["@id"], cand.get("Name"), "Candidate")
            for c in election.get("Contest") or []:
                if c.get("Name") == contest_id:
                    contest = c
                    break
        if contest is None:
            raise ctx.fail(f'contest "{contest_id}" (contestId) is not in the file')
        defs.contest_object_id = contest["@id"]
        for sel in contest.get("ContestSelection") or []:
            write_in = str(sel.get("IsWriteIn", "")).lower() == "true"
            defs.add_unique(
                defs.selections,
                sel["@id"],
                (write_in, list(sel.get("CandidateIds") or [])),
                "ContestSelection",
            )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ctx.fail(f"malformed CDF definitions ({type(exc).__name__}: {exc})") from None
    if defs.duplicates:
        raise ctx.fail("; ".join(defs.duplicates))
    return defs


def _json_marks(cvr_contest: Any, r: _Marks, where: str) -> tuple[list[int], list[int], str | None]:
    """The rankings and tokens of a record's selections, and the last problem found."""
    ranks: list[int] = []
    marks: list[int] = []
    problem = None
    for sel in cvr_contest.get("CVRContestSelection") or []:
        text, kind = r.defs.selection_text(
            sel.get("ContestSelectionId"), r.ctx, r.overvote_label, where
        )
        positions = [{"Rank": sel["Rank"]}] if "Rank" in sel else sel.get("SelectionPosition") or []
        for pos in positions:
            if "CVRWriteIn" in pos:
                text, kind = UNDECLARED_WRITE_IN, MarkKind.WRITE_IN
            if pos.get("HasIndication") == "no" or pos.get("IsAllocable") == "no":
                continue
            rank = pos.get("Rank")
            if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
                problem = f"{where}: rank {rank!r} is not a positive integer"
                continue
            ranks.append(rank)
            marks.append(r.builder.token(text, kind))
    return ranks, marks, problem


# -------------------------------------------------------------------------- XML
def _iter_top(path: str, ctx: ReadContext) -> Iterator[ElementTree.Element]:
    """The children of the report element, one at a time (cleared after use)."""
    depth = 0
    with _open(path) as f:
        try:
            for event, el in ElementTree.iterparse(f, events=("start", "end")):
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                if depth == 1:
                    yield el
                    el.clear()
        except ElementTree.ParseError as exc:
            raise ctx.fail(f"not valid XML: {exc}") from None


def _read_xml(
    path: str, builder: CvrBuilder, ctx: ReadContext, contest_id: str, overvote_label: str | None
) -> None:
    defs = _xml_definitions(path, ctx, contest_id)
    reader = _Marks(defs, builder, ctx, overvote_label)
    file_name = Path(path).name.removesuffix(".gz")
    index = 0
    position = 0
    for el in _iter_top(path, ctx):
        if _local(el.tag) != "CVR":
            continue
        position += 1
        current = _text(el, "CurrentSnapshotId")
        snapshot = next(
            (s for s in _children(el, "CVRSnapshot") if s.get("ObjectId") == current), None
        )
        cvr_contest = None
        if snapshot is not None:
            cvr_contest = next(
                (
                    c
                    for c in _children(snapshot, "CVRContest")
                    if _text(c, "ContestId") == defs.contest_object_id
                ),
                None,
            )
        if cvr_contest is None:
            builder.skip(f'the record does not hold contest "{contest_id}"')
            continue
        unique = _text(el, "UniqueId")
        where = f"CVR {position}" + (f' ("{unique}")' if unique else "")
        ranks, marks, problem = _xml_marks(cvr_contest, reader, where)
        if problem:
            ctx.reject(position, unique or "", problem)
            continue
        unit = _text(el, "BallotStyleUnitId")
        precinct = None
        if unit is not None:
            if unit not in defs.gp_units:
                raise ctx.fail(f'GpUnit "{unit}" of {where} is not defined')
            precinct = defs.gp_units[unit]
        index += 1
        builder.add(
            ranks,
            marks,
            id=f"{file_name}({index})",
            supplied_id=unique,
            precinct=precinct,
            batch=_text(el, "BatchSequenceId"),
        )


def _xml_definitions(path: str, ctx: ReadContext, contest_id: str) -> _Definitions:
    """The GpUnits, candidates and selections of contest ``contest_id`` (a first pass over
    the file), with the fields RCTab requires."""
    defs = _Definitions()
    present: set[str] = set()
    contest: ElementTree.Element | None = None
    for el in _iter_top(path, ctx):
        tag = _local(el.tag)
        present.add(tag)
        if tag == "GpUnit":
            defs.add_unique(defs.gp_units, el.get("ObjectId", ""), _text(el, "Name"), "GPUnit")
        elif tag == "Election":
            for cand in _children(el, "Candidate"):
                defs.add_unique(
                    defs.candidates, cand.get("ObjectId", ""), _text(cand, "Name"), "Candidate"
                )
            for c in _children(el, "Contest"):
                if _text(c, "Name") == contest_id:
                    contest = c
                    break
    if "GpUnit" not in present:
        raise ctx.fail('field "GpUnit" is missing (common in older, unsupported CDF exports)')
    missing = [
        f
        for f in ("CVR", "Election", "ReportGeneratingDeviceIds", "ReportingDevice", "Party")
        if f not in present
    ]
    if missing:
        raise ctx.fail(f"required CDF fields are missing: {', '.join(missing)}")
    if contest is None:
        raise ctx.fail(f'contest "{contest_id}" (contestId) is not in the file')
    defs.contest_object_id = contest.get("ObjectId")
    for sel in _children(contest, "ContestSelection"):
        write_in = (_text(sel, "IsWriteIn") or "") == "true"
        ids = [(c.text or "").strip() for c in _children(sel, "CandidateIds")]
        defs.add_unique(
            defs.selections, sel.get("ObjectId", ""), (write_in, ids), "Contest Selection"
        )
    if defs.duplicates:
        raise ctx.fail("; ".join(defs.duplicates) + "; keys must be unique")
    return defs


def _xml_marks(
    cvr_contest: ElementTree.Element, r: _Marks, where: str
) -> tuple[list[int], list[int], str | None]:
    """The rankings and tokens of a record's selections, or the first problem found."""
    ranks: list[int] = []
    marks: list[int] = []
    problem = None
    for sel in _children(cvr_contest, "CVRContestSelection"):
        if _text(sel, "Status") == "needs-adjudication":
            continue
        text, kind = r.defs.selection_text(
            _text(sel, "ContestSelectionId") or "", r.ctx, r.overvote_label, where
        )
        rank_texts, write_in, problem = _xml_rank_texts(sel, where)
        if write_in:
            text, kind = UNDECLARED_WRITE_IN, MarkKind.WRITE_IN
        for rt in rank_texts:
            if rt is None or not rt.isdigit() or int(rt) < 1:
                problem = f"{where}: rank {rt!r} is not a positive integer"
                break
            ranks.append(int(rt))
            marks.append(r.builder.token(text, kind))
        if problem:
            break
    return ranks, marks, problem


def _xml_rank_texts(
    sel: ElementTree.Element, where: str
) -> tuple[list[str | None], bool, str | None]:
    """A selection's rankings as written, whether a position is a write-in, and the
    problem that stopped the reading (a position without ``IsAllocable``)."""
    sel_rank = _text(sel, "Rank")
    if sel_rank is not None:
        return [sel_rank], False, None
    rank_texts: list[str | None] = []
    write_in = False
    for pos in _children(sel, "SelectionPosition"):
        if _child(pos, "CVRWriteIn") is not None:
            write_in = True
        if _text(pos, "HasIndication") == "no":
            continue
        allocable = _text(pos, "IsAllocable")
        if allocable is None:
            return rank_texts, write_in, f"{where}: a SelectionPosition has no IsAllocable"
        if allocable == "no":
            continue
        rank_texts.append(_text(pos, "Rank"))
    return rank_texts, write_in, None
