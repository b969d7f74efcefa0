"""The package's shape (issue 19): no import cycle, no private name imported across
packages, numba code only in ``voting/_kernels``, short functions.

These read the source with :mod:`ast` (nothing is imported), so they run in well under
a second.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "voting"


def _modules() -> dict[str, tuple[Path, bool]]:
    """``voting.x.y`` -> (file, whether it is a package's ``__init__``)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return out


MODULES = _modules()
SUB_PACKAGES = {name for name, (_, is_pkg) in MODULES.items() if is_pkg and name.count(".") == 1}


def _imports(module: str) -> Iterator[tuple[int, str]]:
    """``(line, dotted name)`` of every import in ``module``, at any depth (function-level
    and ``TYPE_CHECKING`` imports included): ``from a.b import c`` gives ``a.b.c``."""
    path, is_pkg = MODULES[module]
    here = module.split(".") if is_pkg else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = here[: len(here) - node.level + 1]
                base = ".".join([*prefix, *([base] if base else [])])
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _module_of(name: str) -> str | None:
    """The longest ``voting`` module that ``name`` names or lies in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        explicit = {m for _, n in _imports(module) if (m := _module_of(n)) is not None}
        targets: set[str] = set()
        for m in explicit:  # importing a.b.c imports the packages a and a.b as well
            parts = m.split(".")
            targets.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        # a module's own packages are imported before it: only an explicit import of one
        # (``from voting.formats import read_ballots`` inside voting.formats.x) is an edge
        ancestors = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
        graph[module] = targets - {module} - (ancestors - explicit)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    # every import counts, even one inside a function or under TYPE_CHECKING: a cycle
    # there is a cycle of design, whatever the import system tolerates
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def _private_crossing(importer: str, name: str) -> str | None:
    """The owner of the private component of ``name`` when ``importer`` may not import
    it: a name ``voting.a.b._c`` is private to ``voting.a.b``, and only modules inside
    that owner, or inside the same sub-package (``voting.methods``, ``voting.formats``,
    ...), may import it. The package's own private modules (``voting._dispatch``) are
    internal to the whole package."""
    parts = name.split(".")
    for k, part in enumerate(parts):
        if not part.startswith("_") or part.startswith("__"):
            continue
        owner = ".".join(parts[:k])
        if importer == owner or importer.startswith(owner + "."):
            continue
        owner_parts = parts[:k]
        sub_package = (
            len(owner_parts) >= 2 and MODULES.get(".".join(owner_parts[:2]), ("", False))[1]
        )
        if sub_package and importer.split(".")[:2] == owner_parts[:2]:
            continue
        return owner
    return None


def test_no_private_name_is_imported_across_packages() -> None:
    found = [
        f"{MODULES[module][0].relative_to(PACKAGE.parent)}:{line}: {name} (private to {owner})"
        for module in MODULES
        for line, name in _imports(module)
        if name.startswith("voting.") and (owner := _private_crossing(module, name))
    ]
    assert found == []


def test_the_private_rule() -> None:
    assert _private_crossing("voting.streaming", "voting.profile._check_candidates")
    assert _private_crossing("voting.cli", "voting.formats._atomic.replacing_path")
    assert _private_crossing("voting.methods.schulze", "voting._dispatch.kernels") is None
    assert _private_crossing("voting.methods.x", "voting.methods.schulze._narrow") is None
    assert _private_crossing("voting.profile", "voting.profile._readonly") is None


# Functions of voting/_kernels that numba does not compile but that are numba code all
# the same: LLVM IR builders called inside @intrinsic code generation, and the pure-
# Python stand-ins of the intrinsics that run under NUMBA_DISABLE_JIT=1.
_KERNEL_HELPERS = {
    "pairwise.py": {
        "_adder_network",
        "_csa_py",
        "_gt_mask_py",
        "_csa16_py",
        "_group_masks_py",
        "_byte_counts_py",
        "_elem_ptr",
        "_splat",
        "_masked_load",
        "_load_rows",
        "_lo8",
        "_hi8",
    },
}
_NUMBA_DECORATORS = {"njit", "jit", "intrinsic", "overload", "vectorize", "guvectorize"}


def _decorator_names(node: ast.FunctionDef) -> set[str]:
    names = set()
    for d in node.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


def test_kernels_hold_only_numba_code() -> None:
    # typed, validating wrappers live beside their callers (voting/_distinct.py,
    # voting/methods/_civs_kernels.py, ...); _config.py is the kernels' JIT options
    found = []
    for path in sorted((PACKAGE / "_kernels").glob("*.py")):
        if path.name in ("__init__.py", "_config.py"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found.append(f"{path.name}: class {node.name}")
            elif isinstance(node, ast.FunctionDef):
                compiled = _decorator_names(node) & _NUMBA_DECORATORS
                if not compiled and node.name not in _KERNEL_HELPERS.get(path.name, ()):
                    found.append(f"{path.name}: {node.name} is not compiled by numba")
    assert found == []


MAX_FUNCTION_LINES = 80
"""The longest a function outside voting/_kernels may be, its docstring not counted."""


def _function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from ``def`` to the end (nested functions included), docstring excluded."""
    total = (node.end_lineno or node.lineno) - node.lineno + 1
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        total -= (first.end_lineno or first.lineno) - first.lineno + 1
    return total


def test_no_long_function_outside_the_kernels() -> None:
    long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if rel.startswith("voting/_kernels/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = _function_lines(node)
                if n > MAX_FUNCTION_LINES:
                    long[f"{rel}::{node.name}"] = n
    assert long == {}
