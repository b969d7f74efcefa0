"""The input files of a count, named and hashed so that anyone can recount them.

A file is identified by its name, size and SHA-256. A folder of files (a Dominion or Hart
export) is identified by one SHA-256 over its files, computed as ``sha256sum`` prints them:
the lines ``<sha256>  <relative path>`` of every file under it, sorted by path (bytewise),
each ending in a newline, hashed again. In a shell::

    (cd FOLDER && find . -type f -printf '%P\\0' | LC_ALL=C sort -z |
        xargs -0 sha256sum) | sha256sum
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

__all__ = ["describe_input", "file_sha256"]

_CHUNK = 1 << 20


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, as 64 lowercase hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _folder_sha256(folder: Path) -> tuple[str, int, int]:
    """``(digest, files, bytes)`` of every file under ``folder`` (see the module notes)."""
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file()),
        key=lambda p: p.relative_to(folder).as_posix().encode(),
    )
    lines = "".join(f"{file_sha256(p)}  {p.relative_to(folder).as_posix()}\n" for p in files)
    size = sum(p.stat().st_size for p in files)
    return hashlib.sha256(lines.encode()).hexdigest(), len(files), size


def describe_input(path: str | os.PathLike[str], *, role: str = "ballots") -> dict[str, Any]:
    """Name, kind, size and SHA-256 of one input (a file or a folder of files).

    Parameters
    ----------
    path : path-like
    role : str
        What the input is (``"ballots"``, ``"configuration"``, ``"cast vote records"``,
        ``"groups"``).

    Returns
    -------
    dict
        ``{"name", "path", "role", "kind": "file" | "folder", "bytes", "sha256"}``, and
        ``"files"`` (how many) for a folder.
    """
    p = Path(path)
    if p.is_dir():
        digest, count, size = _folder_sha256(p)
        return {
            "name": p.name,
            "path": str(path),
            "role": role,
            "kind": "folder",
            "files": count,
            "bytes": size,
            "sha256": digest,
        }
    return {
        "name": p.name,
        "path": str(path),
        "role": role,
        "kind": "file",
        "bytes": p.stat().st_size,
        "sha256": file_sha256(p),
    }
