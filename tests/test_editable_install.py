"""The README's editable install is typed: mypy in a user's project sees voting's types.

A contributor who follows the README (``pip install -e .``) and type-checks code that
uses the library must get its annotations, as a regular install gives them. For a
package at the root of its checkout, setuptools' default editable install is an import
hook, which mypy cannot follow ("module is installed, but missing library stubs or
py.typed marker"); ``package-dir = {"" = "."}`` in ``pyproject.toml`` makes it a plain
``.pth`` line naming the checkout instead, which mypy reads like Python does.

These tests check the environment the suite runs in, which CI builds with the README's
command (``.ci/run``); they are skipped where ``voting`` is not an editable install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import voting

USER_CODE = """\
import voting

profile = voting.Profile.from_rankings([["a", "b"], ["b", "a"], ["a", "b"]])
result = voting.Schulze().run(profile)
reveal_type(result)
winner: int = result.winner
"""


def _editable() -> metadata.Distribution:
    """The installed distribution, if pip installed it in editable mode; else skip.

    Several may be visible (the checkout's own ``voting.egg-info``, when the suite runs
    from the checkout): the one pip installed is the one with a ``direct_url.json``.
    """
    for dist in metadata.distributions(name="voting"):
        direct = dist.read_text("direct_url.json")
        if direct and json.loads(direct).get("dir_info", {}).get("editable", False):
            return dist
    pytest.skip("voting is not installed in editable mode here (pip install -e .)")


def _pth_lines(dist: metadata.Distribution) -> list[str]:
    lines = []
    for f in dist.files or []:
        if f.name.endswith(".pth"):
            text = Path(str(dist.locate_file(f))).read_text(encoding="utf-8")
            lines += [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines


def test_the_editable_install_is_a_static_path_to_this_checkout() -> None:
    lines = _pth_lines(_editable())
    assert lines, "the editable install wrote no .pth file"
    hooks = [ln for ln in lines if ln.startswith(("import ", "import\t"))]
    assert not hooks, (
        f"the editable install is an import hook ({hooks[0]!r}), which mypy cannot follow; "
        "re-run `pip install -e .` with this checkout's pyproject.toml"
    )
    here = Path(voting.__file__).resolve().parent
    roots = [Path(ln) for ln in lines]
    assert any((root / "voting" / "py.typed").is_file() for root in roots)
    assert here in [(root / "voting").resolve() for root in roots], (
        f"the editable install points at {lines}, not at this checkout ({here.parent})"
    )


def test_mypy_sees_voting_types_in_a_user_project(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy comes with the dev extra")
    _editable()
    (tmp_path / "user_code.py").write_text(USER_CODE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--python-executable",
            sys.executable,
            "user_code.py",
        ],
        cwd=tmp_path,  # outside the checkout: voting is found only through the install
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert "import-untyped" not in out and "import-not-found" not in out, out
    assert (
        'user_code.py:5: note: Revealed type is "voting.results.Result['
        'voting.methods.schulze.SchulzeExplanation]"' in out
    ), out
    assert (
        'user_code.py:6: error: Incompatible types in assignment (expression has type "str", '
        'variable has type "int")' in out
    ), out
    assert "Found 1 error in 1 file" in out, out
    assert proc.returncode == 1, out
