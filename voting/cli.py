"""The ``voting`` command: count, analyze, convert and validate ballot files from the shell.

``voting count FILE`` (or ``voting count --example NAME``) prints the election, its
pairwise matrix, the Condorcet winner and the result of a method (``--json`` for
machines, ``--explain`` for the method's explanation). ``voting analyze FILE
[--groups groups.toml]`` prints blocs, rank spread and head to head (in
:mod:`voting._cli_analyze`). ``voting convert IN OUT``
rewrites a ballot file in another format; ``voting validate FILE`` reports every line
that cannot be counted. A file named ``-`` is standard input (its format given with
``--format``, or sniffed from its first lines). User mistakes (missing file, malformed
ballots, bad options) print one line ``voting: error: ...`` naming the file and line,
in the command line's terms (``--seats``, not ``seats=``), and exit with status 2; no
traceback. ``voting`` alone prints the usage on standard error and exits with status 2;
``voting --version`` prints the version.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from voting._suggest import did_you_mean, lookup
from voting.exceptions import VotingError
from voting.profile import Profile

__all__ = ["main"]


class _UsageError(Exception):
    pass


_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<word>[^']*)' \(choose from (?P<choices>.*)\)")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and an exception, not an exit."""

    def error(self, message: str) -> NoReturn:
        found = _INVALID_CHOICE.search(message)
        if found is not None:  # a mistyped command or --format: name the closest
            choices = re.findall(r"'([^']*)'", found.group("choices"))
            message += did_you_mean(found.group("word"), choices)
        raise _UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    from voting.formats import FORMATS

    formats = sorted(FORMATS)
    parser = _Parser(
        prog="voting",
        description="Count ranked-ballot elections exactly (Condorcet methods, CIVS, STV).",
        epilog="A FILE of '-' reads standard input. `voting COMMAND --help` describes a command.",
    )
    parser.add_argument("--version", action="version", version=_version())
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

    from voting._cli_analyze import add_parser as add_analyze

    add_analyze(sub, formats)

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


def _load(args: argparse.Namespace) -> tuple[str, Profile, int | None]:
    """Title, profile and the number of seats the file names (or None)."""
    from voting.examples import EXAMPLES, example_path
    from voting.formats import read_ballots

    if args.example is not None:
        name = lookup(args.example, EXAMPLES)
        if name is None:
            raise _UsageError(
                f"no bundled example {args.example!r}{did_you_mean(args.example, EXAMPLES)} "
                f"(available: {', '.join(sorted(EXAMPLES))})"
            )
        ex = EXAMPLES[name]
        path = example_path(name)
        profile, report = read_ballots(
            path, format=args.format or ex.format, unranked=args.unranked, errors="collect"
        )
        report.raise_if_rejected()
        args.withdrawn = report.withdrawn
        return ex.title, profile, report.seats
    extra = {"inverted": True} if getattr(args, "inverted", False) else {}
    profile, report = read_ballots(
        _source(args.file), format=args.format, unranked=args.unranked, errors="collect", **extra
    )
    report.raise_if_rejected()
    args.withdrawn = report.withdrawn
    shown = _shown(args.file)
    title = shown if report.title is None else f"{report.title} ({shown})"
    return title, profile, report.seats


class _StandardInput(io.TextIOWrapper):
    """Standard input decoded as UTF-8 (a byte-order mark skipped), named ``<stdin>``.

    Closing it (or dropping it) leaves the process's standard input open, as reading a
    file named ``-`` must not close ``sys.stdin`` under a caller of :func:`main`.
    """

    @property
    def name(self) -> str:
        return "<stdin>"

    def close(self) -> None:
        pass


def _source(name: str) -> str | TextIO:
    """The file ``name``, or standard input when it is ``-``."""
    if name != "-":
        return name
    return _StandardInput(sys.stdin.buffer, encoding="utf-8-sig", newline="")


def _shown(name: str, stream: str = "<stdin>") -> str:
    """How messages name a file given on the command line: ``-`` is ``stream``."""
    return stream if name == "-" else str(name)


def _withdrawn_line(args: argparse.Namespace) -> str | None:
    """``Withdrawn (not counted): A, B`` for the candidates the file withdrew, or None."""
    withdrawn = getattr(args, "withdrawn", ())
    return f"Withdrawn (not counted): {', '.join(withdrawn)}" if withdrawn else None


def _version() -> str:
    from voting import __version__

    return f"voting {__version__}"


