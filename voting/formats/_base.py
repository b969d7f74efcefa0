"""What every ballot format shares: the reader context, the read report, the protocol."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Literal, Protocol, TextIO

from voting._typing import UNRANKED_POLICIES, UnrankedPolicy
from voting.exceptions import BallotFormatError, InvalidParameterError
from voting.limits import how_to_raise, max_candidates
from voting.profile import Profile

__all__ = [
    "ERROR_POLICIES",
    "BallotFormat",
    "ErrorPolicy",
    "ReadContext",
    "ReadReport",
    "RejectedBallot",
    "RejectedBallotsWarning",
    "check_error_policy",
]

ErrorPolicy = Literal["raise", "collect", "ignore"]
ERROR_POLICIES: tuple[ErrorPolicy, ...] = ("raise", "collect", "ignore")
"""What a reader does with a ballot line it cannot count: ``"raise"`` the first one as a
:class:`~voting.BallotFormatError`; ``"collect"`` them in the :class:`ReadReport`
returned with the profile; ``"ignore"`` them, returning the profile alone, with one
:class:`RejectedBallotsWarning` that carries the report."""


def check_error_policy(errors: object) -> ErrorPolicy:
    """``errors`` checked to be one of :data:`ERROR_POLICIES` (a typo raises)."""
    if errors not in ERROR_POLICIES:
        raise InvalidParameterError(
            f"errors={errors!r} is not an error policy; use 'raise' (the first bad ballot "
            "line raises), 'collect' (skip bad lines and return (profile, report)) or "
            "'ignore' (skip bad lines; a RejectedBallotsWarning carries the report)."
        )
    return errors


def check_unranked_override(unranked: object) -> UnrankedPolicy | None:
    """The caller's ``unranked=`` override checked (``None``: the format's default)."""
    if unranked is not None and unranked not in UNRANKED_POLICIES:
        raise InvalidParameterError(
            f"unranked={unranked!r}; use 'last', 'ignore' or None (the format's default)."
        )
    return unranked


@dataclass(frozen=True, slots=True)
class RejectedBallot:
    """A line that could not be counted, and why.

    ``weight`` is the number of voters the line stood for (1 where the format has no
    weights or the weight itself could not be read).
    """

    line: int
    text: str
    reason: str
    weight: int = 1

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason} (line was: {self.text!r})"


@dataclass(frozen=True, slots=True)
class ReadReport:
    """What a reader did with every ballot of a source.

    ``ballots_read == ballots_counted + ballots_rejected`` always holds, counting
    voters (a weighted line counts its weight).

    Attributes
    ----------
    source : str
        The file name, or ``"<stream>"``.
    format : str
        The format name used.
    ballots_counted : int
        Voters in the returned profile.
    rejected : tuple of RejectedBallot
        Every line that was not counted, with the reason.
    title : str or None
        Election title, where the format carries one (BLT, CEF, ABIF).
    seats : int or None
        Number of seats, where the format carries it (BLT, CEF).
    withdrawn : tuple of str
        Candidates the file marks withdrawn (BLT); they are not in the profile.
    orientation : str or None
        How the file's numbers were read: ``"ranks (smaller = preferred, 1 = best)"``,
        ``"weights (larger = preferred; ...)"`` (CIVS proportional-mode exports) or,
        for formats that list candidates best first, ``"preference order (best
        first)"``. Reading a ballot the wrong way round reverses it, so every read
        records this.
    orientation_note : str or None
        How the orientation was decided: fixed by the format, given by an option,
        inferred from the values (and from how many ballots), or assumed because
        the values could not tell.
    """

    source: str
    format: str
    ballots_counted: int
    rejected: tuple[RejectedBallot, ...] = ()
    title: str | None = None
    seats: int | None = None
    withdrawn: tuple[str, ...] = ()
    orientation: str | None = None
    orientation_note: str | None = None

    @property
    def ballots_rejected(self) -> int:
        """Voters on rejected lines."""
        return sum(r.weight for r in self.rejected)

    @property
    def ballots_read(self) -> int:
        """Voters on every ballot line read: counted plus rejected."""
        return self.ballots_counted + self.ballots_rejected

    def raise_if_rejected(self) -> None:
        """Raise :class:`BallotFormatError` for the first rejected line, if any."""
        if self.rejected:
            r = self.rejected[0]
            more = (
                f" ({len(self.rejected) - 1} more rejected lines)" if len(self.rejected) > 1 else ""
            )
            raise BallotFormatError(r.reason + more, source=self.source, line=r.line, text=r.text)

    def __str__(self) -> str:
        lines = [
            f"{self.source} ({self.format}): {self.ballots_read} ballots read, "
            f"{self.ballots_counted} counted, {self.ballots_rejected} rejected"
        ]
        lines.extend(f"  {r}" for r in self.rejected)
        return "\n".join(lines)


class RejectedBallotsWarning(UserWarning):
    """Ballot lines were skipped under ``errors="ignore"``; ``report`` says which and why.

    Attributes
    ----------
    report : ReadReport
        The full report of the read (``ballots_read == ballots_counted +
        ballots_rejected``).
    """

    def __init__(self, report: ReadReport) -> None:
        self.report = report
        first = report.rejected[0]
        super().__init__(
            f"{report.source}: {report.ballots_rejected} of {report.ballots_read} ballots "
            f"were not counted (errors='ignore'; {len(report.rejected)} rejected lines, the "
            f"first {first}); the warning's .report lists them all"
        )


@dataclass(eq=False)
class ReadContext:
    """State a reader shares with :func:`voting.read_ballots` while reading one source.

    Readers call :meth:`reject` for every ballot line they cannot count and
    :meth:`fail` for a structural error that ends the read (a bad header, say).
    """

    source: str
    errors: ErrorPolicy = "raise"
    unranked: UnrankedPolicy | None = None
    max_candidates: int = field(default_factory=max_candidates)
    rejected: list[RejectedBallot] = field(default_factory=list)
    title: str | None = None
    seats: int | None = None
    withdrawn: tuple[str, ...] = ()
    format_name: str = "unknown"
    orientation: str | None = None
    orientation_note: str | None = None

    def policy(self, default: UnrankedPolicy) -> UnrankedPolicy:
        """The unranked policy to use: the caller's override, else the format's default."""
        return self.unranked if self.unranked is not None else default

    def reject(self, line: int, text: str, reason: str, weight: int = 1) -> None:
        """Record (``errors="collect"``) or raise (``errors="raise"``) a bad ballot line."""
        if self.errors == "raise":
            raise BallotFormatError(
                reason + "; fix the line, or read with errors='collect' to count the others",
                source=self.source,
                line=line,
                text=text,
            )
        self.rejected.append(RejectedBallot(line, text, reason, weight))

    def fail(
        self, reason: str, line: int | None = None, text: str | None = None
    ) -> BallotFormatError:
        """A structural error that no error policy can skip; ``raise ctx.fail(...)``."""
        return BallotFormatError(reason, source=self.source, line=line, text=text)

    def check_candidates(self, n: int, line: int | None = None, text: str | None = None) -> None:
        """Refuse ``n`` candidates above the limit, before anything of that size exists.

        Readers call it as soon as they know how many candidates a file declares (or
        names), and before they allocate per-candidate arrays.
        """
        if n > self.max_candidates:
            raise self.fail(
                f"the file declares {n:,} candidates; the limit is {self.max_candidates:,} "
                f"({how_to_raise('max_candidates')})",
                line,
                text,
            )

    def report(self, format_name: str, counted: int) -> ReadReport:
        return ReadReport(
            source=self.source,
            format=format_name,
            ballots_counted=counted,
            rejected=tuple(self.rejected),
            title=self.title,
            seats=self.seats,
            withdrawn=self.withdrawn,
            orientation=self.orientation,
            orientation_note=self.orientation_note,
        )


class BallotFormat(Protocol):
    """A ballot file format: a reader that yields profile chunks, and a writer.

    Implementations are small stateless classes registered in
    :mod:`voting.formats`. ``options`` are the format's own keyword options; a
    format raises :class:`voting.InvalidParameterError` for one it does not know.
    """

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    default_unranked: ClassVar[UnrankedPolicy]
    orientation: ClassVar[str]
    """How the format's ballots read, for :attr:`ReadReport.orientation` (a reader
    whose numbers can be read two ways records what it used in ``ctx`` instead)."""

    def read_back_unranked(self, options: dict[str, object]) -> UnrankedPolicy | None:
        """The unranked policy a file written with ``options`` is read back with by
        default; ``None`` when the file records the policy itself (CEF)."""
        ...

    def sniff(self, head: str) -> bool:
        """True when ``head`` (the first few KB of text) looks like this format."""
        ...

    def read(
        self, stream: TextIO, ctx: ReadContext, chunk_size: int, options: dict[str, object]
    ) -> Iterator[Profile]:
        """Yield the ballots as profiles of at most ``chunk_size`` rows each.

        Every chunk has the same candidates and unranked policy, and at least one
        chunk (possibly empty) is yielded, so a file with a header and no ballots
        still names its candidates. Memory use must not grow with the size of the
        file beyond one chunk. Metadata (title, seats, withdrawn) goes into ``ctx``.
        """
        ...

    def write(self, profile: Profile, stream: TextIO, options: dict[str, object]) -> None:
        """Write ``profile``; raise :class:`voting.UnsupportedProfileError` if the format
        cannot represent it (say, ties in a strict-only format)."""
        ...
