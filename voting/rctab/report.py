"""RCTab's result files, written from a :class:`~voting.rctab.tabulator.Tabulation`.

* :func:`detailed_report`: the URCVT JSON summary RCTab writes as
  ``*_detailed_report.json`` (rcvis and rcvformats read it), as a Python dict; numbers are
  strings printed as ``java.math.BigDecimal`` prints them.
* :func:`json_text`: that dict in Jackson's pretty-printed layout, keys sorted
  (:func:`write_json` writes it to a file as it goes).
* :func:`csv_report`: ``*_detailed_report.csv`` (``detailed=True``) or
  ``*_summary_report.csv``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from decimal import Decimal
from json.encoder import encode_basestring as _quote
from typing import Any, TextIO

import voting
from voting.formats.cvr import UNDECLARED_WRITE_IN
from voting.rctab._java import java_key, percent, to_string
from voting.rctab.config import WinnerMode
from voting.rctab.tabulator import RoundResult, SliceCounts, Status, Tabulation

__all__ = ["csv_report", "detailed_report", "json_text", "write_json"]

_PRINTED_STATUSES = (
    Status.OVERVOTE,
    Status.SKIPPED_RANKING,
    Status.EXHAUSTED_CHOICE,
    Status.REPEATED_RANKING,
)
_TITLES = {
    Status.OVERVOTE: "Inactive Ballots by Overvotes",
    Status.SKIPPED_RANKING: "Inactive Ballots by Skipped Rankings",
    Status.EXHAUSTED_CHOICE: "Inactive Ballots by Exhausted Choices",
    Status.REPEATED_RANKING: "Inactive Ballots by Repeated Rankings",
}
GENERATED_BY = f"voting {voting.__version__}"


def _num(x: int | Decimal) -> str:
    return to_string(x)


def _rounds(tab: Tabulation, part: SliceCounts | None) -> list[RoundResult]:
    return tab.rounds if part is None else part.rounds


def detailed_report(
    tab: Tabulation, slice_kind: str | None = None, slice_id: str | None = None
) -> dict[str, Any]:
    """The ``*_detailed_report.json`` document of a count (or of one precinct / batch)."""
    cfg = tab.config
    part = tab.slices[slice_kind][slice_id] if slice_kind and slice_id is not None else None
    rounds = _rounds(tab, part)
    transfers = tab.transfers if part is None else part.transfers
    config: dict[str, Any] = {
        "contest": cfg.contest_name,
        "date": cfg.contest_date,
        "generatedBy": GENERATED_BY,
        "jurisdiction": cfg.contest_jurisdiction,
        "office": cfg.contest_office,
    }
    if slice_kind:
        config[slice_kind] = slice_id
    first = rounds[0]
    results = []
    last = len(rounds)
    for r in rounds:
        actions: list[dict[str, Any]] = []
        for elected in (True, False):
            for d in tab.decisions_of(r.number, elected):
                moved = transfers.get(r.number + 1, {}).get(d.candidate, {})
                actions.append(
                    {
                        "elected" if elected else "eliminated": d.candidate,
                        "transfers": {k: _num(v) for k, v in moved.items()},
                    }
                )
        inactive = {s.value: _num(r.statuses[s]) for s in _PRINTED_STATUSES}
        if tab.config.uses_surpluses and tab.number_of_winners > 1 and r.number == last:
            inactive[Status.FINAL_ROUND_SURPLUS.value] = _num(
                r.statuses[Status.FINAL_ROUND_SURPLUS]
            )
        results.append(
            {
                "inactiveBallots": inactive,
                "round": r.number,
                "tally": {k: _num(v) for k, v in r.tally.items()},
                "tallyResults": actions,
                "threshold": _num(r.threshold),
            }
        )
    total = first.active + first.inactive
    return {
        "config": config,
        "jsonFormatVersion": "1",
        "results": results,
        "summary": {
            "finalThreshold": _num(rounds[-1].threshold),
            "numCandidates": len(cfg.candidate_names),
            "numWinners": tab.number_of_winners,
            "totalNumBallots": _num(total),
            "undervotes": int(first.statuses[Status.DID_NOT_RANK_ANY_CANDIDATES]),
        },
    }


def _shared_containers(document: Any) -> set[int]:
    """Ids of the dicts and lists that ``document`` holds more than once (each container
    visited once: O(distinct containers))."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict | list):
            key = id(value)
            if key in seen:
                shared.add(key)
                continue
            seen.add(key)
            stack.extend(value.values() if isinstance(value, dict) else value)
    return shared


