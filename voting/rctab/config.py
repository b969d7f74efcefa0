"""RCTab contest configurations: parsing and validation (:func:`load_config`).

A configuration is RCTab's JSON file: ``outputSettings``, ``cvrFileSources``,
``candidates`` and ``rules`` (RCTab's ``config_file_documentation.txt`` describes every
field). Values are read as RCTab's JSON binding reads them (a number where text is
expected is its text; ``"true"`` where a boolean is expected is true; unknown fields are
ignored; a candidate's legacy ``code`` is an alias), and validated by RCTab's rules. Every
problem is collected and reported at once in a :class:`ConfigError` that names the file
and the field.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

from voting.exceptions import VotingError
from voting.formats.cvr import UNDECLARED_WRITE_IN
from voting.rctab._java import divide

__all__ = [
    "CandidateConfig",
    "ConfigError",
    "ContestConfig",
    "CvrSourceConfig",
    "OvervoteRule",
    "Rules",
    "TiebreakMode",
    "WinnerMode",
    "load_config",
    "parse_config",
]

RESERVED = ("residual surplus", "exhausted", "uncounted")
PROVIDERS = ("cdf", "clearBallot", "dominion", "ess", "hart", "genericCsv")
_MIN_SEED, _MAX_SEED = -140737488355328, 140737488355327
_INT_MAX = 2**31 - 1


class ConfigError(VotingError, ValueError):
    """An RCTab configuration is unreadable or invalid; the message lists every problem,
    each naming its field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"{source}: invalid RCTab configuration ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}):\n{lines}"
        )


class TiebreakMode(Enum):
    RANDOM = "random"
    INTERACTIVE = "stopCountingAndAsk"
    PREVIOUS_ROUND_COUNTS_THEN_RANDOM = "previousRoundCountsThenRandom"
    PREVIOUS_ROUND_COUNTS_THEN_INTERACTIVE = "previousRoundCountsThenAsk"
    USE_CANDIDATE_ORDER = "useCandidateOrder"
    GENERATE_PERMUTATION = "generatePermutation"


class OvervoteRule(Enum):
    ALWAYS_SKIP_TO_NEXT_RANK = "alwaysSkipToNextRank"
    EXHAUST_IMMEDIATELY = "exhaustImmediately"
    EXHAUST_IF_MULTIPLE_CONTINUING = "exhaustIfMultipleContinuing"


class WinnerMode(Enum):
    SINGLE_WINNER_MAJORITY = "singleWinnerMajority"
    MULTI_WINNER_ONE_PER_ROUND = "multiWinnerAllowOnlyOneWinnerPerRound"
    MULTI_WINNER_MULTIPLE_PER_ROUND = "multiWinnerAllowMultipleWinnersPerRound"
    BOTTOMS_UP = "bottomsUp"
    BOTTOMS_UP_PERCENTAGE = "bottomsUpUsingPercentageThreshold"
    MULTI_PASS_IRV = "multiPassIrv"


@dataclass(frozen=True)
class CvrSourceConfig:
    """One ``cvrFileSources`` entry; column and row numbers are 1-based (None: not given)."""

    provider: str
    file_path: str
    path: Path
    contest_id: str | None = None
    first_vote_column: int | None = None
    first_vote_row: int | None = None
    id_column: int | None = None
    batch_column: int | None = None
    precinct_column: int | None = None
    overvote_delimiter: str | None = None
    overvote_label: str | None = None
    skipped_rank_label: str | None = None
    undeclared_write_in_label: str | None = None
    treat_blank_as_undeclared_write_in: bool = False


@dataclass(frozen=True)
class CandidateConfig:
    name: str
    aliases: tuple[str, ...] = ()
    excluded: bool = False


@dataclass(frozen=True)
class Rules:
    """The ``rules`` section, parsed (see RCTab's configuration documentation)."""

    tiebreak_mode: TiebreakMode
    overvote_rule: OvervoteRule
    winner_mode: WinnerMode
    number_of_winners: int
    decimal_places: int
    max_skipped_ranks: int | None  # None: unlimited
    max_rankings: int | None  # None: "max" (the number of declared candidates)
    random_seed: int | None = None
    minimum_vote_threshold: Decimal = Decimal(0)
    bottoms_up_percentage: Decimal | None = None
    bottoms_up_percentage_text: str = ""
    non_integer_threshold: bool = False
    hare_quota: bool = False
    batch_elimination: bool = False
    cutoff_elimination: bool = False
    continue_until_two: bool = False
    stop_after_round: int | None = None
    first_round_determines_threshold: bool = False
    exhaust_on_duplicate: bool = False


