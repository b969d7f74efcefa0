"""Dominion cast vote record exports: a folder of JSON manifests and ``CvrExport*.json``.

The manifests name the precincts (``PrecinctManifest.json``; absent in older exports),
precinct portions, contests (``ContestManifest.json``: ``NumOfRanks``) and candidates
(``CandidateManifest.json``: their numeric ``Id`` is the code the records use, so the
contest configuration lists each candidate with that code as an alias). Records come from
``CvrExport.json`` or, when it is absent, every ``CvrExport_<n>.json`` (in path order).

Each session's ``Original`` card set is used while ``IsCurrent``; otherwise its
``Modified`` (adjudicated) set, and a session with neither is left out (counted in
``skipped``). Contests with outstack condition 7 are left out the same way. Ambiguous
marks are not marks. A mark's ``CandidateId`` equal to the undeclared write-in label is an
undeclared write-in.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voting.formats._base import ReadContext
from voting.formats.cvr import UNDECLARED_WRITE_IN, CvrBuilder, MarkKind

__all__ = ["read_dominion"]

_EXCLUDE_CONTEST_CONDITION = 7
_EXPORT = re.compile(r"CvrExport_\d+\.json(\.gz)?")


def _load(path: Path, ctx: ReadContext) -> Any:
    import gzip

    gz = Path(f"{path}.gz")
    try:
        if not path.exists() and gz.exists():
            with gzip.open(gz, "rt", encoding="utf-8-sig") as f:
                return json.load(f)
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except FileNotFoundError:
        raise ctx.fail(f"{path.name} not found in the Dominion export folder") from None
    except json.JSONDecodeError as exc:
        raise ctx.fail(f"{path.name} is not valid JSON: {exc.msg}", line=exc.lineno) from None


def _manifest(folder: Path, name: str, ctx: ReadContext) -> list[dict[str, Any]]:
    data = _load(folder / name, ctx)
    items = data.get("List") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ctx.fail(f'{name} has no "List" of entries')
    return items


def read_dominion(
    folder: str | os.PathLike[str],
    builder: CvrBuilder,
    ctx: ReadContext,
    *,
    contest_id: str,
    undeclared_write_in_label: str | None = None,
) -> None:
    """Append the records of contest ``contest_id`` in a Dominion export folder."""
    root = Path(folder)
    if not root.is_dir():
        raise ctx.fail("a Dominion source must be the export folder")
    reader = _Reader(
        builder, ctx, _Manifests.load(root, contest_id, ctx), undeclared_write_in_label
    )
    before = len(builder)
    for file in _export_files(root, ctx):
        for session in _load(file, ctx).get("Sessions") or []:
            reader.session(session)
    if len(builder) == before:
        raise ctx.fail(f'no cast vote record of contest "{contest_id}" found')


def _present(root: Path, name: str) -> bool:
    return (root / name).exists() or (root / f"{name}.gz").exists()


def _export_files(root: Path, ctx: ReadContext) -> list[Path]:
    """``CvrExport.json``, else every ``CvrExport_<n>.json`` in path order."""
    if _present(root, "CvrExport.json"):
        return [root / "CvrExport.json"]
    files = sorted(
        (root / p.name.removesuffix(".gz") for p in root.iterdir() if _EXPORT.fullmatch(p.name)),
        key=lambda p: str(p.resolve()),
    )
    if not files:
        raise ctx.fail("no CvrExport.json or CvrExport_<n>.json file in the Dominion export folder")
    return files


@dataclass(frozen=True)
class _Manifests:
    """What the manifests say: precinct and portion names, contests, candidate codes."""

    contest_id: str
    precincts: dict[int, str | None] | None  # None: no precinct manifest (older exports)
    portions: dict[int, str | None]
    contests: dict[str, dict[str, Any]]
    codes: set[str]  # the candidate codes of contest_id

    @classmethod
    def load(cls, root: Path, contest_id: str, ctx: ReadContext) -> _Manifests:
        precincts = None
        if _present(root, "PrecinctManifest.json"):
            precincts = {
                p["Id"]: p.get("Description") for p in _manifest(root, "PrecinctManifest.json", ctx)
            }
        portions = {
            p["Id"]: p.get("Description")
            for p in _manifest(root, "PrecinctPortionManifest.json", ctx)
        }
        contests = {str(c["Id"]): c for c in _manifest(root, "ContestManifest.json", ctx)}
        codes = {
            str(c["Id"])
            for c in _manifest(root, "CandidateManifest.json", ctx)
            if str(c.get("ContestId")) == contest_id
        }
        return cls(contest_id, precincts, portions, contests, codes)

    def places(self, data: dict[str, Any], ctx: ReadContext) -> tuple[str | None, str | None]:
        """The precinct and precinct portion of a card set, checked against the manifests."""
        precinct_id = data.get("PrecinctId")
        if precinct_id is not None and (
            self.precincts is None or precinct_id not in self.precincts
        ):
            raise ctx.fail(f'precinct id "{precinct_id}" of a record is not in the manifest')
        precinct = (
            self.precincts.get(precinct_id)
            if self.precincts is not None and precinct_id is not None
            else None
        )
        portion_id = data.get("PrecinctPortionId")
        if portion_id is not None and portion_id not in self.portions:
            raise ctx.fail(f'precinct portion id "{portion_id}" of a record is not in the manifest')
        return precinct, self.portions.get(portion_id) if portion_id is not None else None


class _Reader:
    """Adds the records of one contest, session by session."""

    def __init__(
        self,
        builder: CvrBuilder,
        ctx: ReadContext,
        manifests: _Manifests,
        write_in_label: str | None,
    ) -> None:
        self.builder = builder
        self.ctx = ctx
        self.m = manifests
        self.write_in_label = write_in_label
        self.uwi = builder.token(UNDECLARED_WRITE_IN, MarkKind.WRITE_IN)
        self.tokens: dict[str, int] = {}

    def session(self, session: dict[str, Any]) -> None:
        data = session.get("Original") or {}
        if not data.get("IsCurrent"):
            if "Modified" not in session:
                self.builder.skip("session has no current (adjudicated) card set")
                return
            data = session["Modified"]
        precinct, portion = self.m.places(data, self.ctx)
        tabulator = str(session.get("TabulatorId"))
        batch = str(session.get("BatchId"))
        record = session.get("RecordId")
        name = f"{tabulator}-{batch}-{record}"
        for card in data.get("Cards", [data]):
            for contest in card.get("Contests") or []:
                cid = str(contest.get("Id"))
                if cid != self.m.contest_id:
                    continue
                if cid not in self.m.contests:
                    raise self.ctx.fail(f'contest id "{cid}" of a record is not in the manifest')
                if _EXCLUDE_CONTEST_CONDITION in (contest.get("OutstackConditionIds") or []):
                    self.builder.skip("contest has outstack condition 7 (excluded)")
                    continue
                ranks, marks = self.marks(contest, name)
                num_ranks = self.m.contests[cid].get("NumOfRanks")
                if ranks and isinstance(num_ranks, int) and max(ranks) > num_ranks:
                    self.ctx.reject(
                        0,
                        name,
                        f"ranking {max(ranks)} exceeds the contest's NumOfRanks ({num_ranks})",
                    )
                    continue
                self.builder.add(
                    ranks,
                    marks,
                    id="-".join(s for s in (tabulator, batch, str(record)) if s and s.strip()),
                    supplied_id=str(record),
                    precinct=precinct,
                    batch=batch,
                    tabulator=tabulator,
                    precinct_portion=portion,
                    contest=cid,
                )

    def marks(self, contest: dict[str, Any], name: str) -> tuple[list[int], list[int]]:
        """The rankings and tokens of a contest's unambiguous marks."""
        ranks: list[int] = []
        marks: list[int] = []
        for mark in contest.get("Marks") or []:
            if mark.get("IsAmbiguous"):
                continue
            code = str(mark.get("CandidateId"))
            rank = mark.get("Rank")
            if not isinstance(rank, int) or rank < 1:
                raise self.ctx.fail(f"record {name}: rank {rank!r}")
            ranks.append(rank)
            marks.append(self.token(code))
        return ranks, marks

    def token(self, code: str) -> int:
        if self.write_in_label and code == self.write_in_label:
            return self.uwi
        t = self.tokens.get(code, -1)
        if t < 0:
            if code not in self.m.codes:
                raise self.ctx.fail(
                    f'candidate id "{code}" is not a candidate of contest '
                    f'"{self.m.contest_id}" in CandidateManifest.json'
                )
            t = self.tokens[code] = self.builder.token(code)
        return t
