"""Voting methods behind one interface: :class:`Method`, :func:`all_methods`, :func:`get_method`.

Every method is a frozen keyword-only dataclass; ``run(profile)`` returns a frozen
:class:`~voting.results.Result`.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from voting.exceptions import InvalidParameterError
from voting.methods._base import Kind, Method, MethodTags

__all__ = ["METHODS", "Kind", "Method", "MethodTags", "all_methods", "get_method"]

METHODS: dict[str, str] = {
    "schulze": "voting.methods.schulze:Schulze",
    "minimax_pm": "voting.methods.minimax:MinimaxPM",
    "ranked_pairs": "voting.methods.ranked_pairs:RankedPairs",
    "mam": "voting.methods.ranked_pairs:MAM",
    "condorcet_irv": "voting.methods.condorcet_irv:CondorcetIRV",
    "bottom_two_runoff": "voting.methods.bottom_two:BottomTwoRunoff",
    "plurality": "voting.methods.positional:Plurality",
    "borda": "voting.methods.positional:Borda",
    "irv": "voting.methods.irv:IRV",
    "copeland": "voting.methods.copeland:Copeland",
    "minimax": "voting.methods.minimax:Minimax",
    "stv": "voting.methods.stv:STV",
    "civs_proportional": "voting.methods.civs_proportional:CIVSProportional",
    "kemeny": "voting.methods.kemeny:Kemeny",
    "cpo_stv": "voting.methods.cpo_stv:CPOSTV",
    "schulze_stv": "voting.methods.schulze_stv:SchulzeSTV",
    "debian": "voting.methods.debian:Debian",
}
"""Registered methods: name -> ``"module:Class"`` (imported on first use)."""


def method_class(name: str) -> type[Any]:
    """The class registered as ``name`` (imported on first use), or a clear error."""
    try:
        target = METHODS[name]
    except KeyError:
        raise InvalidParameterError(
            f"unknown method {name!r}; known methods are {sorted(METHODS)}."
        ) from None
    module, cls = target.split(":")
    klass: type[Any] = getattr(importlib.import_module(module), cls)
    return klass


def get_method(name: str, **params: Any) -> Method[Any]:
    """An instance of the method registered as ``name`` with ``params``.

    Parameters the method does not have are rejected; ``seats`` is dropped when it
    is 1 and the method has no such parameter (single-winner methods). The former name
    of a renamed parameter is accepted, with a ``DeprecationWarning``.
    """
    klass = method_class(name)
    fields = {f.name for f in dataclasses.fields(klass)}
    if params.get("seats", 1) == 1 and "seats" not in fields:
        params.pop("seats", None)
    unknown = sorted(set(params) - fields - set(getattr(klass, "renamed_parameters", {})))
    if unknown:
        raise InvalidParameterError(
            f"method {name!r} has no parameter(s) {unknown}; its parameters are {sorted(fields)}."
        )
    method: Method[Any] = klass(**params)
    return method


def all_methods() -> list[Method[Any]]:
    """One instance, with default parameters, of every registered method."""
    return [get_method(name) for name in METHODS]