@dataclass(frozen=True)
class ContestConfig:
    """A validated RCTab configuration.

    ``candidate_names`` are the declared candidates in file order, then
    :data:`~voting.formats.cvr.UNDECLARED_WRITE_IN` when a source names a write-in label
    (or treats blanks as write-ins). ``aliases`` maps every name, alias and code to its
    candidate's name.
    """

    path: Path
    tabulator_version: str
    contest_name: str
    output_directory: str
    contest_date: str | None
    contest_jurisdiction: str | None
    contest_office: str | None
    tabulate_by_precinct: bool
    tabulate_by_batch: bool
    generate_cdf_json: bool
    sources: tuple[CvrSourceConfig, ...]
    candidates: tuple[CandidateConfig, ...]
    rules: Rules
    candidate_names: tuple[str, ...] = field(default=())
    aliases: Mapping[str, str] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()

    @property
    def undeclared_write_ins(self) -> bool:
        return UNDECLARED_WRITE_IN in self.aliases

    @property
    def num_declared_candidates(self) -> int:
        return len(self.candidate_names) - (1 if self.undeclared_write_ins else 0)

    @property
    def uses_surpluses(self) -> bool:
        return self.rules.number_of_winners > 1 and self.rules.winner_mode != WinnerMode.BOTTOMS_UP

    def max_rankings(self) -> int:
        """``maxRankingsAllowed``, with ``"max"`` meaning the number of declared candidates."""
        m = self.rules.max_rankings
        return self.num_declared_candidates if m is None else m


# ---------------------------------------------------------------- JSON binding
def _text(value: Any) -> str | None:
    """A JSON value bound to a Java String field (numbers and booleans as their text)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__}")


def _bool(value: Any) -> bool:
    """A JSON value bound to a Java boolean field."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, int):
        return value != 0
    raise TypeError(f"expected true or false, got {value!r}")


def _blank(s: str | None) -> bool:
    return s is None or not s.strip()


def _int_field(
    problems: list[str],
    raw: str | None,
    name: str,
    low: int,
    high: int,
    required: bool,
    where: str = "",
) -> int | None:
    """RCTab's ``fieldOutOfRangeOrNotInteger``: the value, or None (recording a problem)."""
    rng = f"an integer from {low} to {high}"
    if _blank(raw):
        if required:
            problems.append(f"{name} must be {rng}{where}; it is missing")
        return None
    assert raw is not None
    if not re.fullmatch(r"[+-]?\d+", raw):
        problems.append(f"{name} must be {rng}{where}; got {raw!r}")
        return None
    value = int(raw)
    if not low <= value <= high:
        problems.append(f"{name} must be {rng}{where}; got {value}")
        return None
    return value


def _source(
    problems: list[str], raw: Mapping[str, Any], index: int, base: Path, multi_skip: bool
) -> CvrSourceConfig | None:
    where = f" (cvrFileSources[{index}])"
    get = {k: _text(v) if k != "treatBlankAsUndeclaredWriteIn" else v for k, v in raw.items()}
    provider = get.get("provider") or ""
    file_path = get.get("filePath")
    if _blank(file_path):
        problems.append(f"filePath is required{where}")
        return None
    assert file_path is not None
    where = f" (cvrFileSources[{index}], {file_path})"
    labels = {
        "overvoteLabel": get.get("overvoteLabel"),
        "skippedRankLabel": get.get("skippedRankLabel"),
        "undeclaredWriteInLabel": get.get("undeclaredWriteInLabel"),
    }
    _check_labels(problems, labels, where)
    if provider not in PROVIDERS:
        problems.append(f"provider must be one of {', '.join(PROVIDERS)}{where}; got {provider!r}")
        return None
    try:
        treat_blank = _bool(raw.get("treatBlankAsUndeclaredWriteIn"))
    except TypeError as exc:
        problems.append(f"treatBlankAsUndeclaredWriteIn: {exc}{where}")
        treat_blank = False
    delimiter = get.get("overvoteDelimiter")
    columns: dict[str, int | None] = dict.fromkeys(_COLUMNS.values())
    if provider in ("ess", "genericCsv"):
        columns = _csv_columns(problems, get, where)
        _check_delimiter(problems, delimiter, labels["overvoteLabel"], where)
    else:
        _check_no_csv_settings(problems, provider, file_path, get, labels, treat_blank, where)
    contest_id = get.get("contestId")
    path = Path(file_path) if os.path.isabs(file_path) else base / file_path
    _check_contest_and_file(problems, provider, contest_id, path, where)
    if provider == "ess" and multi_skip and _blank(delimiter):
        problems.append(
            "overvoteDelimiter is required for an ES&S source when overvoteRule is "
            f"exhaustIfMultipleContinuing{where}"
        )

    def opt(s: str | None) -> str | None:
        return None if _blank(s) else s

    return CvrSourceConfig(
        provider=provider,
        file_path=file_path,
        path=path,
        contest_id=opt(contest_id),
        first_vote_column=columns["first_vote_column"],
        first_vote_row=columns["first_vote_row"],
        id_column=columns["id_column"],
        batch_column=columns["batch_column"],
        precinct_column=columns["precinct_column"],
        overvote_delimiter=opt(delimiter),
        overvote_label=opt(labels["overvoteLabel"]),
        skipped_rank_label=opt(labels["skippedRankLabel"]),
        undeclared_write_in_label=opt(labels["undeclaredWriteInLabel"]),
        treat_blank_as_undeclared_write_in=treat_blank,
    )


