"""``import voting`` stays light: public names load on first use (PEP 562), numba only
with a kernel, so the command line answers quickly (the speed itself is measured in
``benchmarks/bench_first_run.py``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import voting

ROOT = Path(__file__).resolve().parent.parent


def modules_after(code: str) -> set[str]:
    """Top-level modules loaded by a fresh interpreter after running ``code``."""
    probe = code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(done.stdout.split("\n")[-2].split())


def test_import_voting_loads_neither_numpy_nor_numba() -> None:
    loaded = modules_after("import voting")
    assert "voting" in loaded
    assert not loaded & {"numpy", "numba", "llvmlite", "hypothesis", "matplotlib", "tqdm"}


def test_help_and_methods_do_not_load_numba() -> None:
    code = textwrap.dedent(
        """
        import io
        from voting.cli import main
        assert main(["methods"], out=io.StringIO()) == 0
        assert main(["--help"], out=io.StringIO()) == 0
        """
    )
    assert not modules_after(code) & {"numba", "llvmlite"}


def test_every_public_name_resolves() -> None:
    for name in voting.__all__:
        assert getattr(voting, name) is not None, name
    assert set(voting.__all__) <= set(dir(voting))
    assert set(voting._LAZY) == set(voting.__all__) - {"__version__"}


def test_submodules_load_on_attribute_access() -> None:
    code = "import voting\nassert voting.analysis.rank_spread is voting.rank_spread"
    assert "voting" in modules_after(code)
    with pytest.raises(AttributeError, match="no_such_thing"):
        voting.no_such_thing  # noqa: B018


def test_pairwise_stays_the_function_after_its_module_loads() -> None:
    code = textwrap.dedent(
        """
        import warnings
        import voting
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import voting.pairwise
            from voting.pairwise import PairwiseMatrix
        assert PairwiseMatrix is voting.PairwiseMatrix
        assert [w.category for w in caught] == [DeprecationWarning]
        assert "voting.pairwise_matrix" in str(caught[0].message)
        assert callable(voting.pairwise) and voting.pairwise.__name__ == "pairwise"
        p = voting.Profile.from_rankings([["A", "B"], ["B"]])
        assert voting.pairwise(p).support.tolist() == [[0, 1], [1, 0]]
        """
    )
    modules_after(code)  # raises on a failed assertion


def test_pairwise_names_have_one_home_each() -> None:
    # the function voting.pairwise and the module of its matrix no longer share a name
    code = textwrap.dedent(
        """
        import voting
        import voting.pairwise_matrix
        import voting.streaming
        assert voting.pairwise is voting.streaming.pairwise
        assert voting.PairwiseMatrix is voting.pairwise_matrix.PairwiseMatrix
        assert voting.HeadToHead is voting.pairwise_matrix.HeadToHead
        assert voting.Ratings.__module__ == "voting.formats.ratings"
        from voting.methods.civs_proportional import Ratings
        assert Ratings is voting.Ratings
        """
    )
    modules_after(code)
