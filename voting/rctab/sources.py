"""Reading the cast vote record sources of a configuration (:func:`read_sources`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from voting.formats import ReadReport
from voting.formats.cvr import CastVoteRecords
from voting.formats.cvr_read import CvrSource, read_cvr_sources
from voting.rctab.config import ContestConfig, CvrSourceConfig

__all__ = ["read_sources", "reader_options"]

_OPTIONS: dict[str, tuple[str, ...]] = {
    "ess": (
        "first_vote_column",
        "first_vote_row",
        "id_column",
        "precinct_column",
        "batch_column",
        "overvote_delimiter",
        "overvote_label",
        "skipped_rank_label",
        "undeclared_write_in_label",
        "treat_blank_as_undeclared_write_in",
    ),
    "genericCsv": (
        "first_vote_column",
        "id_column",
        "precinct_column",
        "batch_column",
        "undeclared_write_in_label",
    ),
    "cdf": ("contest_id", "overvote_label"),
    "dominion": ("contest_id", "undeclared_write_in_label"),
    "clearBallot": ("contest_id", "undeclared_write_in_label"),
    "hart": ("contest_id", "undeclared_write_in_label"),
}
"""The settings of a ``cvrFileSources`` entry that each provider's reader takes (the
configuration checks the required ones: ``first_vote_column``, ``contest_id``, ...)."""

_MAX_RANKINGS = ("ess", "clearBallot")
"""Readers that also take the contest's ``maxRankingsAllowed``."""


def reader_options(source: CvrSourceConfig, config: ContestConfig) -> dict[str, object]:
    """The keyword arguments of the reader of ``source.provider`` for this source."""
    try:
        names = _OPTIONS[source.provider]
    except KeyError:  # pragma: no cover - validated by the configuration
        raise ValueError(f"unknown provider {source.provider!r}") from None
    options: dict[str, object] = {name: getattr(source, name) for name in names}
    if source.provider in _MAX_RANKINGS:
        options["max_rankings"] = config.rules.max_rankings
    return options


def _file(source: CvrSourceConfig) -> str:
    path = str(source.path)
    if not source.path.exists() and Path(f"{path}.gz").exists():
        return f"{path}.gz"  # a compressed copy reads the same
    return path


def read_sources(
    config: ContestConfig, errors: Literal["raise", "collect"] = "raise"
) -> tuple[CastVoteRecords, list[ReadReport]]:
    """Every record of every source of ``config``, in order, with one report per source."""
    return read_cvr_sources(
        (
            CvrSource(_file(s), s.provider, reader_options(s, config), s.file_path, str(s.path))
            for s in config.sources
        ),
        errors,
    )
