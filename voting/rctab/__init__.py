"""US ranked-choice elections as RCTab counts them (the Universal RCV Tabulator).

:func:`tabulate` reads an RCTab configuration, its cast vote records (ES&S, Dominion,
Hart, Clear Ballot, NIST CDF, generic CSV), applies the contest's ballot rules and returns
the round-by-round reports RCTab writes as ``*_detailed_report.json``, number for number;
:func:`cdf_cvr_report` gives the cast vote records as the NIST CDF JSON file RCTab writes
under ``generateCdfJson`` (``*_cdf_cvr.json``).
"""

from __future__ import annotations

import os
from typing import Literal

from voting.formats.cvr import CastVoteRecords
from voting.profile import Profile
from voting.rctab.ballots import ContestBallots, contest_ballots
from voting.rctab.cdf import cdf_cvr_report
from voting.rctab.config import ConfigError, ContestConfig, load_config
from voting.rctab.report import csv_report, detailed_report, json_text
from voting.rctab.sources import read_sources
from voting.rctab.tabulator import Tabulation, TabulationError, TieBreakCallback, run_tabulation

__all__ = [
    "ConfigError",
    "ContestConfig",
    "Tabulation",
    "TabulationError",
    "cdf_cvr_report",
    "contest_profile",
    "count",
    "count_with_records",
    "csv_report",
    "detailed_report",
    "json_text",
    "load_config",
    "tabulate",
]


def count(
    config: ContestConfig | str | os.PathLike[str],
    *,
    tiebreak: TieBreakCallback | None = None,
    reference: bool = False,
    snapshots: bool | None = None,
) -> list[Tabulation]:
    """Count a contest: one :class:`Tabulation` per pass (several for multi-pass IRV).

    ``tiebreak(tied, round, selecting_winner) -> name`` decides the ties of the interactive
    tie-break modes. ``reference=True`` counts ballot by ballot in plain Python (slow; the
    oracle of the vectorised count). ``snapshots`` keeps where every ballot counts in
    every round, which the CDF cast vote record file needs (:func:`cdf_cvr_report`);
    by default when the configuration sets ``generateCdfJson``.
    """
    tabulations, _ = count_with_records(
        config, tiebreak=tiebreak, reference=reference, snapshots=snapshots
    )
    return tabulations


def count_with_records(
    config: ContestConfig | str | os.PathLike[str],
    *,
    tiebreak: TieBreakCallback | None = None,
    reference: bool = False,
    snapshots: bool | None = None,
) -> tuple[list[Tabulation], CastVoteRecords]:
    """:func:`count`, also returning the cast vote records read."""
    cfg = config if isinstance(config, ContestConfig) else load_config(config)
    cvrs, _ = read_sources(cfg)
    ballots = contest_ballots(cvrs, cfg)
    keep = cfg.generate_cdf_json if snapshots is None else snapshots
    return _passes(cfg, ballots, tiebreak, reference, keep), cvrs


def _passes(
    cfg: ContestConfig,
    ballots: ContestBallots,
    tiebreak: TieBreakCallback | None,
    reference: bool = False,
    snapshots: bool = False,
) -> list[Tabulation]:
    from voting.rctab.config import WinnerMode

    if cfg.rules.winner_mode != WinnerMode.MULTI_PASS_IRV:
        return [
            run_tabulation(
                cfg, ballots, tiebreak=tiebreak, reference=reference, snapshots=snapshots
            )
        ]
    passes: list[Tabulation] = []
    excluded = set(cfg.excluded)
    for seat in range(1, cfg.rules.number_of_winners + 1):
        tab = run_tabulation(
            cfg,
            ballots,
            number_of_winners=1,
            excluded=frozenset(excluded),
            sequence=seat,
            tiebreak=tiebreak,
            reference=reference,
            snapshots=snapshots,
        )
        passes.append(tab)
        if len(tab.winners) != 1:
            raise TabulationError(
                f"multi-pass IRV: pass {seat} elected {len(tab.winners)} candidates, expected 1"
            )
        excluded.add(tab.winners[0])
    return passes


def contest_profile(
    config: ContestConfig | str | os.PathLike[str], *, write_ins: Literal["keep", "drop"] = "keep"
) -> Profile:
    """The ballots of a contest as a :class:`~voting.Profile`, its ballot rules applied
    (overvotes, skipped rankings, repeated candidates; aliases resolved, excluded candidates
    left out): every method of the library can then count a US CVR.

    See :func:`voting.formats.cvr_profile.cvr_profile` for what the rules make of each
    record.
    """
    from voting.formats.cvr_profile import BallotRules, cvr_profile

    cfg = config if isinstance(config, ContestConfig) else load_config(config)
    cvrs, _ = read_sources(cfg)
    rules = BallotRules(
        overvote_rule=cfg.rules.overvote_rule.value,
        max_skipped_ranks=cfg.rules.max_skipped_ranks,
        exhaust_on_duplicate=cfg.rules.exhaust_on_duplicate,
    )
    contest_ballots(cvrs, cfg)  # refuses unknown candidates and rankings beyond the maximum
    return cvr_profile(
        cvrs,
        rules,
        candidates=cfg.candidate_names,
        aliases=cfg.aliases,
        excluded=cfg.excluded,
        write_ins=write_ins,
    )


def tabulate(
    config: ContestConfig | str | os.PathLike[str], *, tiebreak: TieBreakCallback | None = None
) -> list[dict[str, object]]:
    """RCTab's detailed reports of a contest: one URCVT JSON document per pass."""
    return [detailed_report(tab) for tab in count(config, tiebreak=tiebreak)]
