"""The exception hierarchy of :mod:`voting`.

Every error the library raises on purpose is a :class:`VotingError`. Each concrete
error also subclasses the builtin exception a caller would naturally catch
(``ValueError``, ``TypeError``), so ``except ValueError`` keeps working.

Messages say what was wrong, where (file, line, ballot, argument) and what to do.
"""

from __future__ import annotations

__all__ = [
    "BallotFormatError",
    "ComputationTooLargeError",
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


class ComputationTooLargeError(UnsupportedProfileError, ValueError):
    """The exact computation a method would need exceeds the method's size guard.

    Every method that can be asked for more work than is reasonable has one guard
    parameter named ``max_<what it counts>`` (``max_counts``, ``max_comparisons``,
    ``max_committees``, ``max_candidates``, ``max_seconds``) and raises this error,
    before any of that work is done, when a profile passes it. The message gives the
    size found, the limit, an estimate of the cost where one is known, and how to
    raise the limit (``Raise max_... to run it anyway``).

    Attributes
    ----------
    parameter : str or None
        The guard parameter that refused (None for a fixed limit, such as memory,
        that no parameter raises).
    limit : int or float or None
        Its value.
    needed : int or float or None
        What the profile needed, in the guard's unit, where it is known.
    """

    def __init__(
        self,
        message: str,
        *,
        parameter: str | None = None,
        limit: float | None = None,
        needed: float | None = None,
    ) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.limit = limit
        self.needed = needed


class TooManyTieResolutionsError(ComputationTooLargeError):
    """Finding every winner under every resolution of the ties needs too many counts.

    Raised by the methods that report their exact parallel-universe winners (IRV,
    Condorcet-IRV, bottom-two runoff, STV) when the ties they break branch into more
    counts than their ``max_counts``; the message gives the size and how to raise it.
    A :class:`ComputationTooLargeError` (and so an :class:`UnsupportedProfileError`
    and a ``ValueError``).
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
