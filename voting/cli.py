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

Small elections are counted by NumPy paths, with no numba kernel to compile or load;
when a large input needs a kernel that numba has not compiled yet (the first run
after an install), the command says so once on standard error. ``count`` and
``analyze`` show progress bars on standard error when it is a terminal
(``--progress`` shows them anywhere, ``--no-progress`` never).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import re
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from voting._cli_options import UsageError
from voting._suggest import did_you_mean, lookup
from voting.exceptions import VotingError
from voting.profile import Profile

if TYPE_CHECKING:
    from voting._cli_options import Seats
    from voting.examples import Example
    from voting.formats import ReadReport

__all__ = ["main"]


_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<word>[^']*)' \(choose from (?P<choices>.*)\)")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and an exception, not an exit."""

    def error(self, message: str) -> NoReturn:
        found = _INVALID_CHOICE.search(message)
        if found is not None:  # a mistyped command or --format: name the closest
            choices = re.findall(r"'([^']*)'", found.group("choices"))
            message += did_you_mean(found.group("word"), choices)
        raise UsageError(message)


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
    count = _add_count(sub, formats)
    from voting._cli_analyze import add_parser as add_analyze

    add_analyze(sub, formats)
    from voting._cli_rctab import add_parser as add_rctab  # `voting rctab`: US RCV (RCTab)

    add_rctab(sub)
    from voting._cli_report import add_parser as add_report  # `voting report`: a results page

    add_report(sub, count)
    _add_progress_option(sub.choices["analyze"])
    _add_convert(sub, formats)
    validate = sub.add_parser("validate", help="report every line of a ballot file not counted")
    validate.add_argument("file", help="ballot file")
    validate.add_argument("--format", choices=formats, help="ballot format (default: inferred)")

    sub.add_parser("examples", help="list the bundled example elections")
    sub.add_parser("methods", help="list the counting methods")
    return parser


def _add_count(sub: Any, formats: list[str]) -> argparse.ArgumentParser:
    """The ``count`` sub-command (returned: ``voting report`` shares its options)."""
    from voting._cli_options import add_ballot_source, add_orientation

    count: argparse.ArgumentParser = sub.add_parser(
        "count", help="count a ballot file and print the result"
    )
    add_ballot_source(count, formats)
    count.add_argument(
        "--method", default=None, help="counting method (default: schulze; see `voting methods`)"
    )
    count.add_argument(
        "--seats", type=int, default=None, help="number of seats (default: the file's, or 1)"
    )
    count.add_argument("--rule", help="STV rule (meek, scottish, ...), for methods with a rule")
    add_orientation(count)
    count.add_argument("--quota", help="STV quota, for methods with a quota")
    count.add_argument(
        "--option",
        action="append",
        metavar="NAME=VALUE",
        help="any parameter of the method (e.g. strength=margins, first_preferences=recount, "
        "max_comparisons=100000); repeat for several",
    )
    count.add_argument(
        "--groups",
        metavar="TOML",
        help="groups of candidates for --max-per-group ([groups] name = [candidates]; "
        "optional [seated] name = seats already held)",
    )
    count.add_argument(
        "--max-per-group",
        type=int,
        metavar="K",
        help="elect at most K per group of --groups, skipping to the next in the ranking",
    )
    count.add_argument(
        "--seed", type=int, default=None, help="break ties by a random order drawn from seed S"
    )
    count.add_argument("--explain", action="store_true", help="print the method's explanation")
    count.add_argument("--json", action="store_true", help="print one JSON object")
    _add_progress_option(count)
    return count


def _add_convert(sub: Any, formats: list[str]) -> None:
    """The ``convert`` sub-command."""
    from voting._cli_options import add_orientation

    convert = sub.add_parser("convert", help="convert a ballot file to another format")
    convert.add_argument("input", help="ballot file to read")
    convert.add_argument("output", help="ballot file to write")
    convert.add_argument("--from", dest="from_format", choices=formats, help="input format")
    convert.add_argument(
        "--to", dest="to_format", choices=formats, help="output format (default: by extension)"
    )
    convert.add_argument(
        "--unranked",
        choices=["last", "ignore"],
        help="how unranked candidates compare in the input (default: the input format's)",
    )
    add_orientation(convert)
    convert.add_argument(
        "--unranked-as-last-tier",
        action="store_true",
        help="write each ballot's unranked candidates as a tied last tier (keeps pairwise "
        "counts when the output format reads unranked candidates as compared with nobody)",
    )
    convert.add_argument(
        "--write-option",
        action="append",
        metavar="NAME=VALUE",
        help="an option of the output format (seats=7, title=..., orientation=weights)",
    )


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    """Format options from ``--orientation`` / ``--inverted``."""
    orientation = getattr(args, "orientation", None)
    if getattr(args, "inverted", False):
        if orientation not in (None, "weights"):
            raise UsageError(f"--inverted contradicts --orientation {orientation}")
        orientation = "weights"
    return {} if orientation is None else {"orientation": orientation}


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


@dataclasses.dataclass(frozen=True)
class _Loaded:
    title: str
    profile: Profile
    report: ReadReport
    example: Example | None = None


def _load(args: argparse.Namespace) -> _Loaded:
    """The election named on the command line: a file or a bundled example."""
    from voting.examples import EXAMPLES, example_path
    from voting.formats import read_ballots

    options = _read_options(args)
    if args.example is not None:
        name = lookup(args.example, EXAMPLES)
        if name is None:
            raise UsageError(
                f"no bundled example {args.example!r}{did_you_mean(args.example, EXAMPLES)} "
                f"(available: {', '.join(sorted(EXAMPLES))})"
            )
        ex = EXAMPLES[name]
        path = example_path(name)
        profile, report = read_ballots(
            path,
            format=args.format or ex.format,
            unranked=args.unranked,
            errors="collect",
            **options,
            progress=_progress(args),
        )
        report.raise_if_rejected()
        args.withdrawn = report.withdrawn
        return _Loaded(ex.title, profile, report, ex)
    profile, report = read_ballots(
        _source(args.file),
        format=args.format,
        unranked=args.unranked,
        errors="collect",
        progress=_progress(args),
        **options,
    )
    report.raise_if_rejected()
    args.withdrawn = report.withdrawn
    shown = _shown(args.file)
    title = shown if report.title is None else f"{report.title} ({shown})"
    return _Loaded(title, profile, report)


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


def _orientation_line(report: ReadReport) -> str:
    return f"Orientation: {report.orientation}, {report.orientation_note}"


@dataclasses.dataclass(frozen=True)
class _Setup:
    method: Any
    method_source: str
    seats: Seats
    notes: tuple[str, ...] = ()


def _make_method(args: argparse.Namespace, loaded: _Loaded) -> _Setup:
    """The method the command line asks for, its seats, and where each came from."""
    from voting._cli_options import method_params, parse_assignments, resolve_seats
    from voting._suggest import unknown_name
    from voting.methods import METHODS, get_method, method_class
    from voting.ties import Random

    example = loaded.example
    report = loaded.report
    if args.method is not None:
        name, source = args.method, "--method"
    elif example is not None:
        name, source = example.method, "the example's official method"
    elif report.format == "debian":
        name, source = "debian", "the default for Debian tally sheets: constitution A.6"
    else:
        name, source = "schulze", "the default"
    found = lookup(name, METHODS)
    if found is None:
        raise UsageError(
            unknown_name("method", name, METHODS) + "; `voting methods` describes them"
        )
    name = found
    klass = method_class(name)
    fields = {f.name for f in dataclasses.fields(klass)}
    params = method_params(name, klass, parse_assignments(args.option, "--option"))
    given = args.seats
    if "seats" in params:
        if given is not None and given != params["seats"]:
            raise UsageError(f"--seats {given} contradicts --option seats={params['seats']}")
        given = params.pop("seats")
    seats = resolve_seats(
        given,
        None if example is None else example.seats,
        report.seats,
        report.format,
        loaded.profile,
    )
    notes: list[str] = []
    capped = args.groups is not None or args.max_per_group is not None
    if seats.value is not None:
        if "seats" in fields and not capped:
            params["seats"] = seats.value
        elif "seats" not in fields and seats.value != 1:
            if seats.source == "--seats":
                raise UsageError(f"method {name!r} elects one winner; it has no --seats")
            notes.append(
                f"{seats.source} gives {seats.value} seats, not used: method {name!r} "
                "elects one winner"
            )
            seats = dataclasses.replace(seats, value=1, source=f"{name} elects one winner")
    for option in ("rule", "quota"):
        value = getattr(args, option)
        if value is not None:
            if option not in fields:
                raise UsageError(f"method {name!r} has no --{option}")
            params[option] = value
    if args.seed is not None:
        if "tie_break" not in fields:
            raise UsageError(f"method {name!r} has no tie-break to seed")
        if "tie_break" in params:
            raise UsageError("--seed and --option tie_break=... both set the tie-break")
        params["tie_break"] = Random(seed=args.seed)
    method = get_method(name, **params)
    if capped:
        method = _group_cap(args, loaded.profile, method, seats.value or 1)
    return _Setup(method, source, seats, tuple(notes))


def _group_cap(args: argparse.Namespace, profile: Profile, inner: Any, seats: int) -> Any:
    from voting._cli_options import read_group_cap
    from voting.methods.group_cap import GroupCap

    if args.groups is None or args.max_per_group is None:
        raise UsageError("--max-per-group K and --groups TOML go together")
    groups, seated = read_group_cap(args.groups, profile)
    return GroupCap(
        method=inner,
        groups=groups,
        max_per_group=args.max_per_group,
        seats=seats,
        seated=seated,
    )


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


def _counted(args: argparse.Namespace) -> tuple[_Loaded, _Setup, Any]:
    """Read the ballots, make the method and run it, as ``count`` and ``report`` do."""
    from voting._cli_options import limit_hint
    from voting._progress import task

    loaded = _load(args)
    profile = loaded.profile
    setup = _make_method(args, loaded)
    method = setup.method
    with task(_progress(args), "pairwise matrix", unit=" rounds") as bar:
        _ = profile.pairwise  # computed once, under the bar (a cached property)
        bar.describe(f"counting ({method.name})")
        try:
            result = method.run(profile)
        except VotingError as exc:
            raise UsageError(_in_cli_terms(limit_hint(str(exc), type(method)))) from None
    return loaded, setup, result


def _count(args: argparse.Namespace, out: TextIO) -> None:
    loaded, setup, result = _counted(args)
    if args.json:
        print(json.dumps(_count_json(args, loaded, setup, result), indent=2), file=out)
    else:
        _count_text(args, loaded, setup, result, out)


def _count_json(
    args: argparse.Namespace, loaded: _Loaded, setup: _Setup, result: Any
) -> dict[str, Any]:
    """The JSON object of ``voting count --json``: the election, then ``result.to_dict()``
    (with the explanation's structured fields under ``--explain``)."""
    profile, report = loaded.profile, loaded.report
    counted = result.to_dict()
    explanation = counted.pop("explanation")
    m = profile.pairwise
    data = {
        "election": loaded.title,
        "candidates": list(profile.candidates),
        "withdrawn": list(getattr(args, "withdrawn", ())),
        "voters": int(profile.num_voters),
        "unranked": str(profile.unranked),
        "orientation": report.orientation,
        "orientation_note": report.orientation_note,
        "method": result.method,
        "method_source": setup.method_source,
        "parameters": _method_params(setup.method),
        "seats": result.seats,
        "seats_source": setup.seats.source,
        "notes": list(setup.notes) + list(result.explanation.notices()),
        **{k: v for k, v in counted.items() if k not in ("method", "candidates", "seats")},
        "pairwise": m.to_dict(),
        "condorcet_winner": m.condorcet_winner(),
    }
    if args.explain:
        data["explanation"] = explanation
    return data


def _count_text(
    args: argparse.Namespace, loaded: _Loaded, setup: _Setup, result: Any, out: TextIO
) -> None:
    """``voting count``: the election, the pairwise matrix, the result."""
    title, profile, report = loaded.title, loaded.profile, loaded.report
    m = profile.pairwise
    seats_line = f"{result.seats} ({setup.seats.source})"
    print(f"Election: {title}", file=out)
    print(
        f"{profile.num_voters} voters, {profile.num_ballots} distinct ballots, "
        f"{profile.num_candidates} candidates, unranked={profile.unranked}",
        file=out,
    )
    print(_orientation_line(report), file=out)
    if (withdrawn := _withdrawn_line(args)) is not None:
        print(withdrawn, file=out)
    print(f"Method: {result.method} ({setup.method_source}); seats: {seats_line}", file=out)
    for note in setup.notes:
        print(f"Note: {note}", file=out)
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
    notes = result.explanation.notices()
    for note in notes:
        print(note, file=out)
    if notes:
        print("", file=out)
    print(result.to_text(), file=out)
    if args.explain:
        print("", file=out)
        print("Explanation:", file=out)
        print(result.explanation.to_text(), file=out)


def _same_file(a: str, b: str) -> bool:
    import os

    if "-" in (a, b):  # standard input or output
        return False
    if os.path.abspath(a) == os.path.abspath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _convert(args: argparse.Namespace, out: TextIO) -> None:
    """Read, check that the output format keeps the count, write, read back, compare."""
    from voting._atomic import replacing_path
    from voting._cli_options import parse_assignments
    from voting.formats import formats_for_name, read_ballots

    if _same_file(args.input, args.output):
        raise UsageError(
            f"{args.output} is the input file; convert never overwrites its input, "
            "write to another file"
        )
    try:
        profile, report = read_ballots(
            _source(args.input),
            format=args.from_format,
            unranked=args.unranked,
            errors="collect",
            **_read_options(args),
        )
        report.raise_if_rejected()
    except VotingError as exc:  # format= is --from here
        raise UsageError(_in_cli_terms(_error_message(exc, cli=False), "--from")) from None
    if args.output == "-" and args.to_format is None:
        raise UsageError("writing to standard output (-) needs --to FORMAT")
    options: dict[str, Any] = {}
    for name, text in parse_assignments(args.write_option, "--write-option").items():
        options[name] = int(text) if text.isdigit() else text
    to_format = args.to_format
    if to_format is None:
        found = formats_for_name(args.output)
        to_format = found[0] if len(found) == 1 else None
    notes = _carry_over(report, to_format, options)
    written = profile.materialise_unranked() if args.unranked_as_last_tier else profile

    def write_and_check(target: str | TextIO, back_from: str | TextIO) -> Profile:
        return _write_and_check(args, profile, written, target, back_from, to_format, options)

    try:
        if args.output == "-":  # the ballots go to standard output, the summary to stderr
            buffer = io.StringIO()
            back = write_and_check(buffer, buffer)
            out.write(buffer.getvalue())
            out = sys.stderr
        else:
            with replacing_path(args.output) as tmp:  # OUT is replaced only once it reads back
                back = write_and_check(str(tmp), str(tmp))
    except VotingError as exc:  # format= is --to here
        raise UsageError(_in_cli_terms(_error_message(exc, cli=False), "--to")) from None
    withdrawn = f"; withdrawn, not written: {', '.join(report.withdrawn)}"
    print(
        f"{_shown(args.input)} ({report.format}, unranked={profile.unranked}) -> "
        f"{_shown(args.output, '<stdout>')} ({to_format}, unranked={back.unranked}): "
        f"{profile.num_voters} voters, {profile.num_candidates} candidates; read back: same "
        f"counts{withdrawn if report.withdrawn else ''}",
        file=out,
    )
    print(_orientation_line(report), file=out)
    if args.unranked_as_last_tier and written is not profile:
        print(
            "Note: unranked candidates written as a tied last tier: pairwise counts are "
            "kept; methods that transfer votes (IRV, STV) now see tied last preferences",
            file=out,
        )
    for note in notes:
        print(f"Note: {note}", file=out)


def _write_and_check(
    args: argparse.Namespace,
    profile: Profile,
    written: Profile,
    target: str | TextIO,
    back_from: str | TextIO,
    to_format: str | None,
    options: dict[str, Any],
) -> Profile:
    """Write ``profile`` to ``target``, read it back from ``back_from`` and refuse a file
    that would not count as ``written`` (the profile as it is meant to be written)."""
    from voting.formats import read_ballots, write_ballots

    write_ballots(
        profile,
        target,
        format=to_format,
        unranked_as_last_tier=args.unranked_as_last_tier,
        **options,
    )
    if not isinstance(back_from, str):
        back_from.seek(0)
    read_back = {k: v for k, v in options.items() if k == "orientation"}
    back: Profile = read_ballots(back_from, format=to_format, **read_back)
    if not back.equivalent(written):
        from voting.profile import difference

        raise UsageError(
            f"{_shown(args.output, '<stdout>')} would not read back to the same counts "
            f"({difference(written, back)}); it was not written. Please report this "
            "as a bug"
        )
    return back


def _carry_over(report: ReadReport, to_format: str | None, options: dict[str, Any]) -> list[str]:
    """Carry the seat count and title into ``options`` where ``to_format`` holds them;
    the notes saying what was carried and what was not."""
    notes: list[str] = []
    if to_format in ("blt", "cef") and report.seats is None and "seats" not in options:
        notes.append(
            f"the input holds no seat count; the {to_format} header says 1 (pass "
            "--write-option seats=N)"
        )
    carried = {"seats": report.seats, "title": report.title}
    for key, value in carried.items():
        if value is None or key in options:
            continue
        if to_format in ("blt", "cef") or (key == "title" and to_format in ("abif", "preflib")):
            options[key] = value
            notes.append(f"{key} {value!r} carried over")
        else:
            notes.append(
                f"the input's {key} ({value!r}) is not kept: {to_format} files do not hold it"
                + ("; pass --seats when counting" if key == "seats" else "")
            )
    return notes


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
    from voting._dispatch import compile_notice
    from voting._progress import always_show

    stream = out if out is not None else sys.stdout
    context = ExitStack()
    try:
        parser = _build_parser()
        if not (sys.argv[1:] if argv is None else list(argv)):
            print(_usage(parser), file=sys.stderr, end="")
            return 2
        args = parser.parse_args(argv)
        context.enter_context(compile_notice(sys.stderr))
        context.enter_context(always_show(getattr(args, "progress", None) is True))
        if args.command == "examples":
            from voting.examples import EXAMPLES

            for ex in EXAMPLES.values():
                seats = f"{ex.seats} seat{'s' if ex.seats != 1 else ''}"
                print(
                    f"{ex.name:<28} {ex.format:<8} {seats:<8} {ex.method:<18} {ex.title}",
                    file=stream,
                )
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
        if args.command == "report":
            from voting._cli_report import run as report

            return report(args, stream, _counted)
        if getattr(args, "run", None) is not None:  # sub-commands in their own modules
            return int(args.run(args, stream))
        if args.command == "analyze":
            from voting._cli_analyze import analyze

            loaded = _load(args)
            analyze(args, stream, loaded.title, loaded.profile, loaded.report)
            return 0
        _count(args, stream)
    except BrokenPipeError:  # `voting count ... | head`
        return 0
    except (VotingError, UsageError, OSError, UnicodeDecodeError) as exc:
        print(f"voting: error: {_error_message(exc)}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    finally:
        context.close()
    return 0
