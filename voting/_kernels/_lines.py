"""Line statuses of the ballot-text parser (:mod:`voting._kernels.parse`), without numba.

The readers compare against these whichever engine parsed the block
(:mod:`voting._dispatch`), so they live apart from the kernel.
"""

from __future__ import annotations

LINE_OK = 0
"""Status of a line parsed into a ballot row."""
LINE_FLAGGED = 1
"""Status of a line the kernel does not accept; Python re-examines it."""
LINE_BLANK = 2
"""Status of an empty or whitespace-only line: not a ballot."""