_COLUMNS = {
    "firstVoteColumnIndex": "first_vote_column",
    "firstVoteRowIndex": "first_vote_row",
    "idColumnIndex": "id_column",
    "precinctColumnIndex": "precinct_column",
    "batchColumnIndex": "batch_column",
}
"""The column and row settings of a CSV source -> :class:`CvrSourceConfig` fields."""

_COLUMN_RANGES = {  # (largest value, required)
    "firstVoteColumnIndex": (1000, True),
    "firstVoteRowIndex": (100000, True),
    "idColumnIndex": (1000, False),
    "precinctColumnIndex": (1000, False),
    "batchColumnIndex": (1000, False),
}


def _check_labels(problems: list[str], labels: Mapping[str, str | None], where: str) -> None:
    """No label is a reserved term or doubles as another label."""
    for key, label in labels.items():
        if _blank(label):
            continue
        assert label is not None
        if label.lower() in RESERVED:
            problems.append(f"{key} {label!r} is a reserved term{where}")
        for other, value in labels.items():
            if (
                other != key
                and value is not None
                and value.strip()
                and value.lower() == label.lower()
            ):
                problems.append(f"{key} {label!r} is also used as {other}{where}")


def _csv_columns(problems: list[str], get: Mapping[str, Any], where: str) -> dict[str, int | None]:
    """The column and row numbers of an ES&S or generic CSV source."""
    return {
        field: _int_field(problems, get.get(key), key, 1, *_COLUMN_RANGES[key], where)
        for key, field in _COLUMNS.items()
    }


def _check_delimiter(
    problems: list[str], delimiter: str | None, overvote_label: str | None, where: str
) -> None:
    if _blank(delimiter):
        return
    assert delimiter is not None
    if "\\" in delimiter or re.fullmatch(r"[a-zA-Z0-9.',\-\"\s]+", delimiter):
        problems.append(
            f"overvoteDelimiter {delimiter!r} is invalid: it must contain no backslash and "
            f"a character other than a letter, digit, hyphen, period, comma, apostrophe, "
            f"quote or space{where}"
        )
    if not _blank(overvote_label):
        problems.append(f"overvoteDelimiter and overvoteLabel can't both be supplied{where}")


def _check_no_csv_settings(
    problems: list[str],
    provider: str,
    file_path: str,
    get: Mapping[str, Any],
    labels: Mapping[str, str | None],
    treat_blank: bool,
    where: str,
) -> None:
    """A source other than ES&S and generic CSV sets none of their settings."""
    if provider == "cdf":
        if not file_path.lower().endswith((".xml", ".json", ".xml.gz", ".json.gz")):
            problems.append(f"CDF source files must be .json or .xml{where}")
    elif not _blank(labels["overvoteLabel"]):
        problems.append(f"overvoteLabel should not be defined for provider {provider!r}{where}")
    for key in (*_COLUMNS, "overvoteDelimiter", "skippedRankLabel"):
        if not _blank(get.get(key)):
            problems.append(f"{key} should not be defined for provider {provider!r}{where}")
    if treat_blank:
        problems.append(
            f"treatBlankAsUndeclaredWriteIn should not be true for provider {provider!r}{where}"
        )


