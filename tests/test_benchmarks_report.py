"""``benchmarks/report.py`` parses the results files and rewrites docs idempotently.

No timing is asserted here: only that the generator reads what the harness writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import report

ROOT = Path(__file__).resolve().parent.parent

TSV = (
    "section\tcase\titems\tunit\trate_per_s\tmin_s\tmedian_s\tmean_s\tmax_s\tmethod\tlibrary\tx"
    "\tratio\tagree\n"
    "methods\tschulze voting n=1,000\t1000\tballots\t2000000.0\t0.0004\t0.0005\t0.0005\t0.0006"
    "\tschulze\tvoting\t1000\t\t\n"
    "methods\tschulze pref_voting n=1,000\t1000\tballots\t20000.0\t0.04\t0.05\t0.05\t0.06"
    "\tschulze\tpref_voting\t1000\t100.0\tTrue\n"
)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    (tmp_path / "methods.tsv").write_text(TSV, encoding="utf-8")
    (tmp_path / "methods.json").write_text(
        '{"date_utc": "2026-11-25T23:00:00+00:00", "numba_threads": 2,'
        ' "load_at_start": "0.10, 0.20, 0.30", "load_at_end": "0.40, 0.50, 0.60"}',
        encoding="utf-8",
    )
    return tmp_path


def test_load_parses_harness_columns(results: Path) -> None:
    r = report.load("methods", results)
    assert r is not None
    assert len(r.rows) == 2
    theirs = r.find("methods", "schulze pref_voting n=1,000")
    assert theirs is not None
    assert theirs["items"] == 1000 and theirs["ratio"] == 100.0 and theirs["agree"] is True
    assert r.meta["numba_threads"] == 2
    assert report.load("absent", results) is None


def test_methods_table_from_rows(results: Path) -> None:
    doc = "a\n<!-- bench:methods -->\nold\n<!-- /bench -->\nb\n"
    text = report.render(doc + "<!-- bench:runs -->\n<!-- /bench -->\n", results)
    assert "old" not in text
    assert "| schulze | 2 M/s | - | 20 k/s at 10^3 (100x) |" in text
    assert "2026-11-25T23:00:00Z" in text and "0.10, 0.20, 0.30" in text
    assert text.startswith("a\n") and "\nb\n" in text


def test_missing_results_say_so(tmp_path: Path) -> None:
    text = report.render("<!-- bench:stv-scale -->\n<!-- /bench -->\n", tmp_path)
    assert "No results yet" in text and "run_all stv" in text


def test_unknown_block_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="unknown bench block"):
        report.render("<!-- bench:nonsense -->\n<!-- /bench -->\n", tmp_path)


def test_committed_page_regenerates_idempotently() -> None:
    """Every block of the real page renders from the committed results, and a second
    pass changes nothing (whether the page is current is ``report --check``'s job)."""
    doc = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    once = report.render(doc)
    assert report.render(once) == once
    assert once.count("<!-- /bench -->") == doc.count("<!-- /bench -->") > 10


def test_old_text_header_is_read() -> None:
    meta = report._meta_from_text(
        "# date (UTC): 2026-11-25T20:11:49+00:00\n"
        "# numba threads: 2 (layer: omp), VOTING_NUMBA_CACHE=1\n"
        "# load average (1, 5, 15 min) at start: 0.85, 0.95, 0.99\n"
    )
    assert meta == {
        "date_utc": "2026-11-25T20:11:49+00:00",
        "numba_threads": "2",
        "load_at_start": "0.85, 0.95, 0.99",
    }
