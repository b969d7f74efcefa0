"""Shared fixtures: hypothesis settings and the path to the real elections."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# lists the tests over 5 s not marked slow at the end of a run (tests/slow_report.py)
from tests.slow_report import pytest_configure as pytest_configure

# Tests import the shared helpers as `tests.naive` or as plain `naive`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

settings.register_profile(
    "default",
    deadline=None,  # the first call of a kernel includes numba compilation
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("default"), print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


#: Real elections with their official results, copied into the repository
#: (``tests/data/elections``; sources and licences in ``tests/data/README.md``).
#: Tests read only files inside the repository.
ELECTIONS = Path(__file__).resolve().parent / "data" / "elections"


@pytest.fixture(scope="session")
def elections_dir() -> Path:
    """The folder of real elections bundled with the tests (``tests/data/elections``)."""
    return ELECTIONS


@pytest.fixture(scope="session")
def elections_index(elections_dir: Path) -> list[dict[str, Any]]:
    with open(elections_dir / "index.json", encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return data


def official_winners(election: str) -> set[str]:
    """The official winners of the election whose ``election`` title in
    ``index.json`` starts with ``election`` (one entry must match)."""
    with open(ELECTIONS / "index.json", encoding="utf-8") as f:
        index: list[dict[str, Any]] = json.load(f)
    (entry,) = [e for e in index if str(e.get("election", "")).startswith(election)]
    return set(entry["official_winners"])
