"""The ``voting count`` options that reach a method's parameters, seats and group caps.

Kept apart from :mod:`voting.cli` so that the command-line module stays small.

* ``--option NAME=VALUE`` (repeatable) sets any parameter of the chosen method's
  dataclass; names are checked against the method's own fields (with a "did you
  mean" for typos) and values converted by the field's type, then validated by the
  method itself, so the messages are the Python API's.
* :func:`resolve_seats` decides the number of seats and says where it came from.
* :func:`read_groups` reads the groups file of ``voting analyze --groups`` (see
  :mod:`voting._cli_analyze`); :func:`read_group_cap` reads it with an optional
  ``[seated]`` table for ``--max-per-group``.
* :func:`add_orientation` adds ``--orientation`` / ``--inverted`` to ``count``,
  ``analyze`` and ``convert``.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from voting._suggest import did_you_mean
from voting.exceptions import VotingError
from voting.profile import Profile

__all__ = [
    "AnalyzeError",
    "CLIOptionError",
    "Seats",
    "add_ballot_source",
    "add_orientation",
    "limit_hint",
    "method_params",
    "parse_assignments",
    "read_group_cap",
    "read_groups",
    "resolve_seats",
]


class UsageError(Exception):
    """A command-line mistake: ``voting`` prints it on one line and exits with status 2."""


class CLIOptionError(VotingError, ValueError):
    """A bad ``--option``, seat count or groups file; one line, naming what to do."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_assignments(items: Sequence[str] | None, flag: str) -> dict[str, str]:
    """``["a=1", "b=x"]`` -> ``{"a": "1", "b": "x"}``; a repeated name is an error."""
    out: dict[str, str] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise CLIOptionError(
                f"{flag} {item!r}: expected NAME=VALUE, e.g. {flag} strength=margins"
            )
        if name in out:
            raise CLIOptionError(f"{flag} {name} is given twice")
        out[name] = value.strip()
    return out


def _number(text: str, what: str) -> int | Fraction | float:
    t = text.strip()
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t)
    if re.fullmatch(r"[+-]?\d+/\d+", t):
        return Fraction(t)
    try:
        return float(t)
    except ValueError:
        raise CLIOptionError(f"{what}={text!r} is not a number") from None


def _members(annotation: str) -> list[str]:
    """The top-level members of a union annotation: ``"str | Mapping[a, b] | None"``
    gives ``["str", "Mapping[a, b]", "None"]``."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(annotation):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(annotation[start:i].strip())
            start = i + 1
    out.append(annotation[start:].strip())
    return out


def _tie_break(what: str, text: str) -> Any:
    """``order:A>B>C`` (a fixed order of names), ``random:S`` (drawn from seed S) or
    ``candidate-order`` (the candidates' order in the file, the default; the older
    name ``lexicographic`` is accepted too)."""
    from voting.ties import CandidateOrder, Random

    kind, _, rest = text.partition(":")
    kind = kind.strip().lower()
    if kind in ("candidate-order", "candidate_order", "lexicographic") and not rest:
        return CandidateOrder()
    if kind == "order" and rest.strip():
        return CandidateOrder(order=[name.strip() for name in rest.split(">")])
    if kind == "random":
        seed = _number(rest, what)
        if isinstance(seed, int):
            return Random(seed=seed)
    raise CLIOptionError(
        f"{what}={text!r}: give candidate-order (the file's order), order:A>B>C (names, "
        "most favoured first) or random:S (an order drawn from seed S; same as --seed S)"
    )


def _convert(method: str, f: dataclasses.Field[Any], text: str) -> Any:
    """The value of ``--option f.name=text``, by the field's default and annotation."""
    what = f"--option {f.name}"
    annotation = str(f.type)
    low = text.strip().lower()
    members = _members(annotation)
    if "TieBreak" in annotation:
        return _tie_break(what, text)
    if "Random" in annotation:
        from voting.ties import Random

        if low in ("none", ""):
            return None
        value = _number(text, what)
        if not isinstance(value, int):
            raise CLIOptionError(f"{what}={text!r}: give a whole-number seed, or 'none'")
        return Random(seed=value)
    if low == "none" and "None" in members:
        return None
    if "str" in members:
        return text
    default = f.default if f.default is not dataclasses.MISSING else None
    if isinstance(default, bool) or annotation == "bool":
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise CLIOptionError(f"{what}={text!r}: expected true or false")
    if isinstance(default, int) or re.fullmatch(r"int(\s*\|\s*None)?", annotation):
        value = _number(text, what)
        if not isinstance(value, int):
            raise CLIOptionError(f"{what}={text!r}: expected a whole number")
        return value
    if isinstance(default, float) or "float" in annotation or "Fraction" in annotation:
        return _number(text, what)
    return text


