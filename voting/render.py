"""One way to render results, explanations and reports: text, JSON-ready data, charts.

Every method's explanation, every analysis report and :class:`~voting.results.Result`
itself is :class:`Renderable`:

- ``to_text()``: a readable account for a person (tables, one line per step), never
  a Python ``repr``;
- ``to_dict()``: the same content as JSON-ready data, ready for :func:`json.dumps`
  as it is (see :func:`json_ready` for the conventions: exact numbers stay exact).

The reports that have a chart are also :class:`Plottable` (``plot(...)``; matplotlib
is the optional ``plot`` extra, imported only when a chart is drawn). The command
line uses this interface and nothing else: ``voting count --explain`` prints
``result.explanation.to_text()``, ``--json --explain`` carries
``result.explanation.to_dict()``.

Implementing it. A method's explanation is a frozen dataclass subclassing
:class:`Explanation`: it writes ``to_text()``; ``to_dict()`` comes from its public
fields (override it, through :meth:`Record.fields_dict`, only to reshape a field),
and ``str()`` is ``to_text()``. An analysis report subclasses :class:`Record`.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "Explanation",
    "Plottable",
    "Record",
    "Renderable",
    "by_candidate",
    "exact_text",
    "json_ready",
    "markdown_table",
    "number_text",
    "sheet",
    "text_table",
]


# ------------------------------------------------------------------ protocols
@runtime_checkable
class Renderable(Protocol):
    """Something that renders itself as text and as JSON-ready data."""

    def to_text(self) -> str:
        """A readable account, for a person."""
        ...

    def to_dict(self) -> dict[str, Any]:
        """The same content as JSON-ready data (see :func:`json_ready`)."""
        ...


@runtime_checkable
class Plottable(Renderable, Protocol):
    """A :class:`Renderable` report that also draws a chart (the ``plot`` extra)."""

    def plot(
        self,
        *,
        ax: Axes | None = None,
        path: str | os.PathLike[str] | None = None,
        title: str | None = None,
        dpi: int = 150,
    ) -> Figure:
        """Draw the chart into ``ax`` (or a new figure), save it to ``path`` if given."""
        ...


# ------------------------------------------------------------------ JSON-ready data
def exact_text(x: Fraction | int) -> str:
    """An exact number as text that :class:`fractions.Fraction` reads back exactly.

    Integers as integers (``"12"``); a fraction with a finite decimal expansion as a
    decimal (``"2.5"``, ``"0.123456789"``); any other as ``"numerator/denominator"``
    (``"10/3"``).

    >>> [exact_text(Fraction(n, d)) for n, d in [(12, 1), (5, 2), (-1, 8), (10, 3)]]
    ['12', '2.5', '-0.125', '10/3']
    """
    x = Fraction(x)
    d = x.denominator
    if d == 1:
        return str(x.numerator)
    rest, places = d, 0
    for p in (2, 5):
        k = 0
        while rest % p == 0:
            rest //= p
            k += 1
        places = max(places, k)
    if rest != 1:
        return f"{x.numerator}/{d}"
    n = abs(x.numerator) * (10**places // d)
    whole, frac = divmod(n, 10**places)
    sign = "-" if x < 0 else ""
    return f"{sign}{whole}.{frac:0{places}d}"


def number_text(x: Fraction | int, places: int = 3) -> str:
    """An exact number for a table: exact when it has at most ``places`` decimals,
    otherwise rounded to ``places`` and marked ``~`` (as the STV result sheets do).

    >>> [number_text(Fraction(n, d)) for n, d in [(12, 1), (5, 2), (847, 60)]]
    ['12', '2.5', '~14.117']
    """
    x = Fraction(x)
    scaled = x * 10**places
    if scaled.denominator == 1:
        return exact_text(x)
    n = round(scaled)
    whole, frac = divmod(abs(n), 10**places)
    sign = "-" if n < 0 else ""
    return f"~{sign}{whole}.{frac:0{places}d}"


def json_ready(value: object) -> Any:
    """``value`` as data :func:`json.dumps` takes as it is, numbers kept exact.

    The one conversion every ``to_dict()`` uses:

    - ``None``, ``bool``, ``int``, ``str``: unchanged (NumPy integers and booleans
      become ``int`` and ``bool``); counts are whole numbers, never floats;
    - ``float`` (and NumPy floats): unchanged, except NaN and infinities, which JSON
      cannot hold: ``None`` ("undefined");
    - :class:`~fractions.Fraction`: a string, exact (:func:`exact_text`: ``"12"``,
      ``"2.5"``, ``"10/3"``), since a float would round it; :class:`~decimal.Decimal`:
      its string;
    - a list, tuple or NumPy array: a list (arrays as nested lists);
    - a mapping with string keys: a dict;
    - an object with a ``to_dict()`` method (a :class:`Renderable`): its ``to_dict()``;
    - a dataclass instance: a dict of its public fields (names not starting with ``_``);
      a named tuple: a dict of its fields.

    Anything else raises ``TypeError`` (naming the type): no ``repr`` ever stands in
    for data.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return json_ready(float(value))
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple
        return json_ready(value._asdict())
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, Mapping):
        return _mapping(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: json_ready(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    raise TypeError(f"cannot render a {type(value).__name__} as JSON data")


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in value.items():
        if not isinstance(k, str):
            raise TypeError(f"cannot render a mapping with a {type(k).__name__} key as JSON data")
        out[k] = json_ready(v)
    return out


def by_candidate(names: Sequence[str], values: Iterable[object]) -> dict[str, Any]:
    """``{name: value}`` in the order of ``names``, the values JSON-ready.

    >>> by_candidate(["A", "B"], [Fraction(9, 2), 4])
    {'A': '4.5', 'B': 4}
    """
    return {n: json_ready(v) for n, v in zip(names, values, strict=True)}


# ------------------------------------------------------------------ base classes
class Record:
    """Base class of the frozen records that render themselves (explanations, reports).

    A subclass is a dataclass that writes :meth:`to_text`; :meth:`to_dict` gives its
    public fields as JSON-ready data (with a ``"type"`` key naming the class, so
    that a reader knows the shape), and ``str()`` is :meth:`to_text`.
    """

    __slots__ = ()

    def to_text(self) -> str:
        """A readable account (every subclass writes its own)."""
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def to_dict(self) -> dict[str, Any]:
        """``{"type": class name, field: value, ...}``, JSON-ready."""
        return self.fields_dict()

    def fields_dict(self, **reshaped: Any) -> dict[str, Any]:
        """The dict of :meth:`to_dict`, with the fields named in ``reshaped`` replaced
        (already JSON-ready; ``None`` keeps the key) and new keys added after them."""
        out: dict[str, Any] = {"type": type(self).__name__}
        for f in dataclasses.fields(cast(Any, self)):  # every subclass is a dataclass
            if f.name.startswith("_"):
                continue
            out[f.name] = (
                reshaped.pop(f.name) if f.name in reshaped else json_ready(getattr(self, f.name))
            )
        out.update(reshaped)
        return out

    def __str__(self) -> str:
        return self.to_text()


class Explanation(Record):
    """Base class of the methods' explanations (``Result.explanation``).

    Besides the rendering of :class:`Record`, :meth:`notices` gives what the method
    dropped or passed over: what a reader should see even without the explanation
    (the command line prints it with every count).
    """

    __slots__ = ()

    def notices(self) -> tuple[str, ...]:
        """What the method dropped or skipped, one line each (most methods: none)."""
        return ()


# ------------------------------------------------------------------ text
def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    """A plain-text table; ``align`` has one ``<`` or ``>`` per column."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True))

    lines = [fmt(header), "  ".join("-" * w for w in widths)]
    lines.extend(fmt(r) for r in rows)
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    """A Markdown pipe table; ``align`` has one ``<`` or ``>`` per column."""
    sep = ["---:" if a == ">" else ":---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines.extend("| " + " | ".join(r) + " |" for r in rows)
    return "\n".join(lines)


def sheet(
    names: Sequence[str],
    labels: Sequence[str],
    columns: Sequence[Sequence[str]],
    *,
    per_block: int = 6,
) -> list[str]:
    """A count sheet: one row per name, one column per round, long counts in blocks.

    ``columns[k][i]`` is the cell of ``names[i]`` under ``labels[k]``. Each block of
    ``per_block`` columns is a blank line, a header, a rule and one line per name::

                | R1 | R2
        -----------------
        A       |  4 |  4
    """
    width = max((len(n) for n in names), default=0)
    step = max(1, per_block)
    lines: list[str] = []
    for start in range(0, len(columns), step):
        block = columns[start : start + step]
        heads = labels[start : start + step]
        widths = [max(len(h), *(len(c) for c in col)) for h, col in zip(heads, block, strict=True)]
        head = (
            " " * width + " | " + " | ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True))
        )
        lines += ["", head, "-" * len(head)]
        for i, name in enumerate(names):
            row = " | ".join(col[i].rjust(w) for col, w in zip(block, widths, strict=True))
            lines.append(name.ljust(width) + " | " + row)
    return lines
