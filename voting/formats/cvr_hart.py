"""Hart Verity cast vote records: a folder with one XML file per ballot.

Each file's ``Contests/Contest`` with the configured ``Id`` lists ``Options``; an option's
``Value`` is a string of digits read left to right, a ``1`` at position ``k`` marking that
option at rank ``k`` (``0100``: ranked second). The option's ``Id`` is the candidate code
(listed as an alias in the configuration); an ``Id`` equal to the undeclared write-in label
is an undeclared write-in. The record's precinct is ``PrecinctSplit/Name``, its batch
``BatchNumber``, its id ``CvrGuid``. Files ending ``.sig.xml`` (signatures) are not
records; RCTab can verify them on Windows deployments, this reader does not.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree

from voting.formats._base import ReadContext
from voting.formats.cvr import UNDECLARED_WRITE_IN, CvrBuilder, MarkKind

__all__ = ["read_hart"]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(el: ElementTree.Element, *path: str) -> ElementTree.Element | None:
    for name in path:
        nxt = next((c for c in el if _local(c.tag) == name), None)
        if nxt is None:
            return None
        el = nxt
    return el


def _text(el: ElementTree.Element, *path: str) -> str | None:
    found = _find(el, *path)
    return None if found is None else (found.text or "")


def read_hart(
    folder: str | os.PathLike[str],
    builder: CvrBuilder,
    ctx: ReadContext,
    *,
    contest_id: str,
    undeclared_write_in_label: str | None = None,
) -> None:
    """Append the records of contest ``contest_id`` in a folder of Hart XML files."""
    root = Path(folder)
    if not root.is_dir():
        raise ctx.fail("a Hart source must be the folder of cast vote record XML files")
    files = sorted(
        p
        for p in root.iterdir()
        if p.name.lower().endswith("xml") and not p.name.lower().endswith(".sig.xml")
    )
    uwi = builder.token(UNDECLARED_WRITE_IN, MarkKind.WRITE_IN)
    for file in files:
        try:
            doc = ElementTree.parse(file).getroot()
        except ElementTree.ParseError as exc:
            ctx.reject(0, file.name, f"{file.name} is not valid XML: {exc}")
            continue
        contests = _find(doc, "Contests")
        for contest in contests if contests is not None else []:
            if _local(contest.tag) != "Contest" or _text(contest, "Id") != contest_id:
                continue
            ranks: list[int] = []
            marks: list[int] = []
            options = _find(contest, "Options")
            for option in options if options is not None else []:
                if _local(option.tag) != "Option":
                    continue
                code = _text(option, "Id") or ""
                if undeclared_write_in_label and code == undeclared_write_in_label:
                    token = uwi
                else:
                    token = builder.token(code)
                for k, digit in enumerate(_text(option, "Value") or "", 1):
                    if digit == "1":
                        ranks.append(k)
                        marks.append(token)
            builder.add(
                ranks,
                marks,
                id=_text(doc, "CvrGuid") or file.name,
                precinct=_text(doc, "PrecinctSplit", "Name"),
                batch=_text(doc, "BatchNumber"),
                precinct_portion=_text(doc, "PrecinctSplit", "Id"),
                contest=contest_id,
            )
