"""``python -m voting``: the command line (see :mod:`voting.cli`)."""

from __future__ import annotations

import sys

from voting.cli import main

if __name__ == "__main__":
    sys.exit(main())