def method_params(method: str, klass: type[Any], options: dict[str, str]) -> dict[str, Any]:
    """Parameters of ``klass`` (a method's dataclass) from ``--option`` assignments.

    Raises
    ------
    CLIOptionError
        A name that is not one of the method's parameters (with the closest names),
        or a value of the wrong kind.
    """
    fields = {f.name: f for f in dataclasses.fields(klass) if f.init}
    renamed = getattr(klass, "renamed_parameters", {})  # former names still work
    params: dict[str, Any] = {}
    for given, text in options.items():
        name = renamed.get(given, given)
        f = fields.get(name)
        if f is None:
            raise CLIOptionError(
                f"method {method!r} has no parameter {name!r}{did_you_mean(name, fields)} "
                f"(its parameters are: {', '.join(sorted(fields))})"
            )
        params[name] = _convert(method, f, text)
    return params


def limit_hint(message: str, klass: type[Any]) -> str:
    """``message`` plus how to raise, from the command line, a limit it names."""
    fields = {f.name for f in dataclasses.fields(klass)}
    named = [m for m in re.findall(r"[Rr]aise (\w+)", message) if m in fields]
    if not named:
        return message
    hints = ", ".join(f"--option {name}=N" for name in dict.fromkeys(named))
    return f"{message} (on the command line: {hints})"


def add_ballot_source(parser: argparse.ArgumentParser, formats: list[str]) -> None:
    """The ballots a sub-command reads (``count``, ``analyze``): a file or ``--example``,
    with ``--format`` and ``--unranked``."""
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("file", nargs="?", help="ballot file (CIVS CSV, Debian, PrefLib, BLT, ...)")
    src.add_argument("--example", metavar="NAME", help="a bundled election (see `voting examples`)")
    parser.add_argument("--format", choices=formats, help="ballot format (default: inferred)")
    parser.add_argument(
        "--unranked",
        choices=["last", "ignore"],
        help="how unranked candidates compare (default: the format's)",
    )


def add_orientation(parser: argparse.ArgumentParser) -> None:
    """Add ``--orientation`` and its older spelling ``--inverted`` (CIVS CSV files) to a
    sub-command (``count``, ``analyze``, ``convert``)."""
    parser.add_argument(
        "--orientation",
        choices=["auto", "ranks", "weights"],
        default=None,
        help="CIVS CSV numbers: ranks (1 = best), weights (larger = preferred: a "
        "proportional-mode export) or auto (infer, and say how; the default)",
    )
    parser.add_argument(
        "--inverted",
        action="store_true",
        help="same as --orientation weights (CIVS proportional-mode CSV export)",
    )


# ------------------------------------------------------------------------ seats
@dataclass(frozen=True, slots=True)
class Seats:
    """The number of seats to count for (None: the method's default) and its source."""

    value: int | None
    source: str


def resolve_seats(
    given: int | None,
    example_seats: int | None,
    file_seats: int | None,
    file_format: str,
    profile: Profile,
) -> Seats:
    """Where the seats come from: ``--seats``, the example's record, the file header.

    A header that would elect every candidate (seats >= candidates, with two or
    more) is not a seat count anyone counts for: exporters write other numbers
    there (the Nix 2024 BLT says ``23 23``). It is refused, asking for ``--seats``.

    Raises
    ------
    CLIOptionError
        ``--seats`` below 1, or an implausible header.
    """
    c = profile.num_candidates
    if given is not None:
        if given < 1:
            raise CLIOptionError(f"--seats must be at least 1, got {given}")
        return Seats(given, "--seats")
    if example_seats is not None:
        return Seats(example_seats, "the example's official seat count")
    if file_seats is not None:
        if c > 1 and file_seats >= c:
            raise CLIOptionError(
                f"the {file_format} file's header gives {file_seats} seats for {c} "
                f"candidates, which would elect every candidate; exporters often write "
                f"another number there (the number of candidates, say). Pass --seats N "
                f"with the number of seats the election filled"
            )
        if file_seats < 1:
            raise CLIOptionError(
                f"the {file_format} file's header gives {file_seats} seats; pass --seats N"
            )
        return Seats(file_seats, f"the {file_format} file's header")
    return Seats(None, "the method's default")


