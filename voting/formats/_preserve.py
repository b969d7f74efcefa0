"""Writers keep the count: what :func:`voting.write_ballots` checks before writing.

A ballot file does not only hold ballots: its format decides how a reader treats
the candidates a ballot leaves unranked (CIVS CSV: compared with nobody; BLT,
Debian, PrefLib, ABIF: tied below the ranked ones; CEF: whatever the file says).
Writing a profile into a format whose reading policy differs from the profile's
would silently change the count the next time the file is read: Debian ballots
written as CIVS CSV lose their "unranked = last" and Kubernetes ballots written as
BLT gain it. :func:`prepare_for_writing` refuses those writes before anything is
written, naming what the target format cannot express and how to proceed, and
returns the profile to write otherwise.
"""

from __future__ import annotations

from voting._typing import UNRANKED, UnrankedPolicy
from voting.exceptions import InvalidParameterError, UnsupportedProfileError
from voting.profile import (
    Profile,
    canonical,
    difference,
    materialise_unranked,
    policy_dependent_voters,
)

__all__ = ["prepare_for_writing"]

_KEEPS_POLICY = "cef"
_MEANS = {
    "last": "unranked candidates tie below the ranked ones",
    "ignore": "an unranked candidate is compared with nobody",
}


def _example(profile: Profile) -> str:
    """One ballot that depends on the unranked policy, as tiers of names."""
    unranked = profile.ranks == UNRANKED
    counts = unranked.sum(axis=1)
    rows = ((counts > 0) & (counts < profile.num_candidates)).nonzero()[0]
    if len(rows) == 0:
        return ""
    row = profile.ranks[int(rows[0])]
    tiers: dict[int, list[str]] = {}
    left = []
    for name, r in zip(profile.candidates, row.tolist(), strict=True):
        if r == UNRANKED:
            left.append(name)
        else:
            tiers.setdefault(r, []).append(name)
    shown = " > ".join("=".join(tiers[t]) for t in sorted(tiers))
    return f" (e.g. {shown}, leaving {', '.join(left)} unranked)"


def prepare_for_writing(
    profile: Profile,
    format_name: str,
    read_back: UnrankedPolicy | None,
    *,
    unranked_as_last_tier: bool = False,
) -> Profile:
    """The profile to write so that reading the file back counts the same, or raise.

    Parameters
    ----------
    profile : Profile
    format_name : str
        The target format (for messages).
    read_back : {"last", "ignore"} or None
        The policy the target format reads the written file with; ``None`` when the
        file records the policy itself.
    unranked_as_last_tier : bool
        Write each ballot's unranked candidates as a tied last tier first
        (:meth:`Profile.materialise_unranked`); ``unranked="last"`` only.

    Returns
    -------
    Profile
        ``profile`` itself, or (when the target reads ``"ignore"``) its canonical
        form, whose ballots that left one candidate unranked rank it last.

    Raises
    ------
    UnsupportedProfileError
        When the written file would count differently from ``profile``.
    InvalidParameterError
        ``unranked_as_last_tier`` on an ``unranked="ignore"`` profile.
    """
    if unranked_as_last_tier:
        if profile.unranked != "last":
            raise InvalidParameterError(
                "unranked_as_last_tier needs a profile read with unranked='last' (unranked "
                f"candidates below the ranked ones); this one has unranked={profile.unranked!r}, "
                "where an unranked candidate is compared with nobody, so ranking it last "
                "would change the count."
            )
        profile = materialise_unranked(profile)
    if read_back is None or read_back == profile.unranked:
        return profile
    written = canonical(profile)
    reason = difference(profile, written.with_unranked(read_back))
    if reason is None:
        return written
    voters = profile.num_voters
    dependent = policy_dependent_voters(profile)
    if profile.unranked == "last":
        how = (
            f"If unranked candidates mean 'below every ranked candidate' (as in Debian's "
            f"rules), write them as a tied last tier with unranked_as_last_tier=True (CLI: "
            f"--unranked-as-last-tier): every pairwise count (Schulze, ranked pairs, Borda, "
            f"...) is then kept, but methods that transfer votes (IRV, STV) will see those "
            f"candidates as tied last preferences. Or write a format that records the "
            f"policy ({_KEEPS_POLICY})."
        )
    else:
        how = (
            f"{format_name} cannot say 'compared with nobody'; write a format that keeps it: "
            f"civs (read with unranked='ignore') or {_KEEPS_POLICY} (records the policy)."
        )
    raise UnsupportedProfileError(
        f"cannot write these ballots as {format_name} without changing the count: "
        f"{format_name} files are read with unranked={read_back!r} ({_MEANS[read_back]}), "
        f"but these ballots were read with unranked={profile.unranked!r} "
        f"({_MEANS[profile.unranked]}), and {dependent} of their {voters} voters rank some "
        f"candidates but not all{_example(written)}. {how}"
    )
