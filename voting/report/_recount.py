"""The ``voting count`` command that recounts a report, built from the method itself.

The command is derived from the method object that counted (its class's registered name
and every parameter that differs from its default), not from the command line that made
the report, so a report made from Python names the same command as one made from the
shell. A parameter the command line cannot express is listed in ``"not_expressible"``:
the command is then not a complete recount, and the page says so.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

__all__ = ["recount_command"]


def _tie_break_text(value: Any) -> str | None:
    from voting.ties import CandidateOrder, Random

    if isinstance(value, CandidateOrder):
        if value.order is None:
            return "candidate-order"
        return "order:" + ">".join(value.order)
    if isinstance(value, Random):
        return f"random:{value.seed}"
    return None


def _option_text(value: Any) -> str | None:
    """``value`` as ``--option NAME=TEXT`` reads it back, or None where it cannot."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return _tie_break_text(value)


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def _changed(method: Any, skip: Sequence[str]) -> list[tuple[str, Any]]:
    """``(name, value)`` of each init parameter that differs from its default."""
    out = []
    for f in dataclasses.fields(method):
        if not f.init or f.name in skip:
            continue
        value = getattr(method, f.name)
        if value != _default(f):
            out.append((f.name, value))
    return out


def _method_args(method: Any, seats: int) -> tuple[list[str], list[str]]:
    """``--method``, ``--seats``, ``--seed`` and ``--option`` arguments for ``method``."""
    from voting.ties import Random

    argv = ["--method", type(method).name, "--seats", str(seats)]
    missing: list[str] = []
    for name, value in _changed(method, skip=("seats",)):
        if name == "tie_break" and isinstance(value, Random):
            argv += ["--seed", str(value.seed)]
            continue
        text = _option_text(value)
        if text is None:
            missing.append(f"{name}={value!r}")
        else:
            argv += ["--option", f"{name}={text}"]
    return argv, missing


def recount_command(
    method: Any,
    *,
    seats: int,
    source: str | None,
    example: str | None = None,
    file_format: str | None = None,
    unranked: str | None = None,
    orientation: str | None = None,
    groups_file: str | None = None,
) -> dict[str, Any]:
    """The ``voting count`` command that reproduces a count.

    Parameters
    ----------
    method : Method
        The method object that counted (a :class:`~voting.methods.group_cap.GroupCap`
        gives ``--groups`` and ``--max-per-group`` around its inner method).
    seats : int
        Seats filled.
    source : str or None
        The ballot file as the user named it; None with ``example``.
    example : str, optional
        The bundled example's name (``--example NAME``).
    file_format, unranked, orientation : str, optional
        How the file was read (``--format``, ``--unranked``, ``--orientation``).
    groups_file : str, optional
        The groups TOML of a group cap.

    Returns
    -------
    dict
        ``{"argv": [...], "text": "voting count ...", "not_expressible": [...]}``.
    """
    from voting.methods.group_cap import GroupCap

    argv = ["voting", "count"]
    argv += ["--example", example] if example is not None else [source or "-"]
    if file_format is not None:
        argv += ["--format", file_format]
    if unranked is not None:
        argv += ["--unranked", unranked]
    if orientation is not None:
        argv += ["--orientation", orientation]
    missing: list[str] = []
    if isinstance(method, GroupCap):
        inner, missing = _method_args(method.method, seats)
        argv += inner
        argv += ["--groups", groups_file or "GROUPS.toml", "--max-per-group"]
        argv.append(str(method.max_per_group))
        if groups_file is None:
            missing.append("the groups file (GROUPS.toml)")
        if _changed(method, skip=("method", "groups", "max_per_group", "seats", "seated")):
            missing.append("the group cap's tie_break")
    else:
        more, missing = _method_args(method, seats)
        argv += more
    return {"argv": argv, "text": shlex.join(argv), "not_expressible": missing}
