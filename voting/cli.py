"""The ``voting`` command: count, analyze, convert and validate ballot files from the shell.

``voting count FILE`` (or ``voting count --example NAME``) prints the election, its
pairwise matrix, the Condorcet winner and the result of a method (``--json`` for
machines, ``--explain`` for the method's explanation). ``voting analyze FILE
[--groups groups.toml]`` prints blocs, rank spread and head to head (in
:mod:`voting._cli_analyze`). ``voting convert IN OUT``
rewrites a ballot file in another format; ``voting validate FILE`` reports every line
that cannot be counted. User mistakes (missing file, malformed ballots, bad options)
print one line ``voting: error: ...`` naming the file and line, and exit with status 2;
no traceback.

Small elections are counted by NumPy paths, with no numba kernel to compile or load;
when a large input needs a kernel that numba has not compiled yet (the first run
after an install), the command says so once on standard error. ``count`` and
``analyze`` show progress bars on standard error when it is a terminal
(``--progress`` shows them anywhere, ``--no-progress`` never).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any, NoReturn, TextIO

from voting.exceptions import VotingError
from voting.profile import Profile

__all__ = ["main"]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and an exception, not an exit."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    from voting.formats import FORMATS

    formats = sorted(FORMATS)
    parser = _Parser(
        prog="voting",
        description="Count ranked-ballot elections exactly (Condorcet methods, CIVS, STV).",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    count = sub.add_parser("count", help="count a ballot file and print the result")
    src = count.add_mutually_exclusive_group(required=True)
    src.add_argument("file", nargs="?", help="ballot file (CIVS CSV, Debian, PrefLib, BLT, ...)")
    src.add_argument("--example", metavar="NAME", help="a bundled election (see `voting examples`)")
    count.add_argument("--format", choices=formats, help="ballot format (default: inferred)")
    count.add_argument(
        "--unranked",
        choices=["last", "ignore"],
        help="how unranked candidates compare (default: the format's)",
    )
    count.add_argument(
        "--method", default=None, help="counting method (default: schulze; see `voting methods`)"
    )
    count.add_argument(
        "--seats", type=int, default=None, help="number of seats (default: the file's, or 1)"
    )
    count.add_argument("--rule", help="STV rule (meek, scottish, ...), for methods with a rule")
    count.add_argument(
        "--inverted",
        action="store_true",
        help="CIVS proportional-mode CSV export (larger number = preferred)",
    )
    count.add_argument("--quota", help="STV quota, for methods with a quota")
    count.add_argument(
        "--seed", type=int, default=None, help="break ties by a random order drawn from seed S"
    )
    count.add_argument("--explain", action="store_true", help="print the method's explanation")
    count.add_argument("--json", action="store_true", help="print one JSON object")
    _add_progress_option(count)

    from voting._cli_analyze import add_parser as add_analyze

    add_analyze(sub, formats)
    _add_progress_option(sub.choices["analyze"])

    convert = sub.add_parser("convert", help="convert a ballot file to another format")
    convert.add_argument("input", help="ballot file to read")
    convert.add_argument("output", help="ballot file to write")
    convert.add_argument("--from", dest="from_format", choices=formats, help="input format")
    convert.add_argument(
        "--to", dest="to_format", choices=formats, help="output format (default: by extension)"
    )

    validate = sub.add_parser("validate", help="report every line of a ballot file not counted")
    validate.add_argument("file", help="ballot file")
    validate.add_argument("--format", choices=formats, help="ballot format (default: inferred)")

    sub.add_parser("examples", help="list the bundled example elections")
    sub.add_parser("methods", help="list the counting methods")
    return parser


def _add_progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bars on standard error (default: when it is a terminal; "
        "needs tqdm, the 'progress' extra)",
    )


def _progress(args: argparse.Namespace) -> bool:
    """Whether bars are asked for: ``--progress``, or by default (shown on a terminal)."""
    return getattr(args, "progress", None) is not False


def _load(args: argparse.Namespace) -> tuple[str, Profile, int | None]:
    """Title, profile and the number of seats the file names (or None)."""
    from voting.examples import EXAMPLES, example_path
    from voting.formats import read_ballots

    if args.example is not None:
        if args.example not in EXAMPLES:
            raise _UsageError(
                f"no bundled example {args.example!r}; available: {', '.join(sorted(EXAMPLES))}"
            )
        ex = EXAMPLES[args.example]
        path = example_path(args.example)
        profile, report = read_ballots(
            path,
            format=args.format or ex.format,
            unranked=args.unranked,
            errors="collect",
            progress=_progress(args),
        )
        report.raise_if_rejected()
        return ex.title, profile, report.seats
    extra = {"inverted": True} if getattr(args, "inverted", False) else {}
    profile, report = read_ballots(
        args.file,
        format=args.format,
        unranked=args.unranked,
        errors="collect",
        progress=_progress(args),
        **extra,
    )
    report.raise_if_rejected()
    title = str(args.file) if report.title is None else f"{report.title} ({args.file})"
    return title, profile, report.seats


def _make_method(args: argparse.Namespace, file_seats: int | None) -> Any:
    from voting.methods import METHODS, get_method
    from voting.ties import Random

    name = args.method or "schulze"
    if name not in METHODS:
        raise _UsageError(f"unknown method {name!r}; known methods: {', '.join(METHODS)}")
    from voting.methods import _method_class

    fields = {f.name for f in dataclasses.fields(_method_class(name))}
    params: dict[str, Any] = {}
    seats = args.seats if args.seats is not None else file_seats
    if seats is not None:
        if seats < 1:
            raise _UsageError(f"--seats must be at least 1, got {seats}")
        if seats != 1 and "seats" not in fields:
            raise _UsageError(f"method {name!r} elects one winner; it has no --seats")
        params["seats"] = seats
    for option in ("rule", "quota"):
        value = getattr(args, option)
        if value is not None:
            if option not in fields:
                raise _UsageError(f"method {name!r} has no --{option}")
            params[option] = value
    if args.seed is not None:
        if "tie_break" not in fields:
            raise _UsageError(f"method {name!r} has no tie-break to seed")
        params["tie_break"] = Random(seed=args.seed)
    return get_method(name, **params)


def _method_params(method: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for f in dataclasses.fields(method):
        value = getattr(method, f.name)
        if value is None or isinstance(value, bool | int | float | str):
            params[f.name] = value
        elif hasattr(value, "describe"):
            params[f.name] = str(value.describe())
        else:
            params[f.name] = str(value)
    return params


def _explanation_text(explanation: Any) -> str:
    if explanation is None:
        return "(no explanation)"
    to_text = getattr(explanation, "to_text", None)
    if callable(to_text):
        return str(to_text())
    if dataclasses.is_dataclass(explanation) and not isinstance(explanation, type):
        lines = []
        for f in dataclasses.fields(explanation):
            lines.append(f"{f.name}: {getattr(explanation, f.name)}")
        return "\n".join(lines)
    return str(explanation)


def _result_text(result: Any) -> str:
    lines = [f"Result ({result.method}, {result.seats} seat{'s' if result.seats != 1 else ''}):"]
    lines.append("  rank  candidate(s)")
    for i, tier in enumerate(result.ranking, 1):
        mark = "  (tied)" if len(tier) > 1 else ""
        lines.append(f"  {i:>4}  {' = '.join(tier)}{mark}")
    label = "Winner" if result.seats == 1 else "Elected"
    lines.append(f"{label}: {', '.join(result.elected) or '(none)'}")
    if result.tied_at_last_seat:
        lines.append(
            "Tied for the last seat (no tie-break chose among them): "
            + ", ".join(result.tied_at_last_seat)
        )
    for t in result.ties_broken:
        lines.append(f"Tie broken: {t}")
    if not result.ties_broken and not result.tied_at_last_seat:
        lines.append("No ties broken.")
    return "\n".join(lines)


def _count(args: argparse.Namespace, out: TextIO) -> None:
    from voting._progress import task

    title, profile, file_seats = _load(args)
    method = _make_method(args, file_seats)
    with task(_progress(args), "pairwise matrix", unit=" rounds") as bar:
        m = profile.pairwise
        bar.describe(f"counting ({method.name})")
        result = method.run(profile)
    if args.json:
        data = {
            "election": title,
            "candidates": list(profile.candidates),
            "voters": int(profile.num_voters),
            "unranked": str(profile.unranked),
            "method": result.method,
            "parameters": _method_params(method),
            "seats": result.seats,
            "ranking": [list(t) for t in result.ranking],
            "winners": list(result.winners),
            "elected": list(result.elected),
            "tied_at_last_seat": list(result.tied_at_last_seat),
            "ties_broken": [
                {"tied": list(t.tied), "order": list(t.order), "context": t.context, "rule": t.rule}
                for t in result.ties_broken
            ],
            "pairwise": {
                "candidates": list(m.candidates),
                "support": [[int(x) for x in row] for row in m.support],
            },
            "condorcet_winner": m.condorcet_winner(),
        }
        if args.explain:
            data["explanation"] = _explanation_text(result.explanation)
        print(json.dumps(data, indent=2), file=out)
        return
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
            "No Condorcet winner; Smith set: "
            + ", ".join(sorted(m.smith_set()))
            + (f"; unbeaten: {', '.join(weak)}" if weak else ""),
            file=out,
        )
    print("", file=out)
    print(_result_text(result), file=out)
    if args.explain:
        print("", file=out)
        print("Explanation:", file=out)
        print(_explanation_text(result.explanation), file=out)


def _convert(args: argparse.Namespace, out: TextIO) -> None:
    from voting.formats import read_ballots, write_ballots

    profile, report = read_ballots(args.input, format=args.from_format, errors="collect")
    report.raise_if_rejected()
    write_ballots(profile, args.output, format=args.to_format)
    print(
        f"{args.input} ({report.format}) -> {args.output}: {profile.num_voters} voters, "
        f"{profile.num_candidates} candidates",
        file=out,
    )


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from voting.formats import read_ballots

    _, report = read_ballots(args.file, format=args.format, errors="collect")
    for r in report.rejected:
        print(f"{args.file}:{r.line}: {r.reason} (line was: {r.text!r})", file=out)
    print(
        f"{args.file} ({report.format}): {report.ballots_read} ballots read, "
        f"{report.ballots_counted} counted, {report.ballots_rejected} rejected",
        file=out,
    )
    return 1 if report.rejected else 0


def _error_message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    from voting._dispatch import compile_notice
    from voting._progress import always_show

    stream = out if out is not None else sys.stdout
    context = ExitStack()
    try:
        parser = _build_parser()
        args = parser.parse_args(argv)
        context.enter_context(compile_notice(sys.stderr))
        context.enter_context(always_show(getattr(args, "progress", None) is True))
        if args.command == "examples":
            from voting.examples import EXAMPLES

            for ex in EXAMPLES.values():
                print(f"{ex.name:<28} {ex.format:<8} {ex.title}", file=stream)
            return 0
        if args.command == "methods":
            from voting.methods import METHODS

            for name in METHODS:
                print(name, file=stream)
            return 0
        if args.command == "convert":
            _convert(args, stream)
            return 0
        if args.command == "validate":
            return _validate(args, stream)
        if args.command == "analyze":
            from voting._cli_analyze import analyze

            title, profile, _ = _load(args)
            analyze(args, stream, title, profile)
            return 0
        _count(args, stream)
    except BrokenPipeError:  # `voting count ... | head`
        return 0
    except (VotingError, _UsageError, OSError, UnicodeDecodeError) as exc:
        print(f"voting: error: {_error_message(exc)}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    finally:
        context.close()
    return 0
