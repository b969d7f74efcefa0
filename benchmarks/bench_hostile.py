"""Readers on adversarial input: every reader must take time linear in its input.

Each case builds a ballot file around one adversarial line of ``n`` characters (long
runs of white space where a backtracking regular expression would try every split,
unterminated brackets, digits that never end, a sea of line breaks for the format
sniffers) and times ``read_ballots`` (or ``infer_format``) on it for growing ``n``.
The exponent of time against ``n``, fitted over all sizes but the smallest (where
fixed costs dominate), must stay near 1, and the time a character flat; before issue
17 several of these were quadratic or cubic (a 3 KB PrefLib comment took 21 s, a 40 KB
Debian option line 14 s, 64 KB of line breaks 9 s to sniff).

Whether a case reads the file or refuses it with a ``VotingError`` does not matter
here (the fuzz tests check that); only the time does.

Run from the repository root (about a minute)::

    python3 -m benchmarks.bench_hostile
    python3 -m benchmarks.bench_hostile --quick
"""

from __future__ import annotations

import io
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import this checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import Report, parser, time_call
from voting import VotingError
from voting.formats import infer_format, read_ballots

PREFLIB_HEAD = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
DEBIAN_HEAD = "  Option 1--->: Yes\n  Option 2--->: No\n"
BLT_TAIL = '0\n"A"\n"B"\n"T"\n'


def _cases() -> dict[str, tuple[str | None, Callable[[int], str]]]:
    """name -> (format, text of size about n)."""
    sp = " "
    return {
        "preflib comment of spaces": (
            "preflib",
            lambda n: "#" + sp * n + "x\n" + PREFLIB_HEAD + "3: 1,2\n",
        ),
        "preflib order of spaces": (
            "preflib",
            lambda n: PREFLIB_HEAD + "3:" + sp * n + "1," + sp * n + "2x\n",
        ),
        "preflib count of digits": ("preflib", lambda n: PREFLIB_HEAD + "9" * n + ": 1,2\n"),
        "abif metadata of spaces": ("abif", lambda n: "{a" + sp * n + "x\n=A:[A]\n1:A\n"),
        "abif ranking of spaces": ("abif", lambda n: "=A:[A]\n=B:[B]\n1:A" + sp * n + "B\n"),
        "abif candidate line": ("abif", lambda n: "=A: x" + sp * n + "y\n1:A\n"),
        "abif open bracket": ("abif", lambda n: "=A:[A]\n1:[" + "a" * n + " # c\n"),
        "abif rated list": ("abif", lambda n: "1:" + "A/1, " * (n // 5) + "B\n"),
        "debian option line of spaces": (
            "debian",
            lambda n: "Option 1" + sp * n + "x\n" + DEBIAN_HEAD + "V: 12\n",
        ),
        "debian option name of spaces": (
            "debian",
            lambda n: "  Option 1--->: a" + sp * n + "b|\n  Option 2->: B\nV: 12\n",
        ),
        "debian vote of dashes": ("debian", lambda n: DEBIAN_HEAD + "V: " + "-" * n + "\n"),
        "blt ballot of spaces": ("blt", lambda n: "2 1\n1" + sp * n + "1 2 0\n" + BLT_TAIL),
        "blt weight of digits": ("blt", lambda n: "2 1\n" + "9" * n + " 1 2 0\n" + BLT_TAIL),
        "blt names of spaces": ("blt", lambda n: '2 1\n1 1 0\n0\n"A"' + sp * n + '"B"\n'),
        "cef vote of spaces": ("cef", lambda n: "#/Candidates: A ; B\nA" + sp * n + "> B\n"),
        "cef quantifier of digits": (
            "cef",
            lambda n: "#/Candidates: A ; B\nA > B * " + "9" * n + "\n",
        ),
        "civs row of commas": ("civs", lambda n: "A,B\n" + "," * n + "\n1,2\n"),
        "sniff: line breaks": (None, lambda n: "\n" * n),
        "sniff: '#' lines": (None, lambda n: "#\n" * (n // 2)),
        "sniff: spaces then Option": (None, lambda n: sp * n + "Option 1: x\nV: 1\n"),
    }


def _run(fmt: str | None, text: str) -> None:
    source = io.StringIO(text)
    try:
        if fmt is None:
            infer_format(source, text[:65536])
        else:
            read_ballots(source, format=fmt, errors="collect", max_line_length=1 << 23)
    except VotingError:
        pass


def main(argv: list[str] | None = None) -> None:
    args = parser(__doc__.split("\n", 1)[0] if __doc__ else "").parse_args(argv)
    rep = Report("hostile", "readers on adversarial lines: time must be linear", args)
    sizes = (
        [1 << 12, 1 << 14, 1 << 16] if args.quick else [1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20]
    )
    warnings.simplefilter("ignore")
    worst = 0.0
    for name, (fmt, make) in _cases().items():
        rep.section(name)
        xs: list[float] = []
        ys: list[float] = []
        for n in sizes:
            text = make(n)
            t = time_call(lambda fmt=fmt, text=text: _run(fmt, text), args.repeats)
            rep.record(name, f"{name} n={n:,}", t, len(text), "chars", x=n)
            rep.say(f"    {t.median / len(text) * 1e9:8.1f} ns a character")
            xs.append(n)
            ys.append(t.median)
        # the smallest size is dominated by fixed costs (imports, file set-up): fit the rest
        k = rep.fit(name, name, xs[1:], ys[1:], "~1 (linear)")
        worst = max(worst, k)
    rep.say("")
    rep.say(f"largest exponent over all cases: {worst:.2f} (a quadratic reader gives 2)")
    rep.note("largest_exponent", round(worst, 3))
    out = rep.write()
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
