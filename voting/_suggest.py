"""'Did you mean ...?' for a mistyped name (a method, an option, a candidate).

One helper for every error message that names what was expected, so that typos get
the same kind of hint everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "unknown_name"]


def did_you_mean(name: str, choices: Iterable[str], *, n: int = 3) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``choices``, or ``""`` if none is close.

    Letter case is ignored when comparing; the suggestion keeps the choice's spelling.

    Examples
    --------
    >>> did_you_mean("strenght", ["seats", "strength", "tie_break"])
    " (did you mean 'strength'?)"
    >>> did_you_mean("xyz", ["seats"])
    ''
    """
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return ""
    names = [repr(lowered[c]) for c in close]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f" (did you mean {listed}?)"


def unknown_name(kind: str, name: str, choices: Iterable[str]) -> str:
    """``"unknown {kind} 'x' (did you mean 'y'?); known: a, b, c"``.

    Examples
    --------
    >>> unknown_name("method", "shulze", ["schulze", "irv"])
    "unknown method 'shulze' (did you mean 'schulze'?); known: irv, schulze"
    """
    options = sorted(choices)
    return f"unknown {kind} {name!r}{did_you_mean(name, options)}; known: {', '.join(options)}"
