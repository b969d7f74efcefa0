"""Fuzzing harness: every reader, writer and the CLI on hostile input (issue 17).

Inputs are the real elections of ``tests/data/elections`` (and ABIF and CEF copies our
writers make of them), mutated: byte flips, truncation, duplicated lines and spans,
NUL bytes, invalid UTF-8, other encodings, huge and non-ASCII numbers, long lines,
other line ends, and gzip (whole or truncated); plus text that hypothesis builds from
each format's own alphabet. For every input, each of these must hold:

- reading either gives a profile or raises a :class:`voting.VotingError` that names
  the file (and, for a :class:`voting.BallotFormatError` about a line, a line number
  in the file); nothing else escapes;
- under ``errors="collect"`` the report accounts for every ballot:
  ``read == counted + rejected`` and ``counted == profile.num_voters``; ``"raise"``
  stops at the first rejected line or gives the same profile; ``"ignore"`` gives the
  same profile and warns with the same report exactly when lines were skipped;
  :func:`voting.iter_ballots` yields chunks adding up to the report's count;
- changes that do not change the ballots (line ends, byte-order marks, UTF-16, gzip)
  give exactly the same profile, and a duplicated ballot line exactly one more;
- every writer either writes a file that reads back to the same profile or refuses
  with a ``VotingError``, leaving an existing file untouched;
- the CLI (``validate``, ``count``, ``convert``) exits 0, 1 or 2, with a one-line
  error naming the file on 2, and an output file untouched when ``convert`` fails;
- each input is handled in bounded time (a hang guard fails the test after 60 s,
  far above any real cost: speed is measured in ``benchmarks/bench_hostile.py``) and
  bounded memory (line length capped at 4,096 characters here, so a mutation that
  grows a line is refused before it is held).

Randomness comes from a seeded ``random.Random``; the number of mutations per seed
file keeps the whole module to about a minute on two cores.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import random
import re
import signal
import threading
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import voting
from voting import (
    BallotFormatError,
    Profile,
    ReadReport,
    VotingError,
    iter_ballots,
    read_ballots,
)
from voting.cli import main
from voting.formats import FORMATS, RejectedBallotsWarning, write_ballots

from .conftest import ELECTIONS

LINE_LIMIT = 4096
SEEDS: dict[str, list[str]] = {
    "civs": ["knative/2021-SC/ballots.csv", "kubernetes/2018/BALLOTS.csv"],
    "debian": ["debian/2007/vote_001_tally.txt", "debian/2003/leader2003_tally.txt"],
    "preflib": [
        "preflib/00002-debian/00002-00000006.toc",
        "preflib/00002-debian/00002-00000001.soi",
    ],
    "blt": [
        "nixos/SC-election-2024/opavote_ballots.blt",
        "scotland/glasgow-2007/Springburn-2007.blt",
    ],
}
MUTATIONS_PER_FILE = 60
_EXT = {
    "civs": ".csv",
    "debian": ".txt",
    "preflib": ".toc",
    "blt": ".blt",
    "abif": ".abif",
    "cef": ".cvotes",
}


# ------------------------------------------------------------------- the inputs
@pytest.fixture(scope="module")
def seed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The real files by format, with ABIF and CEF copies our writers made of some."""
    out = {fmt: [ELECTIONS / rel for rel in rels] for fmt, rels in SEEDS.items()}
    folder = tmp_path_factory.mktemp("seeds")
    for fmt in ("abif", "cef"):
        out[fmt] = []
        for src in (out["preflib"][0], out["blt"][0]):
            p = read_ballots(src)
            dest = folder / f"{src.stem}{_EXT[fmt]}"
            write_ballots(p, dest, format=fmt)
            out[fmt].append(dest)
    return out


