"""``voting report``: a results page an election official can publish.

``voting report FILE|--example NAME [count options] -o results.html`` counts as ``voting
count`` does (the same loading, method, seats, ``--option``, ``--seed``, ``--groups``...)
and writes one self-contained HTML page (:mod:`voting.report`); ``--json-out FILE``
writes the page's data beside it. ``voting report CONFIG.json -o results.html`` on an
RCTab configuration counts the US ranked-choice contest as ``voting rctab`` does and
writes its round-by-round page. Kept apart from :mod:`voting.cli`, which only registers
:func:`add_parser`.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from voting._cli_options import UsageError

Counted = Callable[[argparse.Namespace], tuple[Any, Any, Any]]
"""Reads, sets up and counts an election from ``voting count``'s options."""

__all__ = ["add_parser", "is_rctab_config", "run"]


def add_parser(sub: Any, count: argparse.ArgumentParser) -> None:
    """Add ``report`` to the ``voting`` sub-commands, with every option of ``count``.

    ``count``'s options are shared, not copied (argparse's ``parents``): nothing here
    may redefine one (``--json`` and ``--explain`` keep their meaning: print the page's
    data, print the method's explanation), and ``-h`` is ``count``'s own action.
    """
    p = sub.add_parser(
        "report",
        parents=[count],
        add_help=False,
        help="count a ballot file (or an RCTab contest) and write a results page (HTML)",
        description="Count as `voting count` does and write one self-contained HTML page: "
        "winners and ties, ranking, pairwise table, strongest paths or round-by-round "
        "sheet, charts, ballots, input hashes and the command that recounts it. FILE may "
        "also be an RCTab contest configuration (.json).",
    )
    p.add_argument(
        "-o", "--output", required=True, metavar="HTML", help="the page to write ('-': stdout)"
    )
    p.add_argument("--json-out", metavar="JSON", help="also write the page's data as JSON")
    p.add_argument(
        "--permutations",
        type=int,
        default=9999,
        metavar="N",
        help="relabellings for the joint permutation test of --groups (default 9999)",
    )


def is_rctab_config(name: str | None) -> bool:
    """Whether ``name`` is an RCTab contest configuration (JSON with ``cvrFileSources``)."""
    if not name or name == "-" or not name.lower().endswith(".json"):
        return False
    try:
        with open(name, encoding="utf-8-sig") as f:
            head = json.load(f)
    except (OSError, ValueError):
        return False
    return isinstance(head, dict) and "cvrFileSources" in head


_COUNT_ONLY = (
    "format",
    "unranked",
    "method",
    "seats",
    "rule",
    "quota",
    "option",
    "groups",
    "max_per_group",
    "seed",
    "orientation",
)


def _rctab_data(args: argparse.Namespace) -> dict[str, Any]:
    from voting.report import rctab_report_data

    given = [name for name in _COUNT_ONLY if getattr(args, name, None) not in (None, False)]
    if given or args.inverted:
        flags = ", ".join(f"--{n.replace('_', '-')}" for n in given or ["inverted"])
        raise UsageError(
            f"{args.file} is an RCTab configuration: its rules set the count, so {flags} "
            "does not apply (edit the configuration instead)"
        )
    return rctab_report_data(args.file)


def _ballot_data(args: argparse.Namespace, counted: Counted) -> tuple[dict[str, Any], Any]:
    from voting._cli_options import read_groups
    from voting.report import report_data

    if args.permutations < 0:
        raise UsageError(f"--permutations must be at least 0, got {args.permutations}")
    setup_args = copy.copy(args)
    if args.max_per_group is None:
        setup_args.groups = None  # --groups alone: blocs on the page, no group cap
    loaded, setup, result = counted(setup_args)
    groups = None if args.groups is None else read_groups(args.groups, loaded.profile)
    data = report_data(
        loaded.profile,
        setup.method,
        result=result,
        read_report=loaded.report,
        source=None if loaded.example is not None else args.file,
        example=None if loaded.example is None else loaded.example.name,
        title=loaded.title,
        groups=groups,
        groups_file=args.groups,
        permutations=args.permutations,
        method_source=setup.method_source,
        seats_source=setup.seats.source,
        notes=[*setup.notes, *result.explanation.notices()],
    )
    return data, result


def run(args: argparse.Namespace, out: TextIO, counted: Counted) -> int:
    """Count, write the page (and its JSON), print one line saying what was written.

    ``counted(args)`` reads the ballots, makes the method and runs it, as ``voting
    count`` does (:mod:`voting.cli` passes its own), returning what was read (with
    ``profile``, ``report``, ``title`` and ``example``), the method set up (with
    ``method``, ``method_source``, ``seats`` and ``notes``) and the result.
    """
    from voting.report import render_html, write_report

    if args.file == "-":
        raise UsageError(
            "voting report reads a file, not standard input: the page gives the file's "
            "SHA-256 so that anyone can recount it; save the ballots to a file first"
        )
    if args.file is not None and is_rctab_config(args.file):
        data, result = _rctab_data(args), None
    else:
        data, result = _ballot_data(args, counted)
    if args.output == "-":
        out.write(render_html(data))
        write_report(data, None, json_path=args.json_out)
        return 0
    write_report(data, args.output, json_path=args.json_out)
    elected = ", ".join(data["result"]["elected"])
    also = f" and {args.json_out}" if args.json_out else ""
    print(f"wrote {args.output}{also}: {data['title']}; elected {elected}", file=out)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
    if args.explain:
        print(data.get("explanation_text") or "(no explanation)", file=out)
    if result is not None and result.ties_broken:
        print(f"note: {len(result.ties_broken)} tie(s) broken; see the page", file=sys.stderr)
    return 0