def _check_contest_and_file(
    problems: list[str], provider: str, contest_id: str | None, path: Path, where: str
) -> None:
    if provider in ("dominion", "hart", "clearBallot", "cdf"):
        if _blank(contest_id):
            problems.append(f"contestId must be defined for provider {provider!r}{where}")
    elif not _blank(contest_id):
        problems.append(f"contestId should not be defined for provider {provider!r}{where}")
    if not path.exists() and not Path(f"{path}.gz").exists():
        problems.append(f"cast vote record file not found: {path}{where}")


def _enum(problems: list[str], enum: Any, raw: str | None, name: str) -> Any:
    for member in enum:
        if member.value == raw:
            return member
    choices = ", ".join(repr(m.value) for m in enum)
    problems.append(f"{name} must be one of {choices}; got {raw!r}")
    return None


def _percentage(text: str) -> Decimal:
    """RCTab's percentage threshold: ``text / 100`` to two more decimals than ``text`` has."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return divide(Decimal(text), 100, decimals + 2, "half_up")


@dataclass
class _Fields:
    """Reads the settings of one section, recording a problem for each bad value."""

    problems: list[str]
    raw: Mapping[str, Any]
    prefix: str

    def text(self, key: str) -> str | None:
        try:
            return _text(self.raw.get(key))
        except TypeError as exc:
            self.problems.append(f"{self.prefix}{key}: {exc}")
            return None

    def flag(self, key: str) -> bool:
        try:
            return _bool(self.raw.get(key))
        except TypeError as exc:
            self.problems.append(f"{self.prefix}{key}: {exc}")
            return False

    def integer(self, key: str, low: int, high: int, required: bool) -> int | None:
        return _int_field(self.problems, self.text(key), self.prefix + key, low, high, required)


_RULE_FLAGS = (
    "nonIntegerWinningThreshold",
    "hareQuota",
    "batchElimination",
    "cutoffElimination",
    "continueUntilTwoCandidatesRemain",
    "doesFirstRoundDetermineThreshold",
    "exhaustOnDuplicateCandidate",
)


def _rules(problems: list[str], raw: Mapping[str, Any], n_declared: int) -> Rules | None:
    f = _Fields(problems, raw, "rules.")
    n0 = len(problems)
    tiebreak = _enum(problems, TiebreakMode, f.text("tiebreakMode"), "rules.tiebreakMode")
    overvote = _enum(problems, OvervoteRule, f.text("overvoteRule"), "rules.overvoteRule")
    mode = _enum(problems, WinnerMode, f.text("winnerElectionMode"), "rules.winnerElectionMode")
    seed = _seed(f, tiebreak)
    max_rankings = _max_rankings(f)
    max_skipped = _max_skipped(f)
    winners = f.integer("numberOfWinners", 0, _INT_MAX, True)
    decimals = f.integer("decimalPlacesForVoteArithmetic", 1, 20, True)
    stop = f.integer("stopTabulationEarlyAfterRound", 1, _INT_MAX, False)
    minimum = f.integer("minimumVoteThreshold", 0, 1000000, False)
    pct_text = f.text("multiSeatBottomsUpPercentageThreshold") or ""
    flags = {k: f.flag(k) for k in _RULE_FLAGS}
    pct = _check_winners(problems, winners, mode, flags, pct_text)
    _check_threshold_flags(problems, mode, flags)
    if len(problems) > n0:
        return None
    assert tiebreak and overvote and mode and winners is not None and decimals is not None
    return Rules(
        tiebreak_mode=tiebreak,
        overvote_rule=overvote,
        winner_mode=mode,
        number_of_winners=winners,
        decimal_places=decimals,
        max_skipped_ranks=max_skipped,
        max_rankings=max_rankings,
        random_seed=seed,
        minimum_vote_threshold=Decimal(minimum or 0),
        bottoms_up_percentage=pct,
        bottoms_up_percentage_text=pct_text,
        non_integer_threshold=flags["nonIntegerWinningThreshold"],
        hare_quota=flags["hareQuota"],
        batch_elimination=flags["batchElimination"],
        cutoff_elimination=flags["cutoffElimination"],
        continue_until_two=flags["continueUntilTwoCandidatesRemain"],
        stop_after_round=stop,
        first_round_determines_threshold=flags["doesFirstRoundDetermineThreshold"],
        exhaust_on_duplicate=flags["exhaustOnDuplicateCandidate"],
    )


def _seed(f: _Fields, tiebreak: TiebreakMode | None) -> int | None:
    """``randomSeed``: required by the tie-break modes that draw lots."""
    seed_raw = f.text("randomSeed")
    needs_seed = tiebreak in (
        TiebreakMode.RANDOM,
        TiebreakMode.PREVIOUS_ROUND_COUNTS_THEN_RANDOM,
        TiebreakMode.GENERATE_PERMUTATION,
    )
    if needs_seed and _blank(seed_raw):
        assert tiebreak is not None
        f.problems.append(f"rules.randomSeed is required when tiebreakMode is {tiebreak.value!r}")
    return _int_field(f.problems, seed_raw, "rules.randomSeed", _MIN_SEED, _MAX_SEED, False)


def _max_rankings(f: _Fields) -> int | None:
    """``maxRankingsAllowed``: ``"max"`` (None) or an integer >= 1."""
    raw = f.text("maxRankingsAllowed")
    if raw == "max":
        return None
    if raw is not None and re.fullmatch(r"[+-]?\d+", raw) and int(raw) >= 1:
        return int(raw)
    f.problems.append(
        f'rules.maxRankingsAllowed must be "max" or an integer from 1 to {_INT_MAX}; got {raw!r}'
    )
    return None


def _max_skipped(f: _Fields) -> int | None:
    """``maxSkippedRanksAllowed``: ``"unlimited"`` (None) or an integer >= 0."""
    raw = f.text("maxSkippedRanksAllowed")
    if raw is not None and raw.lower() == "unlimited":
        return None
    if raw is not None and re.fullmatch(r"[+-]?\d+", raw) and int(raw) >= 0:
        return int(raw)
    f.problems.append(
        f'rules.maxSkippedRanksAllowed must be "unlimited" or an integer from 0 to '
        f"{_INT_MAX}; got {raw!r}"
    )
    return None


def _check_winners(
    problems: list[str],
    winners: int | None,
    mode: WinnerMode | None,
    flags: Mapping[str, bool],
    pct_text: str,
) -> Decimal | None:
    """The winner mode against the number of winners; the bottoms-up threshold, if any."""
    if winners is None or mode is None:
        return None
    if winners == 0:
        return _bottoms_up_threshold(problems, mode, pct_text)
    if mode == WinnerMode.BOTTOMS_UP_PERCENTAGE:
        problems.append(
            "rules.numberOfWinners must be 0 when winnerElectionMode is "
            "bottomsUpUsingPercentageThreshold"
        )
    if winners == 1:
        if mode != WinnerMode.SINGLE_WINNER_MAJORITY:
            problems.append(
                f"rules.winnerElectionMode can't be {mode.value!r} in a "
                "single-seat contest (numberOfWinners 1)"
            )
        return None
    if mode != WinnerMode.MULTI_PASS_IRV:
        if flags["continueUntilTwoCandidatesRemain"]:
            problems.append(
                "rules.continueUntilTwoCandidatesRemain can't be true in a "
                "multi-seat contest unless winnerElectionMode is multiPassIrv"
            )
        if flags["batchElimination"]:
            problems.append(
                "rules.batchElimination can't be true in a multi-seat "
                "contest unless winnerElectionMode is multiPassIrv"
            )
    if flags["doesFirstRoundDetermineThreshold"]:
        problems.append(
            "rules.doesFirstRoundDetermineThreshold can't be true in a multi-seat contest"
        )
    return None


def _bottoms_up_threshold(problems: list[str], mode: WinnerMode, pct_text: str) -> Decimal | None:
    """A contest without a fixed number of winners: the bottoms-up percentage."""
    if mode != WinnerMode.BOTTOMS_UP_PERCENTAGE:
        problems.append(
            "rules.numberOfWinners 0 requires winnerElectionMode bottomsUpUsingPercentageThreshold"
        )
    try:
        pct_value = Decimal(pct_text) if not _blank(pct_text) else None
    except InvalidOperation:
        pct_value = None
    if pct_value is None or not 1 <= pct_value <= 100:
        problems.append(
            "rules.multiSeatBottomsUpPercentageThreshold must be a number "
            f"from 1 to 100; got {pct_text!r}"
        )
        return None
    return _percentage(pct_text.strip())


def _check_threshold_flags(
    problems: list[str], mode: WinnerMode | None, flags: Mapping[str, bool]
) -> None:
    """Batch elimination, a non-integer threshold and the Hare quota need certain modes."""
    if mode == WinnerMode.BOTTOMS_UP_PERCENTAGE and flags["batchElimination"]:
        problems.append(
            "rules.batchElimination can't be true when winnerElectionMode is "
            "bottomsUpUsingPercentageThreshold"
        )
    if mode not in (
        WinnerMode.MULTI_WINNER_ONE_PER_ROUND,
        WinnerMode.MULTI_WINNER_MULTIPLE_PER_ROUND,
    ):
        name = mode.value if mode is not None else None
        if flags["nonIntegerWinningThreshold"]:
            problems.append(
                f"rules.nonIntegerWinningThreshold can't be true when "
                f"winnerElectionMode is {name!r}"
            )
        if flags["hareQuota"]:
            problems.append(f"rules.hareQuota can't be true when winnerElectionMode is {name!r}")
    if flags["nonIntegerWinningThreshold"] and flags["hareQuota"]:
        problems.append("rules.nonIntegerWinningThreshold and rules.hareQuota can't both be true")


_OUTPUT_FLAGS = ("tabulateByPrecinct", "tabulateByBatch", "generateCdfJson")


def parse_config(data: Mapping[str, Any], path: str | os.PathLike[str]) -> ContestConfig:
    """Validate a configuration already parsed from JSON; relative paths are resolved from
    the folder of ``path``.

    Raises
    ------
    ConfigError
        Listing every problem found, each naming its field.
    """
    source = os.fspath(path)
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise ConfigError(source, ["the file must hold a JSON object"])
    version = _text(data.get("tabulatorVersion")) or ""
    if _blank(version):
        problems.append('tabulatorVersion is required (RCTab\'s version, or "TEST")')
    out = _section(problems, data, "outputSettings")
    contest_name = _text(out.get("contestName"))
    if _blank(contest_name):
        problems.append("outputSettings.contestName is required")
    output = _Fields(problems, out, "outputSettings.")
    flags = {
        k: output.flag(k) for k in ("tabulateByPrecinct", "tabulateByBatch", "generateCdfJson")
    }
    raw_rules = _section(problems, data, "rules")
    sources = _sources(problems, data, Path(source).parent, raw_rules, flags)
    candidates, aliases = _candidates(problems, data, sources)
    rules = _rules(problems, raw_rules, len(candidates))
    if problems:
        raise ConfigError(source, problems)
    assert rules is not None and contest_name is not None
    names = [c.name for c in candidates]
    if any(s.undeclared_write_in_label or s.treat_blank_as_undeclared_write_in for s in sources):
        names.append(UNDECLARED_WRITE_IN)
        aliases[UNDECLARED_WRITE_IN] = UNDECLARED_WRITE_IN
    return ContestConfig(
        path=Path(source),
        tabulator_version=version,
        contest_name=contest_name,
        output_directory=_text(out.get("outputDirectory")) or "",
        contest_date=_text(out.get("contestDate")),
        contest_jurisdiction=_text(out.get("contestJurisdiction")),
        contest_office=_text(out.get("contestOffice")),
        tabulate_by_precinct=flags["tabulateByPrecinct"],
        tabulate_by_batch=flags["tabulateByBatch"],
        generate_cdf_json=flags["generateCdfJson"],
        sources=tuple(sources),
        candidates=tuple(candidates),
        rules=rules,
        candidate_names=tuple(names),
        aliases=aliases,
        excluded=frozenset(c.name for c in candidates if c.excluded),
    )


def _section(problems: list[str], data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The object ``data[key]`` (empty when absent or not an object)."""
    value = data.get(key) or {}
    if not isinstance(value, Mapping):
        problems.append(f"{key} must be an object")
        return {}
    return value


