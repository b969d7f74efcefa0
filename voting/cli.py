"""The ``voting`` command: count ballot files from the shell.

``voting count FILE`` (or ``voting count --example NAME``) prints the election, its
pairwise matrix, the Condorcet winner and the result of a method. User mistakes
(missing file, malformed ballots, bad options) print one line naming the file and
line and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from voting.exceptions import VotingError
from voting.profile import Profile

__all__ = ["main"]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voting",
        description="Count ranked-ballot elections exactly (Condorcet methods, CIVS, STV).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    count = sub.add_parser("count", help="count a ballot file and print the result")
    src = count.add_mutually_exclusive_group(required=True)
    src.add_argument("file", nargs="?", help="ballot file (CIVS CSV, Debian, PrefLib, BLT, ...)")
    src.add_argument("--example", metavar="NAME", help="a bundled election (see `voting examples`)")
    count.add_argument("--format", help="ballot format (default: inferred)")
    count.add_argument(
        "--unranked",
        choices=["last", "ignore"],
        help="how unranked candidates compare (default: the format's)",
    )
    count.add_argument(
        "--method", default=None, help="counting method (default: schulze when available)"
    )
    count.add_argument("--seats", type=int, default=1, help="number of seats (default 1)")

    sub.add_parser("examples", help="list the bundled example elections")
    return parser


def _load(args: argparse.Namespace) -> tuple[str, Profile]:
    from voting.examples import EXAMPLES, example_path
    from voting.formats import read_ballots

    if args.example is not None:
        if args.example not in EXAMPLES:
            raise _UsageError(
                f"no bundled example {args.example!r}; available: {', '.join(sorted(EXAMPLES))}"
            )
        ex = EXAMPLES[args.example]
        path = example_path(args.example)
        profile = read_ballots(path, format=args.format or ex.format, unranked=args.unranked)
        return ex.title, profile
    profile = read_ballots(args.file, format=args.format, unranked=args.unranked)
    return str(args.file), profile


class _UsageError(Exception):
    pass


def _count(args: argparse.Namespace, out: TextIO) -> None:
    title, profile = _load(args)
    m = profile.pairwise
    print(f"Election: {title}", file=out)
    print(
        f"{profile.num_voters} voters, {profile.num_ballots} distinct ballots, "
        f"{profile.num_candidates} candidates, unranked={profile.unranked}",
        file=out,
    )
    print("", file=out)
    print("Pairwise matrix: row candidate ranked above column candidate by N voters", file=out)
    print(m.to_text(), file=out)
    print("", file=out)
    winner = m.condorcet_winner()
    if winner is not None:
        print(f"Condorcet winner: {winner}", file=out)
    else:
        weak = m.weak_condorcet_winners()
        print(
            "No Condorcet winner; Smith set: " + ", ".join(sorted(m.smith_set()))
            + (f"; unbeaten: {', '.join(weak)}" if weak else ""),
            file=out,
        )
    _print_method_result(args, profile, out)


def _print_method_result(args: argparse.Namespace, profile: Profile, out: TextIO) -> None:
    try:
        from voting.methods import get_method
    except ImportError:
        if args.method is not None:
            raise _UsageError("no counting methods are installed in this version") from None
        return
    method = get_method(args.method or "schulze", seats=args.seats)
    result = method.run(profile)
    print("", file=out)
    print(str(result), file=out)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    stream = out if out is not None else sys.stdout
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "examples":
            from voting.examples import EXAMPLES

            for ex in EXAMPLES.values():
                print(f"{ex.name:<28} {ex.format:<8} {ex.title}", file=stream)
            return 0
        _count(args, stream)
    except (VotingError, _UsageError, OSError) as exc:
        print(f"voting: error: {exc}", file=sys.stderr)
        return 2
    return 0