class _Jackson:
    """Jackson's ``DefaultPrettyPrinter`` layout, keys sorted; a container the document
    holds several times is laid out once per depth and its text reused."""

    def __init__(self, document: Any) -> None:
        self.shared = _shared_containers(document)
        self.memo: dict[tuple[int, int], str] = {}
        self.keys: dict[str, str] = {}

    def write(self, value: Any, indent: int, out: TextIO) -> None:
        if isinstance(value, dict | list) and id(value) in self.shared:
            key = (id(value), indent)
            text = self.memo.get(key)
            if text is None:
                part = io.StringIO()
                self._write(value, indent, part)
                text = self.memo[key] = part.getvalue()
            out.write(text)
            return
        self._write(value, indent, out)

    def _write(self, value: Any, indent: int, out: TextIO) -> None:
        pad = "  " * indent
        if isinstance(value, dict):
            if not value:
                out.write("{ }")
                return
            out.write("{\n")
            items = sorted(value.items(), key=lambda kv: java_key(kv[0]))
            keys = self.keys
            last = len(items) - 1
            for i, (k, v) in enumerate(items):
                key = keys.get(k)
                if key is None:
                    key = keys[k] = _scalar(k)
                end = ",\n" if i < last else "\n"
                if type(v) is str or type(v) is int:  # the common case, inline
                    out.write(f"{pad}  {key} : {_scalar(v)}{end}")
                    continue
                out.write(f"{pad}  {key} : ")
                self.write(v, indent + 1, out)
                out.write(end)
            out.write(f"{pad}}}")
        elif isinstance(value, list):
            if not value:
                out.write("[ ]")
                return
            out.write("[ ")
            for i, v in enumerate(value):
                self.write(v, indent, out)
                if i < len(value) - 1:
                    out.write(", ")
            out.write(" ]")
        else:
            out.write(_scalar(value))


def _scalar(value: Any) -> str:
    if type(value) is str:
        return _quote(value)
    if type(value) is int:
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def write_json(document: dict[str, Any], out: TextIO) -> None:
    """Write ``document`` to ``out`` as :func:`json_text` lays it out, piece by piece."""
    _Jackson(document).write(document, 0, out)


def json_text(document: dict[str, Any]) -> str:
    """``document`` as Jackson's ``DefaultPrettyPrinter`` writes it, keys sorted (RCTab's
    layout; no final newline)."""
    out = io.StringIO()
    write_json(document, out)
    return out.getvalue()


def _csv_cell(value: str, first: bool) -> str:
    """Apache Commons CSV's minimal quoting (``CSVFormat.DEFAULT``)."""
    if not value:
        return '""' if first else ""
    quote = value[0] <= "#" or any(c in value for c in ',"\r\n') or value[-1] <= " "
    if quote:
        return '"' + value.replace('"', '""') + '"'
    return value


class _Csv:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.row: list[str] = []

    def cell(self, value: object) -> None:
        self.row.append(_csv_cell("" if value is None else str(value), not self.row))

    def end(self) -> None:
        self.lines.append(",".join(self.row))
        self.row = []

    def record(self, *values: object) -> None:
        for v in values:
            self.cell(v)
        self.end()

    def by_round(self, label: str, values: Iterable[object]) -> None:
        """A row of one value a round, each followed by two blank cells."""
        self.cell(label)
        for v in values:
            self.cell(v)
            self.cell("")
            self.cell("")
        self.end()

    def text(self) -> str:
        return "".join(line + "\r\n" for line in self.lines)


def _candidate_order(tab: Tabulation) -> list[str]:
    """RCTab's row order: round-1 tallies, highest first (ties in hash-map order), undeclared
    write-ins last."""
    from voting.rctab._java import hash_order

    tally = tab.rounds[0].tally
    inserted = [n for n in hash_order(tab.config.candidate_names) if n in tally]
    keys = hash_order(inserted)
    return sorted(keys, key=lambda n: (n == UNDECLARED_WRITE_IN, -tally[n]))


def csv_report(
    tab: Tabulation,
    *,
    detailed: bool = True,
    slice_kind: str | None = None,
    slice_id: str | None = None,
) -> str:
    """``*_detailed_report.csv`` (or ``*_summary_report.csv`` with ``detailed=False``)."""
    part = tab.slices[slice_kind][slice_id] if slice_kind and slice_id is not None else None
    rounds = _rounds(tab, part)
    w = _Csv()
    _csv_contest(w, tab, rounds, slice_kind, slice_id, part is not None)
    _csv_tallies(w, tab, rounds, part is not None)
    _csv_ballots(w, tab, rounds, part is not None, detailed)
    if part is not None:
        w.end()
        w.record(
            f"†Elect/Eliminate decisions are from the full contest. All other results on this "
            f"report are at the {slice_kind} level."
        )
    if tab.any_tie_broken:
        w.end()
        w.record("*Tie resolved in accordance with election law")
    return w.text()