def _sources(
    problems: list[str],
    data: Mapping[str, Any],
    base: Path,
    raw_rules: Mapping[str, Any],
    flags: Mapping[str, bool],
) -> list[CvrSourceConfig]:
    """The ``cvrFileSources``, each checked alone and against the rules and outputs."""
    overvote_rule = _text(raw_rules.get("overvoteRule"))
    multi_skip = overvote_rule == OvervoteRule.EXHAUST_IF_MULTIPLE_CONTINUING.value
    raw_sources = data.get("cvrFileSources") or []
    sources: list[CvrSourceConfig] = []
    if not raw_sources:
        problems.append("cvrFileSources must list at least 1 cast vote record file")
    seen_paths: set[Path] = set()
    for i, raw in enumerate(raw_sources):
        if not isinstance(raw, Mapping):
            problems.append(f"cvrFileSources[{i}] must be an object")
            continue
        src = _source(problems, raw, i, base, multi_skip)
        if src is None:
            continue
        resolved = src.path.resolve()
        if resolved in seen_paths:
            problems.append(f"duplicate cast vote record filePath: {src.file_path}")
        seen_paths.add(resolved)
        _check_source_settings(problems, src, i, overvote_rule, flags)
        sources.append(src)
    return sources


def _check_source_settings(
    problems: list[str],
    src: CvrSourceConfig,
    i: int,
    overvote_rule: str | None,
    flags: Mapping[str, bool],
) -> None:
    """A source against the overvote rule and the tabulation by precinct or batch."""
    if src.overvote_label and overvote_rule not in (
        OvervoteRule.EXHAUST_IMMEDIATELY.value,
        OvervoteRule.ALWAYS_SKIP_TO_NEXT_RANK.value,
    ):
        problems.append(
            f"cvrFileSources[{i}]: when overvoteLabel is supplied, overvoteRule must be "
            "alwaysSkipToNextRank or exhaustImmediately"
        )
    if src.provider == "cdf" and (flags["tabulateByPrecinct"] or flags["tabulateByBatch"]):
        problems.append(
            f"cvrFileSources[{i}]: tabulate-by-precinct/batch is not available for CDF files"
        )
    if src.provider == "ess":
        if src.precinct_column is None and flags["tabulateByPrecinct"]:
            problems.append(
                f"cvrFileSources[{i}]: precinctColumnIndex is required when "
                "tabulateByPrecinct is enabled"
            )
        if src.batch_column is None and flags["tabulateByBatch"]:
            problems.append(
                f"cvrFileSources[{i}]: batchColumnIndex is required when tabulateByBatch is enabled"
            )


