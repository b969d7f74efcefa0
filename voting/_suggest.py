"""Names typed by hand: lenient lookup and "did you mean ...?" suggestions.

Used by the command line for method names, commands, bundled examples and option names,
so that ``voting count --method Schulze`` works and ``--method shulze`` answers with the
name that was meant. Matching ignores case and treats ``-`` and ``_`` alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "lookup", "normalize", "suggestions", "unknown_name"]


def normalize(name: str) -> str:
    """``name`` folded for comparison: lower case, ``-`` as ``_``, no outer blanks.

    >>> normalize(" Ranked-Pairs ")
    'ranked_pairs'
    """
    return name.strip().casefold().replace("-", "_")


def lookup(name: str, choices: Iterable[str]) -> str | None:
    """The choice ``name`` means, ignoring case and ``-``/``_``; None if none does.

    An exact match wins over a folded one, so choices differing only in case stay
    reachable.

    >>> lookup("Ranked-Pairs", ["schulze", "ranked_pairs"])
    'ranked_pairs'
    >>> lookup("shulze", ["schulze"]) is None
    True
    """
    options = list(choices)
    if name in options:
        return name
    folded = [c for c in options if normalize(c) == normalize(name)]
    return folded[0] if len(folded) == 1 else None


def suggestions(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` choices ``name`` may have meant, best first: those it begins (an
    abbreviation), then those close in spelling (:func:`difflib.get_close_matches`).

    >>> suggestions("shulze", ["schulze", "schulze_stv", "borda"])
    ['schulze', 'schulze_stv']
    >>> suggestions("debian", ["debian-leader-2005", "kubernetes-steering-2023"])
    ['debian-leader-2005']
    """
    by_form: dict[str, str] = {}
    for choice in choices:
        by_form.setdefault(normalize(choice), choice)
    word = normalize(name)
    found = [form for form in by_form if word and form.startswith(word)]
    found += difflib.get_close_matches(word, list(by_form), n=n, cutoff=0.6)
    return [by_form[form] for form in dict.fromkeys(found)][:n]


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'schulze'?"`` (or two or three names), or ``""`` if none is close.

    Meant to end an error message about an unknown ``name``.

    >>> "unknown method 'shulze'" + did_you_mean("shulze", ["schulze", "borda"])
    "unknown method 'shulze'; did you mean 'schulze'?"
    >>> did_you_mean("xyz", ["schulze"])
    ''
    """
    close = [repr(c) for c in suggestions(name, choices)]
    if not close:
        return ""
    listed = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f"; did you mean {listed}?"


def unknown_name(kind: str, name: str, choices: Iterable[str]) -> str:
    """``"unknown {kind} 'x'; did you mean 'y'? (known: a, b, c)"``.

    >>> unknown_name("method", "shulze", ["schulze", "irv"])
    "unknown method 'shulze'; did you mean 'schulze'? (known: irv, schulze)"
    """
    options = sorted(choices)
    return f"unknown {kind} {name!r}{did_you_mean(name, options)} (known: {', '.join(options)})"
