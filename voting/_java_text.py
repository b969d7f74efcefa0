"""Text rules the cast vote record readers (:mod:`voting.formats`) and the RCTab outputs
(:mod:`voting.rctab`) share (Java's ``trim``, ``split``, ``parseInt``), so that a cell
means what it means to RCTab."""

from __future__ import annotations

import re

__all__ = ["is_blank", "java_int", "java_split", "java_trim", "sanitize"]

_TRIMMED = "".join(chr(i) for i in range(33))
_UNSAFE = re.compile(r"[^a-zA-Z0-9_\-.]")
_INT = re.compile(r"[+-]?[0-9]+")


def java_trim(s: str) -> str:
    """``String.trim()``: strip characters up to U+0020 (not other Unicode spaces)."""
    return s.strip(_TRIMMED)


def is_blank(s: str | None) -> bool:
    """``s == null || s.isBlank()``."""
    return s is None or not s.strip()


def java_split(s: str, delimiter: str) -> list[str]:
    """``s.split(Pattern.quote(delimiter))``: literal split, trailing empty strings dropped."""
    if delimiter not in s:
        return [s]
    parts = s.split(delimiter)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def java_int(s: str) -> int | None:
    """``Integer.parseInt(s)``, or None where Java would throw."""
    if not _INT.fullmatch(s):
        return None
    value = int(s)
    return value if -(2**31) <= value < 2**31 else None


def sanitize(s: str | None) -> str:
    """RCTab's ``sanitizeStringForOutput``: every character outside ``[A-Za-z0-9_.-]``
    becomes ``_``."""
    return "" if s is None else _UNSAFE.sub("_", s)
