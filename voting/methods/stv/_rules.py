"""Which count counts each STV rule set: one :class:`~voting.methods.stv._count.Count`
subclass per family of rules."""

from __future__ import annotations

from voting.methods.stv._count import Count
from voting.methods.stv.ers97 import ERS97Count
from voting.methods.stv.gregory import GregoryCount
from voting.methods.stv.meek import MeekCount
from voting.methods.stv.meek_nz import MeekNZCount

__all__ = ["COUNTS"]

COUNTS: dict[str, type[Count]] = {
    rule: count
    for count in (MeekCount, MeekNZCount, GregoryCount, ERS97Count)
    for rule in count.RULES
}
"""The count class of each rule set (``STV.rule``)."""