def _csv_contest(
    w: _Csv,
    tab: Tabulation,
    rounds: list[RoundResult],
    slice_kind: str | None,
    slice_id: str | None,
    is_slice: bool,
) -> None:
    """The "Contest Information" and "Contest Summary" sections."""
    cfg = tab.config
    n = len(rounds)
    single = cfg.rules.winner_mode == WinnerMode.SINGLE_WINNER_MAJORITY
    w.record("Contest Information")
    w.record("Generated By", GENERATED_BY)
    w.record("CSV Format Version", "1")
    w.record("Type of Election", "Single-Winner" if single else "Multi-Winner")
    w.record("Contest", cfg.contest_name)
    w.record("Jurisdiction", cfg.contest_jurisdiction)
    w.record("Office", cfg.contest_office)
    w.record("Date", cfg.contest_date)
    winners = [d.candidate for k in range(1, n + 1) for d in tab.decisions_of(k, True)]
    w.record("Winner(s)", ", ".join(winners))
    if is_slice:
        w.record(slice_kind.capitalize() if slice_kind else "", slice_id)
    else:
        w.record("Final Threshold", _num(rounds[-1].threshold))
    w.end()
    first = rounds[0]
    to_elect = (
        f"All candidates over the {cfg.rules.bottoms_up_percentage_text}% threshold"
        if cfg.rules.winner_mode == WinnerMode.BOTTOMS_UP_PERCENTAGE
        else str(tab.number_of_winners)
    )
    w.record("Contest Summary")
    w.record("Number to be Elected", to_elect)
    w.record("Number of Candidates", tab.num_candidates)
    w.record("Total Number of Ballots", _num(first.active + first.inactive))
    w.record(
        "Number of Undervotes (No Rankings)",
        _num(first.statuses[Status.DID_NOT_RANK_ANY_CANDIDATES]),
    )
    w.end()


def _csv_tallies(w: _Csv, tab: Tabulation, rounds: list[RoundResult], is_slice: bool) -> None:
    """The rounds table: decisions, then each candidate's votes, share and transfer."""
    rules = tab.config.rules
    n = len(rounds)
    w.cell("Rounds")
    for k in range(1, n + 1):
        w.cell(f"Round {k} Votes")
        w.cell("% of vote")
        w.cell("transfer")
    w.end()
    dagger = "†" if is_slice else ""
    for elected, label in ((False, "Eliminated"), (True, "Elected")):
        w.cell(label + dagger)
        for k in range(1, n + 1):
            ds = tab.decisions_of(k, elected)
            w.cell("; ".join(d.candidate + ("*" if d.tie_broken else "") for d in ds))
            w.cell("")
            w.cell("")
        w.end()
    own_round = rules.winner_mode in (
        WinnerMode.SINGLE_WINNER_MAJORITY,
        WinnerMode.BOTTOMS_UP_PERCENTAGE,
    )
    for name in _candidate_order(tab):
        w.cell(name)
        for i, r in enumerate(rounds):
            value = r.tally.get(name, 0)
            w.cell(_num(value))
            if own_round:
                base = rounds[0] if rules.first_round_determines_threshold else r
            else:
                base = rounds[0]
            divisor = base.active + base.locked_in
            w.cell(percent(value, divisor) if divisor != 0 else "")
            if i < n - 1:
                w.cell(_num(rounds[i + 1].tally.get(name, 0) - value))
            else:
                w.cell(0)
        w.end()


def _csv_ballots(
    w: _Csv, tab: Tabulation, rounds: list[RoundResult], is_slice: bool, detailed: bool
) -> None:
    """Active and inactive ballots round by round, thresholds and surpluses."""
    n = len(rounds)
    w.by_round("Active Ballots", (_num(r.active + r.locked_in) for r in rounds))
    if not is_slice:
        w.by_round("Current Round Threshold", (_num(r.threshold) for r in rounds))
    if detailed:
        for status in _PRINTED_STATUSES:
            w.cell(_TITLES[status])
            for i, r in enumerate(rounds):
                w.cell(_num(r.statuses[status]))
                w.cell("")
                w.cell(
                    _num(rounds[i + 1].statuses[status] - r.statuses[status]) if i < n - 1 else 0
                )
            w.end()
    undervotes = rounds[0].statuses[Status.DID_NOT_RANK_ANY_CANDIDATES]
    w.cell("Inactive Ballots Total")
    for i, r in enumerate(rounds):
        w.cell(_num(r.inactive - undervotes))
        w.cell("")
        w.cell(_num(rounds[i + 1].inactive - r.inactive) if i < n - 1 else 0)
    w.end()
    if not is_slice and tab.residual[n - 1] > 0:
        w.by_round("Residual surplus", (_num(tab.residual[i]) for i in range(n)))
    if tab.config.uses_surpluses and tab.number_of_winners > 1:
        surpluses = (r.statuses[Status.FINAL_ROUND_SURPLUS] for r in rounds)
        w.by_round(
            "Final Round Surplus", ("" if v == 0 and _num(v) == "0" else _num(v) for v in surpluses)
        )
