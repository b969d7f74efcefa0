"""The exception hierarchy of :mod:`voting`.

Every error the library raises on purpose is a :class:`VotingError`. Each concrete
error also subclasses the builtin exception a caller would naturally catch
(``ValueError``, ``TypeError``), so ``except ValueError`` keeps working.

Messages say what was wrong, where (file, line, ballot, argument) and what to do.
"""

from __future__ import annotations

__all__ = [
    "BallotFormatError",
    "EmptyProfileError",
    "InvalidParameterError",
    "InvalidProfileError",
    "TooManyTieResolutionsError",
    "UnsupportedProfileError",
    "VotingError",
]


class VotingError(Exception):
    """Base class of every error raised on purpose by :mod:`voting`."""


class InvalidProfileError(VotingError, ValueError):
    """A profile (ballots, weights or candidates) is malformed.

    Raised by :class:`voting.Profile` constructors, naming the ballot (row index)
    and the problem, and by methods whose needs a profile does not meet.
    """


class EmptyProfileError(InvalidProfileError):
    """A computation needs at least one ballot (or candidate) and got none."""


class InvalidParameterError(VotingError, ValueError, TypeError):
    """A parameter of a function or method has a wrong value or type."""


class UnsupportedProfileError(VotingError, TypeError):
    """A method cannot count this kind of profile (for example tied ballots)."""


class TooManyTieResolutionsError(VotingError, ValueError):
    """Finding every winner under every resolution of the ties needs too many counts.

    Raised by the methods that report their exact parallel-universe winners (IRV,
    Condorcet-IRV, bottom-two runoff, STV) when the ties they break branch into more
    counts than their ``put_limit``; the message gives the size and how to raise it.
    """


class BallotFormatError(VotingError, ValueError):
    """A ballot file is malformed.

    Parameters
    ----------
    message : str
        What was wrong and what was expected.
    source : str, optional
        The file name (or ``"<stream>"``).
    line : int, optional
        The 1-based line number of the offending line.
    text : str, optional
        The offending line itself, as read.

    Attributes
    ----------
    source, line, text, reason
        As given; ``reason`` is the bare message without location.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        text: str | None = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.line = line
        self.text = text
        where = source if source is not None else "<input>"
        if line is not None:
            where = f"{where}, line {line}"
        full = f"{where}: {message}"
        if text is not None:
            shown = text if len(text) <= 80 else text[:77] + "..."
            full = f"{full} (line was: {shown!r})"
        super().__init__(full)
