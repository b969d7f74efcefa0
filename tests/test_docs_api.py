"""The API reference (``docs/api/*.md``, rendered by mkdocstrings) covers the public API.

``mkdocs build --strict`` (run by ``.ci/run``) checks that the pages render without a
warning; this test checks that no public name was left off them, so that a method
added to ``voting.__all__`` also gets its ``::: voting.Name`` line.
"""

from __future__ import annotations

import importlib
import re
import types
from pathlib import Path

import pytest

import voting

API = Path(__file__).resolve().parent.parent / "docs" / "api"
DIRECTIVE = re.compile(r"^:::\s+([\w.]+)\s*$", re.MULTILINE)


def _resolve(target: str) -> object:
    module, _, attr = target.rpartition(".")
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name != target:  # an optional dependency (voting.dask needs dask)
            return None
        return getattr(importlib.import_module(module), attr)


def _documented() -> set[str]:
    """Qualified names rendered by the API pages (a module directive renders its __all__)."""
    out: set[str] = set()
    for page in sorted(API.glob("*.md")):
        for target in DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            out.add(target)
            obj = _resolve(target)
            if isinstance(obj, types.ModuleType):
                out.update(f"{target}.{name}" for name in getattr(obj, "__all__", ()))
    return out


def test_every_directive_resolves() -> None:
    pytest.importorskip("hypothesis")  # voting.testing needs the testing extra
    assert _documented()


def test_every_public_name_is_in_the_api_reference() -> None:
    pytest.importorskip("hypothesis")
    documented = _documented()
    missing = []
    for name in voting.__all__:
        if name == "__version__":
            continue
        obj = getattr(voting, name)
        home = getattr(obj, "__module__", None)
        candidates = {f"voting.{name}"}
        if isinstance(home, str):
            candidates.add(f"{home}.{name}")
            if home.startswith("voting.analysis"):
                candidates.add(f"voting.analysis.{name}")
            if home.startswith("voting.exceptions"):
                candidates.add(f"voting.exceptions.{name}")
        if not candidates & documented:
            missing.append(name)
    assert not missing, f"add `::: voting.<name>` lines to docs/api/*.md for {missing}"
