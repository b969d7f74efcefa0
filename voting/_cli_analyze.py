"""``voting analyze``: blocs, rank spread and head to head of one ballot file.

Kept apart from :mod:`voting.cli` so that the command-line module stays small; the
entry point is still ``voting.cli:main``, which calls :func:`add_parser` and
:func:`analyze`.

The groups file is TOML with one table, ``[groups]``, mapping a group's name (say an
employer) to the list of its candidates, spelled as in the ballot file::

    [groups]
    Cisco = ["detiber", "justaugustus", "natalisucks"]
    "Red Hat" = ["soltysh", "vincepri"]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any, TextIO

from voting._cli_options import AnalyzeError, add_ballot_source, add_orientation, read_groups
from voting.exceptions import VotingError
from voting.profile import Profile

__all__ = ["AnalyzeError", "add_parser", "analyze", "read_groups"]


def add_parser(sub: Any, formats: list[str]) -> None:
    """Add the ``analyze`` sub-command to the ``voting`` parser's sub-parsers."""
    p = sub.add_parser("analyze", help="blocs, rank spread and head to head of a ballot file")
    add_ballot_source(p, formats)
    add_orientation(p)
    p.add_argument(
        "--groups",
        metavar="TOML",
        help="groups of candidates ([groups] name = [candidates]); "
        "without it, the blocs are discovered",
    )
    p.add_argument(
        "--permutations",
        type=int,
        default=9999,
        metavar="N",
        help="relabellings for the joint permutation test of the groups (default 9999; 0 skips)",
    )
    p.add_argument(
        "--seed", type=int, default=0, help="seed of the joint permutation test (default 0)"
    )
    p.add_argument(
        "--plot",
        metavar="PNG",
        help="save the rank-spread bubble chart (.png, .svg; .png added when PATH has no suffix)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")


# ------------------------------------------------------------------- output
def plot_path(path: str) -> str:
    """The file ``--plot PATH`` writes: ``PATH``, or ``PATH.png`` when it has no suffix
    (matplotlib would add one of its own choosing; naming it here lets the output say
    which file was written).

    >>> plot_path("spread"), plot_path("out/spread.svg")
    ('spread.png', 'out/spread.svg')
    """
    return path if Path(path).suffix else f"{path}.png"


def _save_plot(spread: Any, path: str, title: str) -> None:
    try:
        spread.plot(path=path, title=f"Rank spread: {title}")
    except ImportError:
        raise AnalyzeError(
            "--plot needs matplotlib: pip install 'voting[plot]' (or pip install matplotlib)"
        ) from None
    except ValueError as exc:  # matplotlib: unsupported file format
        raise AnalyzeError(f"{path}: cannot save the chart: {exc}") from None


def analyze(
    args: argparse.Namespace,
    out: TextIO,
    title: str,
    profile: Profile,
    report: Any = None,
) -> None:
    """Print the analyses of ``profile`` (already read) as the options ask.

    ``report`` (the :class:`voting.ReadReport` of the read) adds how the file's
    ballots were oriented.
    """
    from voting.analysis import bloc_voting, discover_blocs, head_to_head_table, rank_spread

    if args.permutations < 0:
        raise AnalyzeError(f"--permutations must be at least 0, got {args.permutations}")
    blocs: Any
    if args.groups is not None:
        groups = read_groups(args.groups, profile)
        try:
            blocs = bloc_voting(profile, groups, permutations=args.permutations, seed=args.seed)
        except VotingError as exc:  # a repeated member, a group of every candidate
            raise AnalyzeError(f"{args.groups}: {exc}") from None
    else:
        blocs = discover_blocs(profile)
    spread = rank_spread(profile)
    table = head_to_head_table(profile)
    plot = None if args.plot is None else plot_path(args.plot)
    if plot is not None:
        _save_plot(spread, plot, title)
    done = _Analyses(title, profile, report, blocs, spread, table, plot)
    if args.json:
        print(json.dumps(_analysis_json(args, done), indent=2), file=out)
    else:
        _analysis_text(args, out, done)


@dataclasses.dataclass(frozen=True)
class _Analyses:
    """What ``voting analyze`` computed for one election."""

    title: str
    profile: Profile
    report: Any  # the ReadReport of the file, or None
    blocs: Any  # BlocReport (--groups) or DiscoveredBlocs
    spread: Any  # RankSpread
    table: Any  # HeadToHeadTable
    plot: str | None  # where the chart was saved


def _analysis_json(args: argparse.Namespace, done: _Analyses) -> dict[str, Any]:
    """``voting analyze --json``: the analyses as one JSON-ready object."""
    title, profile, report, blocs = done.title, done.profile, done.report, done.blocs
    spread, table, plot = done.spread, done.table, done.plot
    data: dict[str, Any] = {
        "election": title,
        "candidates": list(profile.candidates),
        "withdrawn": list(getattr(args, "withdrawn", ())),
        "voters": int(profile.num_voters),
        "unranked": str(profile.unranked),
    }
    if report is not None:
        data["orientation"] = report.orientation
        data["orientation_note"] = report.orientation_note
    data["blocs" if args.groups is not None else "discovered_blocs"] = blocs.to_dict()
    data["rank_spread"] = spread.to_dict()
    data["head_to_head"] = table.to_dict()
    if plot is not None:
        data["plot"] = plot
    return data


def _analysis_text(args: argparse.Namespace, out: TextIO, done: _Analyses) -> None:
    """``voting analyze``: the analyses as text."""
    title, profile, report, blocs = done.title, done.profile, done.report, done.blocs
    spread, table, plot = done.spread, done.table, done.plot
    print(f"Election: {title}", file=out)
    print(
        f"{profile.num_voters} voters, {profile.num_candidates} candidates, "
        f"unranked={profile.unranked}",
        file=out,
    )
    if report is not None:
        print(f"Orientation: {report.orientation}, {report.orientation_note}", file=out)
    if withdrawn := getattr(args, "withdrawn", ()):
        print(f"Withdrawn (not counted): {', '.join(withdrawn)}", file=out)
    print("", file=out)
    if args.groups is not None:
        print(f"== Blocs (groups from {args.groups})", file=out)
    else:
        print("== Blocs (discovered; give --groups FILE to test known groups)", file=out)
    print(blocs.to_text(), file=out)
    print("", file=out)
    print("== Rank spread (position each voter gave each candidate; ties averaged)", file=out)
    print(spread.to_text(), file=out)
    if plot is not None:
        print(f"Bubble chart saved to {plot}", file=out)
    print("", file=out)
    print("== Head to head (cell: row voters - column voters)", file=out)
    print(table.to_text(), file=out)
