"""A streaming reader of the first worksheet of an ``.xlsx`` workbook (standard library only).

ES&S exports its cast vote records as Excel workbooks. RCTab reads them with Apache POI's
event API, which reports exactly the ``<row>`` elements and the valued ``<c>`` cells the
sheet holds: a row present with no cells is a ballot with no rankings, a row absent is
no ballot at all, a cell without a value is no mark. General-purpose readers (openpyxl,
python-calamine) fill the gaps between rows and cells, so they cannot tell these apart,
and RCTab's own test data depends on the difference (a sheet whose last rows are empty
``<row>`` elements numbered up to 1,048,576 counts three blank ballots, not a million).
This module therefore reads the sheet XML itself: the zip member is decompressed and
scanned in blocks with regular expressions for ``row`` and ``c`` elements (with or without
a namespace prefix), so memory stays bounded by one block.

Cell text follows POI's defaults: shared and inline strings as written (rich-text runs
joined), numbers in Excel's "General" form (``15`` for ``15.0``), booleans ``TRUE`` /
``FALSE``, formula cells their formula text (POI's ``formulasNotResults``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import PurePosixPath
from xml.etree import ElementTree

from voting.exceptions import BallotFormatError

__all__ = ["column_index", "iter_rows"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ROW_NUM = re.compile(r'\br="(\d+)"')
_CELL_REF = re.compile(r'\br="([A-Za-z]+)(\d+)"')
_TYPE = re.compile(r'\bt="(\w+)"')
_VALUE = re.compile(r"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>|<(?:\w+:)?v\s*/>", re.S)
_FORMULA = re.compile(r"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>|<(?:\w+:)?t\b[^>]*/>", re.S)
_BLOCK = 1 << 22
# The usual cell, unprefixed: <c r="B7" s="3" t="s"><v>12</v></c> or <c r="B7" s="3"/>.
_CELL_FAST = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="(\w+)")?(?: s="\d+")?(?:/>|><v>([^<]*)</v></c>)'
)


def column_index(letters: str) -> int:
    """0-based index of an Excel column (``"A"`` is 0, ``"AB"`` is 27)."""
    result = 0
    for ch in letters.upper():
        result = result * 26 + (ord(ch) - 64)
    return result - 1


def _general(number: str) -> str:
    """A numeric cell in Excel's General format, as POI's DataFormatter writes it."""
    if number.isdigit() and len(number) < 12:
        return number.lstrip("0") or "0"
    try:
        x = float(number)
    except ValueError:
        return number
    if x.is_integer() and abs(x) < 1e11:
        return str(int(x))
    return repr(x)


def _first_sheet(z: zipfile.ZipFile, source: str) -> str:
    try:
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise BallotFormatError(
            f"not an Excel workbook ({exc.args[0]} missing); ES&S cast vote records must be "
            "saved as .xlsx (Excel Workbook)",
            source=source,
        ) from None
    sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise BallotFormatError("the workbook has no worksheet", source=source)
    rid = sheet.get(f"{_REL}id")
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    raise BallotFormatError(f"worksheet relationship {rid!r} not found", source=source)


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    out: list[str] = []
    with z.open("xl/sharedStrings.xml") as f:
        for _, el in ElementTree.iterparse(f):
            if el.tag == f"{_MAIN}si":
                out.append("".join(t.text or "" for t in el.iter(f"{_MAIN}t")))
                el.clear()
    return out


def _cell_text(attrs: str, body: str | None, strings: list[str]) -> str | None:
    """The text POI reports for a cell, or None when it reports nothing."""
    if not body:
        return None
    kind_match = _TYPE.search(attrs)
    kind = kind_match.group(1) if kind_match else "n"
    if kind == "inlineStr":
        return unescape("".join(m.group(1) or "" for m in _TEXT.finditer(body)))
    formula = _FORMULA.search(body)
    if formula is not None:
        return unescape(formula.group(1))
    value = _VALUE.search(body)
    if value is None:
        return None
    raw = unescape(value.group(1) or "")
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind == "b":
        return "TRUE" if raw == "1" else "FALSE"
    if kind == "e":
        return f"ERROR:{raw}"
    if kind in ("str",):
        return raw
    return _general(raw) if raw else raw


_COLUMNS: dict[str, int] = {}


def _col(letters: str) -> int:
    c = _COLUMNS.get(letters)
    if c is None:
        c = _COLUMNS[letters] = column_index(letters)
    return c


def _fast_text(kind: str, value: str, strings: list[str]) -> str:
    if kind == "s":
        return strings[int(value)]
    if kind in ("", "n"):
        return _general(value)
    return _cell_text(f' t="{kind}"', f"<v>{value}</v>", strings) or ""


def _slow_cells(body: str | None, strings: list[str]) -> list[tuple[int, str]]:
    cells: list[tuple[int, str]] = []
    if body:
        next_col = 0
        for c in _CELL.finditer(body):
            ref = _CELL_REF.search(c.group(1))
            col = column_index(ref.group(1)) if ref else next_col
            next_col = col + 1
            value = _cell_text(c.group(1), c.group(2), strings)
            if value is not None:
                cells.append((col, value))
    return cells


def _cells(body: str, strings: list[str]) -> list[tuple[int, str]]:
    """The valued cells of a row body: the usual cell form by one regex, else the general one."""
    if not body:
        return []
    found = _CELL_FAST.findall(body)
    if len(found) != body.count("<c ") + body.count("<c>"):
        return _slow_cells(body, strings)
    cols = _COLUMNS
    out = []
    for letters, kind, value in found:
        if value:
            col = cols.get(letters)
            if col is None:
                col = _col(letters)
            if kind == "s":
                out.append((col, strings[int(value)]))
            elif not kind or kind == "n":
                out.append((col, _general(value)))
            else:
                out.append((col, _fast_text(kind, value, strings)))
    return out


def _general_rows(
    text: str, strings: list[str], next_row: int
) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    for m in _ROW.finditer(text):
        num = _ROW_NUM.search(m.group(1))
        row = int(num.group(1)) - 1 if num else next_row
        next_row = row + 1
        yield row, _cells(m.group(2) or "", strings)


def iter_rows(path: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Yield ``(row, cells)`` for every ``<row>`` of the first sheet: the 0-based row index
    and the ``(column, text)`` of its valued cells, in sheet order.

    Raises
    ------
    BallotFormatError
        Not a zip/xlsx file, or no worksheet.
    """
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BallotFormatError(
            "not an Excel workbook (not a zip archive); ES&S cast vote records must be "
            "saved as .xlsx (Excel Workbook)",
            source=path,
        ) from None
    with z:
        sheet = _first_sheet(z, path)
        strings = _shared_strings(z)
        next_row = 0
        fast = True
        with z.open(sheet) as raw:
            carry = ""
            tail = b""
            while True:
                block = raw.read(_BLOCK)
                data = tail + block
                # keep an incomplete UTF-8 sequence for the next block
                cut = len(data)
                if block:
                    while cut > 0 and (data[cut - 1] & 0xC0) == 0x80:
                        cut -= 1
                    if cut > 0 and data[cut - 1] >= 0xC0:
                        cut -= 1
                text = carry + data[:cut].decode("utf-8")
                tail = data[cut:]
                if "<sheetData" not in text and "sheetData" in text:
                    fast = False  # a namespace prefix: only the general patterns apply
                if fast and block:
                    pieces = text.split("</row>")
                    for piece in pieces[:-1]:
                        i = piece.find("<row")
                        if i < 0 or piece.count("<row") != 1:
                            for item in _general_rows(piece + "</row>", strings, next_row):
                                next_row = item[0] + 1
                                yield item
                            continue
                        head_end = piece.find(">", i)
                        attrs = piece[i + 4 : head_end]
                        num = _ROW_NUM.search(attrs)
                        row = int(num.group(1)) - 1 if num else next_row
                        next_row = row + 1
                        body = piece[head_end + 1 :]
                        yield row, _cells(body, strings)
                    carry = pieces[-1]
                    continue
                end = 0
                for m in _ROW.finditer(text):
                    end = m.end()
                    num = _ROW_NUM.search(m.group(1))
                    row = int(num.group(1)) - 1 if num else next_row
                    next_row = row + 1
                    yield (
                        row,
                        _cells(m.group(2) or "", strings)
                        if fast
                        else _slow_cells(m.group(2), strings),
                    )
                carry = text[end:]
                if not block:
                    break
