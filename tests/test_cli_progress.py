"""The command line's progress bars (``--progress``/``--no-progress``) and its notice when
numba compiles (``voting._dispatch.compile_notice``)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from voting import _dispatch, _progress, cli

pytest.importorskip("tqdm", reason="the bars need the 'progress' extra (tqdm)")

STV = ["count", "--example", "nixos-steering-2024", "--method", "stv", "--seats", "7"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = cli.main(argv, out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_progress_flag_shows_reading_and_counting_bars(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*STV, "--progress"], capsys)
    assert code == 0
    assert "nixos-steering-2024.blt" in err  # the reading bar names the file
    assert "counting (stv)" in err
    rounds = [int(x.split(" rounds")[0].split()[-1]) for x in err.split(":") if " rounds [" in x]
    assert max(rounds) >= 10  # the STV count ticked once a round (22 here)
    assert "Elected:" in out and "Elected:" not in err


def test_no_bars_by_default_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(STV, capsys)
    assert code == 0 and "Elected:" in out
    assert err == ""
    code, _, err = run([*STV, "--no-progress"], capsys)
    assert code == 0 and err == ""


def test_analyze_takes_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["analyze", "--example", "debian-leader-2005", "--progress"], capsys)
    assert code == 0 and "debian-leader-2005.txt" in err
    code, _, err = run(["analyze", "--example", "debian-leader-2005", "--no-progress"], capsys)
    assert code == 0 and err == ""


def test_tick_without_a_task_does_nothing() -> None:
    _progress.tick(3)  # no open task: no bar, no error
    with _progress.task(False, "x", unit="round") as bar:
        _progress.tick()
        assert type(bar) is _progress.Bar


def test_compile_notice_printed_once_by_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """numba's compile event (fired here twice, as for two kernels) gives one notice."""
    from numba.core import event

    def compiling_count(args: Any, out: Any) -> None:
        _dispatch.kernels("tallies")  # the first kernel import installs the listener
        for _ in range(2):
            with event.trigger_event("numba:compile", data={}):
                pass

    monkeypatch.setattr(_dispatch, "_notice_said", False)
    monkeypatch.setattr(cli, "_count", compiling_count)
    code, _, err = run(["count", "--example", "debian-leader-2005"], capsys)
    assert code == 0
    assert err.count(_dispatch.COMPILE_NOTICE) == 1
    # outside the command line, compiling prints nothing
    monkeypatch.setattr(_dispatch, "_notice_said", False)
    with event.trigger_event("numba:compile", data={}):
        pass
    assert capsys.readouterr().err == ""