def _make_method(args: argparse.Namespace, file_seats: int | None) -> Any:
    from voting.methods import METHODS, get_method
    from voting.ties import Random

    name = lookup(args.method or "schulze", METHODS)
    if name is None:
        raise _UsageError(
            f"unknown method {args.method!r}{did_you_mean(args.method, METHODS)} "
            "(`voting methods` lists them)"
        )
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
    title, profile, file_seats = _load(args)
    method = _make_method(args, file_seats)
    m = profile.pairwise
    result = method.run(profile)
    if args.json:
        data = {
            "election": title,
            "candidates": list(profile.candidates),
            "withdrawn": list(getattr(args, "withdrawn", ())),
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
    if (withdrawn := _withdrawn_line(args)) is not None:
        print(withdrawn, file=out)
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

    try:
        profile, report = read_ballots(
            _source(args.input), format=args.from_format, errors="collect"
        )
        report.raise_if_rejected()
    except VotingError as exc:  # format= is --from here
        raise _UsageError(_in_cli_terms(_error_message(exc, cli=False), "--from")) from None
    if args.output == "-" and args.to_format is None:
        raise _UsageError("writing to standard output (-) needs --to FORMAT")
    try:
        if args.output == "-":  # the ballots go to standard output, the summary to stderr
            write_ballots(profile, out, format=args.to_format)
            out = sys.stderr
        else:
            write_ballots(profile, args.output, format=args.to_format)
    except VotingError as exc:  # format= is --to here
        raise _UsageError(_in_cli_terms(_error_message(exc, cli=False), "--to")) from None
    withdrawn = f"; withdrawn, not written: {', '.join(report.withdrawn)}"
    print(
        f"{_shown(args.input)} ({report.format}) -> {_shown(args.output, '<stdout>')}: "
        f"{profile.num_voters} voters, "
        f"{profile.num_candidates} candidates{withdrawn if report.withdrawn else ''}",
        file=out,
    )


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from voting.formats import read_ballots

    _, report = read_ballots(_source(args.file), format=args.format, errors="collect")
    shown = _shown(args.file)
    for r in report.rejected:
        print(f"{shown}:{r.line}: {r.reason} (line was: {r.text!r})", file=out)
    print(
        f"{shown} ({report.format}): {report.ballots_read} ballots read, "
        f"{report.ballots_counted} counted, {report.ballots_rejected} rejected",
        file=out,
    )
    if report.withdrawn:
        print(f"withdrawn candidates (not counted): {', '.join(report.withdrawn)}", file=out)
    return 1 if report.rejected else 0


def _error_message(exc: BaseException, cli: bool = True) -> str:
    """One line for ``exc``; a library error's ``seats=`` as ``--seats`` when ``cli``."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    message = " ".join(str(exc).split()) or type(exc).__name__
    return _in_cli_terms(message) if cli and isinstance(exc, VotingError) else message


#: Python parameter -> the flag that sets it, for messages raised by the library.
_FLAGS = {
    "seats": "--seats",
    "rule": "--rule",
    "quota": "--quota",
    "format": "--format",
    "unranked": "--unranked",
    "inverted": "--inverted",
    "permutations": "--permutations",
    "seed": "--seed",
}
_PARAM = "|".join(_FLAGS)
_CALL = re.compile(rf"\b[A-Z]\w*\((?P<param>{_PARAM})=(?P<value>'[^']*'|[^,)\s]+)\)")
_ASSIGN = re.compile(rf"(?<![\w.-])(?P<param>{_PARAM})=(?P<value>'[^']*'|[^\s,;)]*[^\s,;).])?")


def _in_cli_terms(message: str, format_flag: str = "--format") -> str:
    """A library message about ``seats=5`` or ``STV(rule='meek-equal')`` in the terms of
    the command line: ``--seats 5``, ``--rule meek-equal``; ``format=`` becomes
    ``format_flag`` (``--from`` or ``--to`` for ``voting convert``).

    >>> _in_cli_terms("stv: seats=99 but the profile has 11 candidates.")
    'stv: --seats 99 but the election has 11 candidates.'
    >>> _in_cli_terms("cannot infer the ballot format; pass format= one of ['blt', 'civs']")
    "cannot infer the ballot format; pass --format one of ['blt', 'civs']"
    >>> _in_cli_terms("Use STV(rule='meek-equal'), which shares a ballot's value")
    "Use --rule meek-equal, which shares a ballot's value"
    """

    def flag(found: re.Match[str]) -> str:
        value = (found.group("value") or "").strip("'")
        param = found.group("param")
        name = format_flag if param == "format" else _FLAGS[param]
        return f"{name} {value}".rstrip()

    message = _CALL.sub(flag, message)
    message = _ASSIGN.sub(flag, message)
    message = message.replace("(or None for the rule's own)", "(or no --quota for the rule's own)")
    return message.replace("the profile has", "the election has")


def _usage(parser: argparse.ArgumentParser) -> str:
    """The usage line and the list of commands, for ``voting`` run with no arguments."""
    text = parser.format_help()
    return text.split("options:")[0].rstrip() + "\n\nRun `voting --help` for the options.\n"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    stream = out if out is not None else sys.stdout
    try:
        parser = _build_parser()
        if not (sys.argv[1:] if argv is None else list(argv)):
            print(_usage(parser), file=sys.stderr, end="")
            return 2
        args = parser.parse_args(argv)
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
    return 0
