"""Real elections bundled with the package, for the quickstart and the docs.

============================ ======== ===== ================= =====================================
name                         format   seats method            what
============================ ======== ===== ================= =====================================
``debian-leader-2005``       debian   1     debian            Debian Project Leader 2005: 504
                                                              ballots, 7 options, tied and
                                                              unranked options (unranked rank last)
``kubernetes-steering-2023`` civs     4     schulze           Kubernetes Steering Committee 2023
                                                              (Elekto): 209 ballots, 11 candidates,
                                                              ``No opinion`` ignored
``nixos-steering-2024``      blt      7     civs_proportional Nix Steering Committee 2024: the 450
                                                              CIVS ballots in OpaVote's BLT copy
============================ ======== ===== ================= =====================================

The files are the published tally sheet and ballot exports, unchanged. ``seats`` and
``method`` are those of the official count: ``voting count --example NAME`` uses them
(the Nix BLT's header says ``23 23``, which is not the election's seat count).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from voting.exceptions import InvalidParameterError
from voting.profile import Profile

__all__ = ["EXAMPLES", "Example", "example_path", "load_example"]


@dataclass(frozen=True, slots=True)
class Example:
    """A bundled election: its file, format and provenance."""

    name: str
    filename: str
    format: str
    title: str
    source: str
    seats: int = 1
    """Seats the election filled (its official record, not a file header)."""
    method: str = "schulze"
    """The registered method of the official count."""


EXAMPLES: dict[str, Example] = {
    e.name: e
    for e in (
        Example(
            "debian-leader-2005",
            "debian-leader-2005.txt",
            "debian",
            "Debian Project Leader Election 2005",
            "https://www.debian.org/vote/2005/vote_001 (tally sheet)",
            seats=1,
            method="debian",
        ),
        Example(
            "kubernetes-steering-2023",
            "kubernetes-steering-2023.csv",
            "civs",
            "Kubernetes Steering Committee Election 2023",
            "kubernetes/community, elections/steering/2023/ballots.csv",
            seats=4,
            method="schulze",
        ),
        Example(
            "nixos-steering-2024",
            "nixos-steering-2024.blt",
            "blt",
            "Nix Steering Committee Election 2024 (7 seats, CIVS proportional mode)",
            "NixOS/SC-election-2024, opavote_ballots.blt (the 450 CIVS ballots)",
            seats=7,
            method="civs_proportional",
        ),
    )
}


def example_path(name: str) -> Path:
    """Path of the bundled file of example ``name``."""
    try:
        ex = EXAMPLES[name]
    except KeyError:
        raise InvalidParameterError(
            f"no bundled example {name!r}; available: {sorted(EXAMPLES)}."
        ) from None
    return Path(str(resources.files("voting") / "data" / ex.filename))


def load_example(name: str) -> Profile:
    """Read bundled example ``name`` with its format's default unranked policy.

    Examples
    --------
    >>> p = load_example("debian-leader-2005")
    >>> p.num_voters, p.num_candidates, p.unranked
    (504, 7, 'last')
    """
    from voting.formats import read_ballots

    return read_ballots(example_path(name), format=EXAMPLES[name].format)
