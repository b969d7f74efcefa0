"""Reading the cast vote record sources of a configuration (:func:`read_sources`)."""

from __future__ import annotations

from pathlib import Path

from voting.formats._base import ErrorPolicy, ReadContext, ReadReport
from voting.formats.cvr import CastVoteRecords, CvrBuilder
from voting.rctab.config import ContestConfig, CvrSourceConfig

__all__ = ["read_source", "read_sources"]


def read_source(
    source: CvrSourceConfig,
    config: ContestConfig,
    builder: CvrBuilder,
    ctx: ReadContext,
) -> None:
    """Append the records of one ``cvrFileSources`` entry to ``builder``."""
    path = str(source.path)
    if not source.path.exists() and Path(f"{path}.gz").exists():
        path = f"{path}.gz"  # a compressed copy reads the same
    builder.start_source(source.file_path)
    if source.provider == "ess":
        from voting.formats.cvr_ess import read_ess

        assert source.first_vote_column is not None and source.first_vote_row is not None
        read_ess(
            path,
            builder,
            ctx,
            first_vote_column=source.first_vote_column,
            first_vote_row=source.first_vote_row,
            id_column=source.id_column,
            precinct_column=source.precinct_column,
            batch_column=source.batch_column,
            overvote_delimiter=source.overvote_delimiter,
            overvote_label=source.overvote_label,
            skipped_rank_label=source.skipped_rank_label,
            undeclared_write_in_label=source.undeclared_write_in_label,
            treat_blank_as_undeclared_write_in=source.treat_blank_as_undeclared_write_in,
            max_rankings=config.rules.max_rankings,
        )
    elif source.provider == "genericCsv":
        from voting.formats.cvr_generic import read_generic_csv

        assert source.first_vote_column is not None
        read_generic_csv(
            path,
            builder,
            ctx,
            first_vote_column=source.first_vote_column,
            id_column=source.id_column,
            precinct_column=source.precinct_column,
            batch_column=source.batch_column,
            undeclared_write_in_label=source.undeclared_write_in_label,
        )
    elif source.provider == "cdf":
        from voting.formats.cvr_cdf import read_cdf

        assert source.contest_id is not None
        read_cdf(
            path, builder, ctx, contest_id=source.contest_id, overvote_label=source.overvote_label
        )
    elif source.provider == "dominion":
        from voting.formats.cvr_dominion import read_dominion

        assert source.contest_id is not None
        read_dominion(
            path,
            builder,
            ctx,
            contest_id=source.contest_id,
            undeclared_write_in_label=source.undeclared_write_in_label,
        )
    elif source.provider == "clearBallot":
        from voting.formats.cvr_clearballot import read_clear_ballot

        assert source.contest_id is not None
        read_clear_ballot(
            path,
            builder,
            ctx,
            contest_id=source.contest_id,
            undeclared_write_in_label=source.undeclared_write_in_label,
            max_rankings=config.rules.max_rankings,
        )
    elif source.provider == "hart":
        from voting.formats.cvr_hart import read_hart

        assert source.contest_id is not None
        read_hart(
            path,
            builder,
            ctx,
            contest_id=source.contest_id,
            undeclared_write_in_label=source.undeclared_write_in_label,
        )
    else:  # pragma: no cover - validated by the configuration
        raise ValueError(f"unknown provider {source.provider!r}")


def read_sources(
    config: ContestConfig, errors: ErrorPolicy = "raise"
) -> tuple[CastVoteRecords, list[ReadReport]]:
    """Every record of every source of ``config``, in order, with one report per source."""
    builder = CvrBuilder("")
    reports = []
    for source in config.sources:
        ctx = ReadContext(source=str(source.path), errors=errors)
        before = len(builder)
        read_source(source, config, builder, ctx)
        reports.append(ctx.report(source.provider, len(builder) - before))
    return builder.build(), reports
