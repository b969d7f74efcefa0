"""``voting rctab CONFIG``: count a US ranked-choice contest as RCTab does.

Reads an RCTab configuration and its cast vote records, counts every round and prints the
winners; ``-o DIR`` writes the files RCTab writes (detailed and summary CSV, detailed JSON,
the records as CSV, per-precinct / per-batch reports, the records as NIST CDF JSON under
``generateCdfJson``), ``--json`` prints the detailed report(s); ``--convert-to-cdf`` only
converts the records to NIST CDF JSON, as RCTab's ``--convert-to-cdf`` does. Kept apart
from :mod:`voting.cli`, which only registers :func:`add_parser`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the ``rctab`` sub-command to the ``voting`` parser's sub-parsers."""
    p = sub.add_parser("rctab", help="count a US ranked-choice contest from an RCTab configuration")
    p.add_argument("config", help="RCTab contest configuration (.json)")
    p.add_argument("-o", "--output", metavar="DIR", help="write RCTab's result files into DIR")
    p.add_argument(
        "--prefix",
        help="file name prefix (default: the time, yyyy-MM-dd_HH-mm, as RCTab names them)",
    )
    p.add_argument("--json", action="store_true", help="print the detailed report(s) as JSON")
    p.add_argument(
        "--convert-to-cdf",
        action="store_true",
        help="only convert the cast vote records to NIST CDF JSON (no count): into DIR "
        "with -o, else on standard output",
    )
    p.set_defaults(run=run)


def _ask(tied: list[str], round_number: int, winner: bool) -> str:
    """Interactive tie-break on the terminal (RCTab's stopCountingAndAsk)."""
    if not sys.stdin.isatty():
        from voting.rctab import TabulationError

        raise TabulationError(
            f"tie in round {round_number} among {', '.join(tied)} needs the operator's decision, "
            "and standard input is not a terminal"
        )
    print(f"Tie in round {round_number} among:", file=sys.stderr)
    for i, name in enumerate(tied, 1):
        print(f"  {i}. {name}", file=sys.stderr)
    role = "win" if winner else "lose"
    while True:
        answer = input(f"Number of the candidate who should {role} this tie-break: ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(tied):
            return tied[int(answer) - 1]
        print("Invalid selection; try again.", file=sys.stderr)


def _convert_to_cdf(args: argparse.Namespace, out: TextIO) -> int:
    from voting.rctab import cdf_cvr_report, load_config
    from voting.rctab.output import write_cdf_cvr
    from voting.rctab.report import write_json
    from voting.rctab.sources import read_sources

    cfg = load_config(args.config)
    cvrs, _ = read_sources(cfg)
    if not args.output:
        write_json(cdf_cvr_report(cvrs, cfg), out)
        print(file=out)
        return 0
    path = write_cdf_cvr(cvrs, cfg, args.output, args.prefix)
    print(f"{cfg.contest_name}: {len(cvrs)} cast vote records; wrote {path}", file=out)
    return 0


def run(args: argparse.Namespace, out: TextIO) -> int:
    from voting.rctab import count_with_records, detailed_report
    from voting.rctab.output import write_results

    if args.convert_to_cdf:
        return _convert_to_cdf(args, out)
    tabs, cvrs = count_with_records(args.config, tiebreak=_ask)
    if args.json:
        docs = [detailed_report(t) for t in tabs]
        print(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2), file=out)
    else:
        cfg = tabs[0].config
        print(f"{cfg.contest_name}: {len(cvrs)} cast vote records", file=out)
        for tab in tabs:
            seat = f"pass {tab.sequence}: " if tab.sequence is not None else ""
            rounds = len(tab.rounds)
            print(f"  {seat}winners {', '.join(tab.winners)} ({rounds} rounds)", file=out)
    if args.output:
        paths = write_results(tabs, args.output, args.prefix, cvrs)
        print(f"wrote {len(paths)} files to {args.output}", file=out)
    return 0
