"""Checks every ballot-file format must pass, shared by the ``test_formats_*`` modules.

Each format's tests call these with its own sample text, so the contract (chunked
reading adds up to the whole file; a malformed ballot is reported with its line,
text, reason and weight; pipes are spooled) is written once.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from voting import BallotFormatError, Profile, UnsupportedProfileError
from voting.formats import get_format, iter_ballots, write_ballots
from voting.profile import canonical

Reader = Callable[..., Any]


class Unseekable(io.StringIO):
    """A text stream that cannot seek, like a pipe."""

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0, /) -> int:
        raise io.UnsupportedOperation("seek")

    def tell(self) -> int:
        raise io.UnsupportedOperation("tell")


def assert_chunks_add_up(read: Reader, text: str, fmt: str, chunk_size: int) -> None:
    """``iter_ballots`` yields non-empty chunks of at most ``chunk_size`` ballots that
    sum to what ``read`` gives for the whole text."""
    whole = read(text)
    chunks = list(iter_ballots(io.StringIO(text), fmt, chunk_size=chunk_size))
    assert all(0 < len(c) <= chunk_size for c in chunks)
    assert sum(chunks[1:], chunks[0]) == whole


def assert_bad_line_reported(
    read: Reader,
    text: str,
    *,
    line_no: int,
    line: str,
    reason: str,
    weight: int,
    counted: list[int],
) -> None:
    """With ``errors="collect"`` the bad line is the one rejected ballot (its line
    number, text, reason and weight) and every other ballot is counted; by default
    reading raises ``BallotFormatError`` naming that line."""
    p, report = read(text, errors="collect")
    assert p.weights.tolist() == counted
    (bad,) = report.rejected
    assert (bad.line, bad.text, bad.weight) == (line_no, line, weight)
    assert reason in bad.reason
    assert report.ballots_read == sum(counted) + weight
    with pytest.raises(BallotFormatError, match=rf"line {line_no}") as exc:
        read(text)
    assert exc.value.line == line_no
    assert exc.value.text == line


def write_or_refuse(profile: Profile, fmt: str, **options: Any) -> str | None:
    """Write ``profile`` as ``fmt``; None when the writer refuses because reading the
    file back would change the count. Asserts that it refuses exactly then: when the
    policy the format reads with differs from the profile's and some ballot depends on
    it. (Refusals for other reasons, ties in a strict-only format, are raised.)"""
    read_back = get_format(fmt).read_back_unranked(dict(options))
    keeps = read_back is None or profile.equivalent(canonical(profile).with_unranked(read_back))
    out = io.StringIO()
    if not keeps:
        with pytest.raises(UnsupportedProfileError, match="without changing the count"):
            write_ballots(profile, out, fmt, **options)
        assert out.getvalue() == ""
        return None
    write_ballots(profile, out, fmt, **options)
    return out.getvalue()
