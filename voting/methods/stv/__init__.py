"""Single transferable vote: exact counts by the published rule sets.

:class:`STV` counts a profile by the Reference Meek Rule, New Zealand's Meek method,
Meek with equal preferences, the Scottish 2007 weighted inclusive Gregory rules,
the ERS97 rules, or plain fractional Gregory; the result carries an
:class:`STVExplanation` with every round (:class:`STVRound`).
"""

from __future__ import annotations

from voting.methods.stv._explain import CountInvariantError, STVExplanation, STVRound
from voting.methods.stv._method import RULES, STV, Rule
from voting.methods.stv._quota import QUOTAS, QuotaName

__all__ = [
    "QUOTAS",
    "RULES",
    "STV",
    "CountInvariantError",
    "QuotaName",
    "Rule",
    "STVExplanation",
    "STVRound",
]
