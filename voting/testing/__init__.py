"""Property-test any voting method: the kit the library runs on its own methods.

This package needs the ``testing`` extra (``pip install voting[testing]``): it imports
hypothesis, which ``import voting`` never does.

Entry points, after scikit-learn's estimator checks:

- :func:`method_checks` yields the checks that apply to a method, chosen from its
  :class:`~voting.methods.MethodTags`;
- :func:`check_method` runs them and returns a :class:`CheckReport`;
- :func:`parametrize_with_checks` turns them into pytest parameters with readable ids
  (``schulze-check_condorcet_winner``);
- :func:`find_violation` searches for a minimal profile on which a method breaks a
  property (:func:`find_failure` gives the whole report).

Each ``check_<property>(method, *, settings=None, budget=None)`` runs its own
hypothesis search and raises :class:`CheckFailure`, an ``AssertionError`` whose message
holds the shrunk counterexample as code to paste and what the method returned on it;
when it finds nothing it returns :class:`Searched`, how much it searched. Its docstring
is the property's exact definition. How long a check searches is a :class:`Budget`
(:data:`DEFAULT_BUDGET`: about 4 CPU s per check, at least 50 examples), not a fixed count
of examples. Strategies for profiles live in :mod:`voting.testing.strategies`.

See ``docs/testing-your-method.md`` for a walk-through.
"""

from __future__ import annotations

from voting.testing._api_checks import (
    check_deterministic,
    check_no_profile_mutation,
    check_returns_valid_result,
)
from voting.testing._core import DEFAULT_SETTINGS, FIND_SETTINGS, CheckFailure, Run
from voting.testing._property_checks import (
    check_anonymity,
    check_condorcet_loser,
    check_condorcet_winner,
    check_droop_proportionality,
    check_majority,
    check_neutrality,
    check_pareto,
    check_schwartz,
    check_smith,
    check_weights_equal_repetition,
)
from voting.testing._runner import (
    ALL_CHECKS,
    TAG_OF_CHECK,
    Check,
    CheckOutcome,
    CheckReport,
    check_method,
    find_failure,
    find_violation,
    method_checks,
    parametrize_with_checks,
)
from voting.testing._search import DEFAULT_BUDGET, FIND_BUDGET, Budget, Searched
from voting.testing._transform_checks import (
    check_independence_of_clones,
    check_monotonicity,
    check_participation,
    check_reversal_symmetry,
)

__all__ = [
    "ALL_CHECKS",
    "DEFAULT_BUDGET",
    "DEFAULT_SETTINGS",
    "FIND_BUDGET",
    "FIND_SETTINGS",
    "TAG_OF_CHECK",
    "Budget",
    "Check",
    "CheckFailure",
    "CheckOutcome",
    "CheckReport",
    "Run",
    "Searched",
    "check_anonymity",
    "check_condorcet_loser",
    "check_condorcet_winner",
    "check_deterministic",
    "check_droop_proportionality",
    "check_independence_of_clones",
    "check_majority",
    "check_method",
    "check_monotonicity",
    "check_neutrality",
    "check_no_profile_mutation",
    "check_pareto",
    "check_participation",
    "check_returns_valid_result",
    "check_reversal_symmetry",
    "check_schwartz",
    "check_smith",
    "check_weights_equal_repetition",
    "find_failure",
    "find_violation",
    "method_checks",
    "parametrize_with_checks",
]
