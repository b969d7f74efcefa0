"""RCTab's cast vote records in the NIST CVR Common Data Format (``*_cdf_cvr.json``).

When a configuration sets ``generateCdfJson``, RCTab also writes every cast vote record as
a NIST SP 1500-103 ``CastVoteRecordReport`` in JSON: per record an ``original`` snapshot
(its marks) and one ``interpreted`` snapshot per round saying which of its marks the
ballot counts for in that round (``IsAllocable``) and with how much of a vote
(``NumberVotes`` and ``FractionalVotes`` after fractional surplus transfers). Its
``convert-to-cdf`` mode writes the same file without counting (original snapshots only).
:func:`cdf_cvr_report` builds that document as RCTab builds it:

* ids: ``election-001``, ``contest-001``, ``gpu-election`` (the jurisdiction), ``gpu-<n>``
  for each precinct (with ``tabulateByPrecinct``; numbered in the iteration order of the
  Java ``HashSet`` of precinct names, :func:`voting.rctab._java.hash_order`), ``rd-001``;
  ``c-<name>`` and ``cs-<name>`` for a candidate and its contest selection (the name made
  file-name safe and lower-cased); ``ballot-<id>`` and ``ballot-<id>-round-<r>`` for the
  snapshots of record ``<id>`` (its RCTab CVR id, made file-name safe);
* the election lists every candidate of the configuration in Java's string order, and the
  explicit ``overvote`` when a source names an overvote label;
* a snapshot lists the texts a record marks (an alias as the alias, as RCTab reads it),
  ordered by their best rank, then by text, each with every rank it holds; a mark counts
  (``IsAllocable: yes``) when its text is the name of a candidate the ballot counts for in
  that round (only at its best rank), ``no`` otherwise (aliases included, as in RCTab);
  ``unknown`` in the original snapshot;
* a round in which the ballot did not move repeats the snapshot of the round before.

Complexity: O(N·R·K) for N records, R rounds and K marks a record; each distinct ballot's
snapshots are built once and shared by its identical records.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import Any

import numpy as np

from voting._java_text import is_blank, sanitize
from voting.formats.cvr import OVERVOTE_LABEL, CastVoteRecords
from voting.rctab._java import EXACT, hash_order, java_key, to_string
from voting.rctab.ballots import BallotGroup, ContestBallots, contest_ballots, record_groups
from voting.rctab.config import ConfigError, ContestConfig
from voting.rctab.tabulator import Number, Snapshot, Tabulation, TabulationError

__all__ = ["cdf_cvr_report", "generated_date"]

ELECTION_ID = "election-001"
CONTEST_ID = "contest-001"
SCOPE_ID = "gpu-election"
DEVICE_ID = "rd-001"

Selections = list[tuple[str, list[int]]]


def generated_date(now: datetime.datetime | None = None) -> str:
    """RCTab's ``GeneratedDate``: ``now`` (default: the local time; a naive time is taken
    as local) as ``yyyy-MM-dd'T'HH:mm:ssXXX`` (``Z`` for UTC, ``+hh:mm`` otherwise)."""
    moment = now or datetime.datetime.now()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    offset = moment.utcoffset() or datetime.timedelta(0)
    if not offset:
        return f"{text}Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{rest:02d}"


def _candidate_id(name: str) -> str:
    return f"c-{sanitize(name).lower()}"


def _selection_id(name: str) -> str:
    return f"cs-{sanitize(name).lower()}"


def _snapshot_id(record_id: str, round_number: int) -> str:
    return f"ballot-{record_id}-round-{round_number}" if round_number > 0 else f"ballot-{record_id}"


def _election(config: ContestConfig) -> dict[str, Any]:
    names = list(config.candidate_names)
    if any(not is_blank(s.overvote_label) for s in config.sources):
        names.append(OVERVOTE_LABEL)
    names.sort(key=java_key)
    return {
        "@id": ELECTION_ID,
        "@type": "Election",
        "Candidate": [{"@id": _candidate_id(n), "Name": n} for n in names],
        "Contest": [
            {
                "@id": CONTEST_ID,
                "@type": "CandidateContest",
                "ContestSelection": [
                    {
                        "@id": _selection_id(n),
                        "@type": "ContestSelection",
                        "CandidateIds": [_candidate_id(n)],
                    }
                    for n in names
                ],
                "Name": config.contest_name,
            }
        ],
        "ElectionScopeId": SCOPE_ID,
    }


def _precinct_units(cvrs: CastVoteRecords, config: ContestConfig) -> dict[str, str]:
    """Precinct name -> GpUnit id, in RCTab's order (a Java ``HashSet`` filled record by
    record); empty unless the contest is tabulated by precinct."""
    if not config.tabulate_by_precinct:
        return {}
    codes = np.asarray(cvrs.precinct)
    present = codes[codes >= 0]
    _, first = np.unique(present, return_index=True)
    in_order = [cvrs.precincts[int(c)] for c in present[np.sort(first)]]
    return {name: f"gpu-{i}" for i, name in enumerate(hash_order(in_order), 1)}


def _gp_units(config: ContestConfig, units: dict[str, str]) -> list[dict[str, Any]]:
    if config.contest_jurisdiction is None:
        raise ConfigError(
            str(config.path),
            [
                "outputSettings.contestJurisdiction is required to write the CDF cast vote "
                "records (generateCdfJson): it names the election's GpUnit"
            ],
        )
    out: list[dict[str, Any]] = [
        {
            "@id": SCOPE_ID,
            "@type": "GpUnit",
            "Name": config.contest_jurisdiction,
            "OtherType": "Election Scope Jurisdiction",
            "Type": "other",
        }
    ]
    out.extend(
        {"@id": gpu, "@type": "GpUnit", "Name": name, "Type": "precinct"}
        for name, gpu in units.items()
    )
    return out


def _selections(group: BallotGroup, tokens: Sequence[str]) -> Selections:
    """The texts a record marks with their ranks, by best rank, then by text (RCTab's
    ``getCandidatesWithRanksList``)."""
    ranks: dict[str, list[int]] = {}
    for rank, marks in group.positions:
        for t in marks:
            ranks.setdefault(tokens[t], []).append(rank)
    for held in ranks.values():
        held.sort()
    return sorted(ranks.items(), key=lambda kv: (kv[1][0], java_key(kv[0])))


def _positions(ranks: list[int], allocable: str, votes: Number) -> list[dict[str, Any]]:
    fraction: str | None = None
    if isinstance(votes, Decimal):
        with localcontext(EXACT):
            rest = votes % 1
        if rest > 0:
            fraction = to_string(rest)[1:]  # BigDecimal.toString without its leading 0
    out = []
    for rank in ranks:
        position: dict[str, Any] = {
            "@type": "CVR.SelectionPosition",
            "HasIndication": "yes",
            "IsAllocable": allocable,
            "NumberVotes": int(votes),
            "Rank": rank,
        }
        if fraction is not None:
            position["FractionalVotes"] = fraction
        out.append(position)
        if allocable == "yes":
            allocable = "no"  # a repeated candidate counts at its best rank only
    return out


def _contest(
    selections: Selections, counted: Sequence[tuple[str, Number]] | None
) -> list[dict[str, Any]]:
    """One snapshot's ``CVRContest``: ``counted`` is None for the original snapshot, else
    the (candidate name, value) pairs the ballot counts for."""
    chosen = []
    for text, ranks in selections:
        votes: Number
        if counted is None:
            allocable, votes = "unknown", 1
        else:
            found = next((v for name, v in counted if name == text), None)
            allocable, votes = ("no", 1) if found is None else ("yes", found)
        chosen.append(
            {
                "@type": "CVR.CVRContestSelection",
                "ContestSelectionId": _selection_id(text),
                "SelectionPosition": _positions(ranks, allocable, votes),
            }
        )
    return [{"@type": "CVR.CVRContest", "CVRContestSelection": chosen, "ContestId": CONTEST_ID}]


def _group_contests(
    group: BallotGroup,
    tokens: Sequence[str],
    names: Sequence[str],
    history: Sequence[tuple[int, Snapshot]],
    rounds: int,
) -> list[list[dict[str, Any]]]:
    """The ``CVRContest`` of each snapshot of a ballot: original, then rounds 1..R."""
    selections = _selections(group, tokens)
    out = [_contest(selections, None)]
    logged = dict(history)
    current: list[dict[str, Any]] | None = None
    for r in range(1, rounds + 1):
        if r in logged:
            current = _contest(selections, [(names[c], v) for c, v in logged[r]])
        if current is None:
            raise TabulationError(f"no snapshot of a ballot in round {r}: a bug in the count")
        out.append(current)
    return out


def _record(
    record_id: str, contests: list[list[dict[str, Any]]], unit: str | None, by_precinct: bool
) -> dict[str, Any]:
    rid = sanitize(record_id)
    snapshots = [
        {
            "@id": _snapshot_id(rid, r),
            "@type": "CVR.CVRSnapshot",
            "CVRContest": contest,
            "Type": "interpreted" if r else "original",
        }
        for r, contest in enumerate(contests)
    ]
    record: dict[str, Any] = {
        "@type": "CVR",
        "BallotPrePrintedId": rid,
        "CVRSnapshot": snapshots,
        "CurrentSnapshotId": _snapshot_id(rid, len(contests) - 1),
        "ElectionId": ELECTION_ID,
    }
    if by_precinct:
        record["BallotStyleUnitId"] = unit
    return record


def _records(
    cvrs: CastVoteRecords,
    config: ContestConfig,
    ballots: ContestBallots,
    tabulation: Tabulation | None,
    units: dict[str, str],
) -> list[dict[str, Any]]:
    rounds = 0 if tabulation is None else len(tabulation.rounds)
    history = tabulation.snapshots if tabulation is not None else None
    groups = record_groups(cvrs, ballots).tolist()  # refuses records the count did not read
    per_group = [
        _group_contests(
            group,
            cvrs.tokens,
            config.candidate_names,
            history[g] if history is not None else (),
            rounds,
        )
        for g, group in enumerate(ballots.groups)
    ]
    by_precinct = config.tabulate_by_precinct
    out = []
    for i, g in enumerate(groups):
        precinct = cvrs.precinct_of(i) if by_precinct else None
        unit = units.get(precinct) if precinct is not None else None
        out.append(_record(cvrs.ids[i], per_group[g], unit, by_precinct))
    return out


def cdf_cvr_report(
    cvrs: CastVoteRecords,
    source: Tabulation | ContestConfig,
    *,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The NIST CDF cast vote record report RCTab writes as ``*_cdf_cvr.json``.

    Parameters
    ----------
    cvrs : CastVoteRecords
        The records of the contest, as read from its sources
        (:func:`voting.rctab.count_with_records` returns them).
    source : Tabulation or ContestConfig
        A pass of the count, counted with snapshots (``count(..., snapshots=True)``, the
        default under ``generateCdfJson``): every record gets its original snapshot and one
        per round. A configuration: RCTab's ``convert-to-cdf`` (original snapshots only).
    now : datetime, optional
        The ``GeneratedDate`` (default: now, in local time).

    Returns
    -------
    dict
        The JSON document (write it with :func:`voting.rctab.json_text` for RCTab's layout).

    Raises
    ------
    ConfigError
        The configuration has no ``contestJurisdiction`` (RCTab fails on it too).
    TabulationError
        The count kept no snapshots.
    InvalidParameterError
        ``cvrs`` are not the records the count was made from.
    """
    if isinstance(source, Tabulation):
        tabulation: Tabulation | None = source
        config = source.config
        if source.snapshots is None or source.ballots is None:
            raise TabulationError(
                "the count kept no ballot snapshots: count with snapshots=True (or a "
                "configuration with generateCdfJson) to write the CDF cast vote records"
            )
        ballots = source.ballots
    else:
        tabulation, config = None, source
        ballots = contest_ballots(cvrs, config)
    units = _precinct_units(cvrs, config)
    gp_units = _gp_units(config, units)
    return {
        "@type": "CVR.CastVoteRecordReport",
        "CVR": _records(cvrs, config, ballots, tabulation, units),
        "Election": [_election(config)],
        "GeneratedDate": generated_date(now),
        "GpUnit": gp_units,
        "ReportGeneratingDeviceIds": [DEVICE_ID],
        "ReportingDevice": [
            {
                "@id": DEVICE_ID,
                "@type": "CVR.ReportingDevice",
                "Application": "RCTab",
                "Manufacturer": "Bright Spots",
            }
        ],
        "Version": "1.0.0",
    }