def _candidates(
    problems: list[str], data: Mapping[str, Any], sources: list[CvrSourceConfig]
) -> tuple[list[CandidateConfig], dict[str, str]]:
    """The declared candidates, and every name, alias and code -> the candidate's name."""
    candidates: list[CandidateConfig] = []
    aliases: dict[str, str] = {}
    seen: set[str] = set()
    labels = {
        lab.lower()
        for s in sources
        for lab in (s.overvote_label, s.skipped_rank_label, s.undeclared_write_in_label)
        if lab
    }
    for i, raw in enumerate(data.get("candidates") or []):
        if not isinstance(raw, Mapping):
            problems.append(f"candidates[{i}] must be an object")
            continue
        name = _text(raw.get("name"))
        if _blank(name):
            problems.append(f"candidates[{i}].name is required")
            continue
        assert name is not None
        alias_list = [_text(a) or "" for a in (raw.get("aliases") or [])]
        code = _text(raw.get("code"))
        if not _blank(code):
            alias_list.append(code or "")
        excluded = _Fields(problems, raw, f"candidates[{i}].").flag("excluded")
        for text in [*alias_list, name]:
            if text in seen:
                problems.append(f"duplicate candidate name or alias {text!r} (candidates[{i}])")
            elif text.lower() in RESERVED or text.lower() in labels:
                problems.append(
                    f"candidate name or alias {text!r} (candidates[{i}]) is reserved or used as "
                    "a label"
                )
            seen.add(text)
            aliases[text] = name
        candidates.append(CandidateConfig(name, tuple(alias_list), excluded))
    if not candidates:
        problems.append("candidates must list at least 1 declared candidate")
    elif all(c.excluded for c in candidates):
        problems.append("candidates must include at least 1 candidate that is not excluded")
    return candidates, aliases


def load_config(path: str | os.PathLike[str]) -> ContestConfig:
    """Read and validate an RCTab configuration file.

    Raises
    ------
    ConfigError
        Not JSON, or invalid: every problem listed, each naming its field.
    FileNotFoundError
        No such file.
    """
    source = os.fspath(path)
    with open(source, encoding="utf-8-sig") as f:
        text = f.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            source, [f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
        ) from None
    return parse_config(data, source)
