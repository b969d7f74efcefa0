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
    precincts: dict[int, str | None] | None = None
    if (root / "PrecinctManifest.json").exists() or (root / "PrecinctManifest.json.gz").exists():
        precincts = {
            p["Id"]: p.get("Description") for p in _manifest(root, "PrecinctManifest.json", ctx)
        }
    portions = {
        p["Id"]: p.get("Description") for p in _manifest(root, "PrecinctPortionManifest.json", ctx)
    }
    contests = {str(c["Id"]): c for c in _manifest(root, "ContestManifest.json", ctx)}
    codes = {
        str(c["Id"])
        for c in _manifest(root, "CandidateManifest.json", ctx)
        if str(c.get("ContestId")) == contest_id
    }
    if (root / "CvrExport.json").exists() or (root / "CvrExport.json.gz").exists():
        files = [root / "CvrExport.json"]
    else:
        files = sorted(
            (
                root / p.name.removesuffix(".gz")
                for p in root.iterdir()
                if _EXPORT.fullmatch(p.name)
            ),
            key=lambda p: str(p.resolve()),
        )
        if not files:
            raise ctx.fail(
                "no CvrExport.json or CvrExport_<n>.json file in the Dominion export folder"
            )
    uwi = builder.token(UNDECLARED_WRITE_IN, MarkKind.WRITE_IN)
    tokens: dict[str, int] = {}
    before = len(builder)
    for file in files:
        doc = _load(file, ctx)
        for session in doc.get("Sessions") or []:
            tabulator = str(session.get("TabulatorId"))
            batch = str(session.get("BatchId"))
            record = session.get("RecordId")
            data = session.get("Original") or {}
            if not data.get("IsCurrent"):
                if "Modified" in session:
                    data = session["Modified"]
                else:
                    builder.skip("session has no current (adjudicated) card set")
                    continue
            precinct_id = data.get("PrecinctId")
            if precinct_id is not None and (precincts is None or precinct_id not in precincts):
                raise ctx.fail(f'precinct id "{precinct_id}" of a record is not in the manifest')
            precinct = (
                precincts.get(precinct_id)
                if precincts is not None and precinct_id is not None
                else None
            )
            portion_id = data.get("PrecinctPortionId")
            if portion_id is not None and portion_id not in portions:
                raise ctx.fail(
                    f'precinct portion id "{portion_id}" of a record is not in the manifest'
                )
            portion = portions.get(portion_id) if portion_id is not None else None
            cards = data.get("Cards", [data])
            for card in cards:
                for contest in card.get("Contests") or []:
                    cid = str(contest.get("Id"))
                    if cid != contest_id:
                        continue
                    if cid not in contests:
                        raise ctx.fail(f'contest id "{cid}" of a record is not in the manifest')
                    if _EXCLUDE_CONTEST_CONDITION in (contest.get("OutstackConditionIds") or []):
                        builder.skip("contest has outstack condition 7 (excluded)")
                        continue
                    ranks: list[int] = []
                    marks: list[int] = []
                    num_ranks = contests[cid].get("NumOfRanks")
                    for mark in contest.get("Marks") or []:
                        if mark.get("IsAmbiguous"):
                            continue
                        code = str(mark.get("CandidateId"))
                        rank = mark.get("Rank")
                        if not isinstance(rank, int) or rank < 1:
                            raise ctx.fail(f"record {tabulator}-{batch}-{record}: rank {rank!r}")
                        if undeclared_write_in_label and code == undeclared_write_in_label:
                            t = uwi
                        else:
                            t = tokens.get(code, -1)
                            if t < 0:
                                if code not in codes:
                                    raise ctx.fail(
                                        f'candidate id "{code}" is not a candidate of contest '
                                        f'"{contest_id}" in CandidateManifest.json'
                                    )
                                t = tokens[code] = builder.token(code)
                        ranks.append(rank)
                        marks.append(t)
                    if ranks and isinstance(num_ranks, int) and max(ranks) > num_ranks:
                        ctx.reject(
                            0,
                            f"{tabulator}-{batch}-{record}",
                            f"ranking {max(ranks)} exceeds the contest's NumOfRanks ({num_ranks})",
                        )
                        continue
                    builder.add(
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
    if len(builder) == before:
        raise ctx.fail(f'no cast vote record of contest "{contest_id}" found')