def _mutations(data: bytes, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Hostile variants of ``data``, a few of each kind."""
    n = len(data)
    text = data.decode("utf-8", "replace")
    numbers = [m.span() for m in re.finditer(r"[0-9]+", text)]
    lines = data.split(b"\n")
    for _ in range(MUTATIONS_PER_FILE):
        kind = rng.randrange(11)
        if kind == 0:
            flipped = bytearray(data)
            for _ in range(rng.randrange(1, 6)):
                flipped[rng.randrange(n)] = rng.randrange(256)
            yield "byte flips", bytes(flipped)
        elif kind == 1:
            yield "truncated", data[: rng.randrange(n)]
        elif kind == 2:
            i = rng.randrange(n)
            j = min(n, i + rng.randrange(1, 400))
            yield "span duplicated", data[:j] + data[i:j] + data[j:]
        elif kind == 3:
            i = rng.randrange(n)
            yield "NUL byte", data[:i] + b"\x00" + data[i:]
        elif kind == 4:
            i = rng.randrange(n)
            yield (
                "invalid UTF-8",
                data[:i] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80"]) + data[i:],
            )
        elif kind == 5 and numbers:
            a, b = rng.choice(numbers)
            big = rng.choice(
                [
                    "9" * 25,
                    "9" * 5000,
                    str(2**63),
                    str(2**64 - 1),
                    str(2**62),
                    "0",
                    "\u00b2",
                    "\u0663",
                ]
            )
            yield "number replaced", (text[:a] + big + text[b:]).encode()
        elif kind == 6:
            i = rng.randrange(n)
            yield (
                "long line",
                data[:i] + b"7" * rng.choice([LINE_LIMIT + 1, 3 * LINE_LIMIT]) + data[i:],
            )
        elif kind == 7:
            yield "latin-1", text.encode("latin-1", "replace")
        elif kind == 8:
            i = rng.randrange(len(lines))
            yield "line deleted", b"\n".join(lines[:i] + lines[i + 1 :])
        elif kind == 9:
            i = rng.randrange(len(lines))
            j = rng.randrange(len(lines))
            yield "line moved", b"\n".join([*lines[:i], lines[j], *lines[i:]])
        else:
            yield "gzip truncated", gzip.compress(data, mtime=0)[: rng.randrange(1, n // 3 + 20)]


# ------------------------------------------------------------------ the checks
class Hang(Exception):
    pass


@contextlib.contextmanager
def hang_guard(seconds: int = 60) -> Iterator[None]:
    """Fail (not hang) when one input takes longer than ``seconds``."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        raise Hang(f"one input took more than {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _read(
    source: Any, fmt: str | None, errors: Literal["raise", "collect", "ignore"], **kw: Any
) -> Any:
    if not isinstance(source, Path):
        source = io.StringIO(source)
    return read_ballots(source, format=fmt, errors=errors, max_line_length=LINE_LIMIT, **kw)


def _outcome(fn: Callable[[], Any], name: str, n_lines: int) -> Any:
    """``fn()``, or the VotingError it raised after checking that it names the source."""
    try:
        return fn()
    except VotingError as exc:
        error = exc
    assert name in str(error), f"error without the file name: {error}"
    if isinstance(error, BallotFormatError) and error.line is not None:
        assert 1 <= error.line <= n_lines + 1, (error.line, n_lines, str(error))
    return error


def check_reads(source: Path | str, fmt: str | None) -> Profile | None:
    """Every invariant of the module docstring for reading ``source``; returns the
    profile read under ``errors="collect"`` (None when the file is refused)."""
    if isinstance(source, Path):
        name = str(source)
        raw = source.read_bytes()
        if source.suffix == ".gz":  # as much as decompresses, for the line count
            with contextlib.suppress(zlib.error):
                raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw)
        n_lines = raw.count(b"\n") + raw.count(b"\r") + 1
    else:
        name = "<stream>"
        n_lines = len(source.splitlines()) + 1
    with hang_guard(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # CEF skip warnings etc.
        strict = _outcome(lambda: _read(source, fmt, "raise"), name, n_lines)
        collected = _outcome(lambda: _read(source, fmt, "collect"), name, n_lines)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RejectedBallotsWarning)
            ignored = _outcome(lambda: _read(source, fmt, "ignore"), name, n_lines)
    if isinstance(collected, VotingError):
        # a structural error ends the read whatever the policy (under "raise" a bad
        # ballot line before it may end it first)
        assert isinstance(strict, VotingError) and isinstance(ignored, VotingError)
        assert str(collected) == str(ignored)
        return None
    profile: Profile
    report: ReadReport
    profile, report = collected
    assert report.ballots_read == report.ballots_counted + report.ballots_rejected
    assert report.ballots_counted == profile.num_voters
    assert all(1 <= r.line <= n_lines for r in report.rejected)
    assert all(r.weight >= 0 for r in report.rejected)
    if report.rejected:
        assert isinstance(strict, BallotFormatError), "raise read a file with bad lines"
        assert strict.line == report.rejected[0].line
    else:
        assert strict == profile
    assert ignored == profile
    warned = [w.message for w in caught if isinstance(w.message, RejectedBallotsWarning)]
    assert len(warned) == (1 if report.rejected else 0)
    if warned:
        assert warned[0].report == report
    if fmt is not None:  # iter_ballots sees what read_ballots saw, chunk by chunk
        stream_source = source if isinstance(source, Path) else io.StringIO(source)
        with hang_guard(), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            stream = iter_ballots(
                stream_source, fmt, errors="collect", chunk_size=7, max_line_length=LINE_LIMIT
            )
            assert sum(chunk.num_voters for chunk in stream) == report.ballots_counted
        assert stream.done and stream.report == report
    return profile


def check_writers(profile: Profile, folder: Path) -> None:
    """Every writer round-trips ``profile`` or refuses it, leaving the file untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    for fmt in sorted(FORMATS):
        dest = folder / f"out{_EXT[fmt]}"
        dest.write_text("untouched\n")
        try:
            with hang_guard():
                write_ballots(profile, dest, format=fmt, max_expanded_voters=200_000)
        except VotingError:
            assert dest.read_text() == "untouched\n"
            continue
        back = read_ballots(dest, format=fmt, unranked=profile.unranked, max_candidates=10**5)
        assert back == profile.compress(), fmt
    assert sorted(x.name for x in folder.iterdir() if x.name.startswith(".")) == []


def check_cli(path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``validate``, ``count`` and ``convert`` exit cleanly with a one-line error naming
    the file; a failed convert keeps its output."""
    capsys.readouterr()
    for command, codes in ((["validate"], (0, 1, 2)), (["count", "--method", "copeland"], (0, 2))):
        with hang_guard():
            rc = main([*command, str(path)])
        err = capsys.readouterr().err
        assert rc in codes, (command, rc, err)
        if rc == 2:  # one line; a read error names the file (count may fail later)
            assert err.startswith("voting: error: ") and err.count("\n") == 1
            assert str(path) in err or command[0] == "count", err
    dest = folder / "converted.blt"
    dest.write_text("untouched\n")
    with hang_guard():
        rc = main(["convert", str(path), str(dest)])
    err = capsys.readouterr().err
    assert rc in (0, 2), err
    if rc == 2:
        assert dest.read_text() == "untouched\n"
        assert err.startswith("voting: error: ") and "Traceback" not in err
    else:
        read_ballots(dest)


# ------------------------------------------------------------------- the tests
@pytest.mark.parametrize(
    "fmt", [pytest.param(f, marks=pytest.mark.slow) if f == "blt" else f for f in sorted(_EXT)]
)
def test_mutated_real_files(
    fmt: str,
    seed_files: dict[str, list[Path]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rng = random.Random(f"issue 17 {fmt}")
    for k, seed in enumerate(seed_files[fmt]):
        original = check_reads(seed, fmt)
        assert original is not None and original.num_voters > 0
        for i, (kind, data) in enumerate(_mutations(seed.read_bytes(), rng)):
            suffix = _EXT[fmt] + (".gz" if kind.startswith("gzip") else "")
            path = tmp_path / f"m{k}-{i}{suffix}"
            path.write_bytes(data)
            try:
                got = check_reads(path, fmt)
                if i % 4 == 0:
                    check_reads(path, None)  # format inference on the same bytes
                if got is not None and i % 3 == 0:
                    check_writers(got, tmp_path / f"w{k}-{i}")
                if i % 6 == 0:
                    check_cli(path, tmp_path, capsys)
            except AssertionError as exc:
                raise AssertionError(f"{seed.name}, mutation {i} ({kind}): {exc}") from exc


def _same_ballots(path: Path, fmt: str) -> Profile:
    p = check_reads(path, fmt)
    assert p is not None
    return p


@pytest.mark.parametrize("fmt", sorted(_EXT))
def test_changes_that_keep_the_ballots_keep_the_count(
    fmt: str, seed_files: dict[str, list[Path]], tmp_path: Path
) -> None:
    seed = seed_files[fmt][0]
    data = seed.read_bytes()
    want = _same_ballots(seed, fmt)
    variants = {
        "crlf": data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
        "cr": data.replace(b"\r\n", b"\n").replace(b"\n", b"\r"),
        "bom": b"\xef\xbb\xbf" + data,
        "utf16": data.decode("utf-8").encode("utf-16"),
        "utf32": data.decode("utf-8").encode("utf-32"),
    }
    for name, variant in variants.items():
        path = tmp_path / f"{name}{_EXT[fmt]}"
        path.write_bytes(variant)
        assert _same_ballots(path, fmt) == want, name
    gz = tmp_path / f"g{_EXT[fmt]}.gz"
    gz.write_bytes(gzip.compress(data))
    assert _same_ballots(gz, fmt) == want
    assert read_ballots(gz) == want  # inferred through the .gz


@pytest.mark.parametrize("fmt", ["abif", "blt", "cef", "civs", "debian"])
def test_a_duplicated_ballot_line_counts_once_more(
    fmt: str, seed_files: dict[str, list[Path]], tmp_path: Path
) -> None:
    seed = seed_files[fmt][0]
    want = _same_ballots(seed, fmt)
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    ballots = [i for i in range(1, len(lines)) if _ballot_weight(lines[i], fmt) is not None]
    rng = random.Random(fmt)
    for i in rng.sample(ballots, 3):
        path = tmp_path / f"dup{_EXT[fmt]}"
        path.write_text("".join(lines[: i + 1] + lines[i:]), encoding="utf-8")
        got = _same_ballots(path, fmt)
        assert got.num_voters == want.num_voters + int(_ballot_weight(lines[i], fmt) or 0)


def _ballot_weight(line: str, fmt: str) -> int | None:
    """The voters a ballot line of the seed files stands for (None: not a ballot line;
    the header line of a CIVS file is never passed here)."""
    line = line.strip()
    if fmt == "civs":
        return 1 if "," in line else None
    if fmt == "debian":
        return 1 if line.startswith("V:") else None
    if fmt == "blt":
        parts = line.split()
        ballot = len(parts) > 1 and parts[-1] == "0" and parts[0].isdigit()
        return int(parts[0]) if ballot else None
    if fmt == "abif":
        head, colon, _ = line.partition(":")
        return int(head) if colon and head.isdigit() else None
    if line and not line.startswith("#"):  # cef
        return int(line.rpartition("*")[2]) if "*" in line else 1
    return None


# ------------------------------------------------------------------- hypothesis
_ALPHABETS = {
    "civs": 'AB,12 \n"No opinion\r-x\u00b2',
    "debian": "V: 12-\nOption>|/\t vAZ\x00\u00b2",
    "preflib": "# :NUMBERALTIVSE\n,{}123 9\u0663",
    "blt": '0123 -=\n"AB#()\t.\u00b2',
    "abif": "=:[]{}\"#AB12>,/ \n'x\u00b2",
    "cef": "#/:;ABC> =*^|\n 12EMPTY\u00b2",
}
_PREFIXES = {
    "civs": "A,B\n",
    "debian": "  Option 1->: A\n  Option 2->: B\n",
    "preflib": "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n",
    "blt": "2 1\n",
    "abif": "=A:[A]\n=B:[B]\n",
    "cef": "#/Candidates: A ; B\n",
}


@pytest.mark.parametrize("fmt", sorted(_ALPHABETS))
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_text_in_each_format(fmt: str, data: st.DataObject) -> None:
    body = data.draw(st.text(alphabet=_ALPHABETS[fmt], max_size=300), label="body")
    prefix = data.draw(st.sampled_from(["", _PREFIXES[fmt]]), label="prefix")
    text = prefix + body
    check_reads(text, fmt)
    if data.draw(st.booleans(), label="infer"):
        check_reads(text, None)


_NAME_CHARS = st.text(alphabet=' "#;,>=*^|[]{}\n\r\t/:-aé0\x00', min_size=1, max_size=6)


@settings(
    max_examples=80,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    names=st.lists(_NAME_CHARS, min_size=1, max_size=4, unique=True),
    weights=st.lists(st.integers(1, 2**40), min_size=1, max_size=4),
)
def test_writers_on_awkward_names_and_weights(
    names: list[str], weights: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    rows = [[(v + c) % len(names) for c in range(len(names))] for v in range(len(weights))]
    profile = Profile.from_arrays(rows, weights=weights, candidates=names)
    check_writers(profile, tmp_path_factory.mktemp("w"))


@settings(max_examples=200)
@given(
    st.lists(
        st.one_of(
            st.integers(-(2**70), 2**70),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**62]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_profile_weights_are_exact_or_refused(weights: list[int | float]) -> None:
    ranks = [[0, 1]] * len(weights)
    try:
        p = Profile.from_arrays(ranks, weights=weights)
    except voting.InvalidProfileError:
        exact = [w for w in weights if not (isinstance(w, float) and w != w)]
        assert (
            len(exact) < len(weights)
            or not all(float(w).is_integer() and 1 <= w <= 2**63 - 1 for w in weights)
            or sum(int(w) for w in weights) > 2**63 - 1
        )
        return
    assert p.num_voters == sum(int(w) for w in weights) <= 2**63 - 1
    assert p.weights.tolist() == [int(w) for w in weights]
