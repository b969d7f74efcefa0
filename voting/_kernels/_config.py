"""The single source of JIT options for every kernel.

``FASTMATH`` is off: counting is integer arithmetic, where fast-math buys nothing and
re-association could change fractional STV transfers.

``CACHE`` writes compiled kernels to ``__pycache__`` so later processes skip
compilation; set ``VOTING_NUMBA_CACHE=0`` to turn it off (for example on a read-only
install).

``PARALLEL_MIN_CELLS`` is the number of ballot-candidate cells below which the serial
kernel is used: under it, starting the thread pool costs more than it saves.
"""

from __future__ import annotations

import os

FASTMATH: bool = False
CACHE: bool = os.environ.get("VOTING_NUMBA_CACHE", "1") not in ("0", "false", "False", "")
PARALLEL_MIN_CELLS: int = int(os.environ.get("VOTING_PARALLEL_MIN_CELLS", "2000000"))
