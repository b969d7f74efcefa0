"""Shared fixtures: hypothesis settings and the path to the real elections."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Tests import the shared helpers as `tests.naive` or as plain `naive`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

settings.register_profile(
    "default",
    deadline=None,  # the first call of a kernel includes numba compilation
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("default"), print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


def _find_elections() -> Path | None:
    env = os.environ.get("VOTING_ELECTIONS")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve().parent
    candidates += [
        here.parent.parent / "shared" / "elections",
        here.parent / "shared" / "elections",
    ]
    for c in candidates:
        if (c / "index.json").is_file():
            return c
    return None


ELECTIONS = _find_elections()


@pytest.fixture(scope="session")
def elections_dir() -> Path:
    """The folder of real elections (``../shared/elections`` beside the checkout).

    Tests that use it fail, rather than skip, when it is missing: the official
    results are the project's best oracle and CI always has them. Point
    ``VOTING_ELECTIONS`` at a copy to run elsewhere.
    """
    if ELECTIONS is None:
        pytest.fail("real elections not found: set VOTING_ELECTIONS to the shared/elections folder")
    return ELECTIONS


@pytest.fixture(scope="session")
def elections_index(elections_dir: Path) -> list[dict[str, Any]]:
    with open(elections_dir / "index.json", encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return data