# ------------------------------------------------------------------- group cap
def read_group_cap(path: str | Path, profile: Profile) -> tuple[dict[str, str], dict[str, int]]:
    """Candidate -> group, and group -> seats already held, from a groups file.

    The file is the TOML of ``voting analyze --groups`` (a ``[groups]`` table of
    group -> candidate names) with an optional ``[seated]`` table of group ->
    members already holding seats (counted against ``--max-per-group``).

    Raises
    ------
    VotingError
        A malformed file, an unknown candidate, a candidate in two groups, or a
        ``[seated]`` entry that is not a whole number >= 0.
    """
    groups = read_groups(path, profile)
    member: dict[str, str] = {}
    for group, names in groups.items():
        for name in names:
            if name in member:
                raise CLIOptionError(
                    f"{path}: candidate {name!r} is in two groups ({member[name]!r} and "
                    f"{group!r}); a cap needs each candidate in one group"
                )
            member[name] = group
    with open(path, "rb") as f:
        table = tomllib.load(f).get("seated", {})
    if not isinstance(table, dict):
        raise CLIOptionError(f"{path}: [seated] must be a table of group = number of seats held")
    seated: dict[str, int] = {}
    for group, n in table.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise CLIOptionError(
                f"{path}: [seated] {group} = {n!r}; give the number of seats the group "
                "already holds (a whole number >= 0)"
            )
        seated[group] = n
    return member, seated


class AnalyzeError(VotingError, ValueError):
    """A user mistake in `voting analyze` (groups file, options); one line, naming the file."""


# ------------------------------------------------------------------ groups file
def _line_of(text: str, name: str) -> int | None:
    """The first line of ``text`` holding ``name`` as a quoted TOML string or bare key."""
    needles = (f'"{name}"', f"'{name}'")
    for i, line in enumerate(text.splitlines(), 1):
        if any(n in line for n in needles):
            return i
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f"{name} ") or line.strip().startswith(f"{name}="):
            return i
    return None


def _where(path: str, text: str, name: str) -> str:
    line = _line_of(text, name)
    return f"{path}, line {line}" if line is not None else path


def read_groups(path: str | Path, profile: Profile) -> dict[str, list[str]]:
    """Read a groups file and check it against ``profile``'s candidates.

    Raises
    ------
    AnalyzeError
        Not TOML, no ``[groups]`` table, a group that is not a list of names, or a
        name that is not a candidate; the message names the file and line.
    OSError
        The file cannot be read.
    """
    shown = str(path)
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise AnalyzeError(f"{shown}: not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise AnalyzeError(f"{shown}: not valid TOML: {exc}") from None
    table = data.get("groups")
    if not isinstance(table, dict):
        raise AnalyzeError(
            f"{shown}: expected a [groups] table mapping each group to a list of candidates, "
            'e.g. [groups] then Acme = ["ann", "bob"]'
        )
    if not table:
        raise AnalyzeError(f"{shown}: the [groups] table is empty")
    groups: dict[str, list[str]] = {}
    for name, members in table.items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise AnalyzeError(
                f"{_where(shown, text, name)}: group {name!r} must be a list of candidate "
                f"names, got {members!r}"
            )
        for m in members:
            if m not in profile.candidates:
                raise AnalyzeError(
                    f"{_where(shown, text, m)}: group {name!r} names unknown candidate {m!r}; "
                    f"candidates are {', '.join(profile.candidates)}"
                )
        groups[name] = members
    return groups
