"""MkDocs hook: the results page of every bundled example, rendered at build time.

``mkdocs build`` adds ``examples/<name>.html`` to the site for each election of
:data:`voting.examples.EXAMPLES`, made by ``voting report --example <name>`` itself, so
the pages in the documentation are always those of the library that builds it (nothing
generated is committed, nothing can go stale). ``report.md`` links them.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files


def example_pages() -> dict[str, str]:
    """``{"examples/<name>.html": page}`` for every bundled example."""
    from voting.cli import main
    from voting.examples import EXAMPLES

    pages = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in EXAMPLES:
            out = Path(tmp) / f"{name}.html"
            status = main(["report", "--example", name, "-o", str(out)], out=io.StringIO())
            if status != 0:
                raise RuntimeError(f"voting report --example {name} failed ({status})")
            pages[f"examples/{name}.html"] = out.read_text("utf-8")
    return pages


def on_files(files: Files, config: Any) -> Files:
    for uri, page in example_pages().items():
        files.append(File.generated(config, uri, content=page))
    return files
