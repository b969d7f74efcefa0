"""Reading a results page back with the standard library's html.parser (no browser).

Shared by tests/test_report.py and tests/test_report_browser.py: the page's structure
(ids, table cells with ``data-row``/``data-col``, the embedded JSON) and what every page
must hold (no external resource, an accessible name on every chart and table header).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "source", "wbr"}
SVG_VOID = {"circle", "rect", "line", "path", "stop", "use"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def walk(self) -> list[Element]:
        out = [self]
        for c in self.children:
            out += c.walk()
        return out

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.walk()
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.ids: dict[str, Element] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        e = Element(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(e)
        if "id" in e.attrs:
            assert e.attrs["id"] not in self.ids, f"duplicate id {e.attrs['id']!r}"
            self.ids[e.attrs["id"]] = e
        if tag not in VOID:
            self.stack.append(e)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for e in self.stack[1:]:
            e.text_parts.append(data)


@dataclass
class Page:
    root: Element
    ids: dict[str, Element]

    def data(self) -> dict[str, Any]:
        script = self.ids["voting-data"]
        assert script.tag == "script" and script.attrs["type"] == "application/json"
        return dict(json.loads(script.text))

    def cell(self, table: str, row: str, col: str) -> Element:
        found = [
            td
            for td in self.ids[table].find_all("td")
            if td.attrs.get("data-row") == row and td.attrs.get("data-col") == col
        ]
        assert len(found) == 1, (table, row, col)
        return found[0]


def parse(html: str) -> Page:
    """Parse a page, checking that every element is closed where it should be."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.stack == [tree.root], [e.tag for e in tree.stack]
    return Page(tree.root, tree.ids)


def check_self_contained(page: Page) -> None:
    """No resource from anywhere: no external script, style, font, image, frame or link."""
    for e in page.root.walk():
        if e.tag == "script":
            assert e.attrs.get("type") == "application/json", "a script that would run"
            assert "src" not in e.attrs
        assert e.tag not in ("link", "iframe", "img", "object", "embed", "image", "use")
        for name in ("src", "href", "xlink:href", "action", "srcset", "poster"):
            value = e.attrs.get(name)
            if value is not None and e.tag != "svg":
                assert value.startswith("#"), f"<{e.tag} {name}={value!r}>"
        style = e.attrs.get("style", "")
        assert "url(" not in style
        if e.tag == "style":
            assert "@import" not in e.text and "url(" not in e.text.replace("url(#", "")


def check_accessible(page: Page) -> None:
    """Language, title, headings, table headers with scope, every chart named and described."""
    html = page.root.find_all("html")[0]
    assert html.attrs.get("lang") == "en"
    assert page.root.find_all("title")[0].text.strip()
    assert len(page.root.find_all("h1")) == 1
    assert page.root.find_all("meta", name="viewport")
    for table in page.root.find_all("table"):
        for th in table.find_all("th"):
            assert th.attrs.get("scope") in ("col", "row"), th.text
        assert table.find_all("caption"), table.attrs.get("id")
        holder = table.parent
        assert holder is not None and holder.attrs.get("class") == "scroll"
        assert holder.attrs.get("tabindex") == "0" and holder.attrs.get("aria-label")
    for svg in page.root.find_all("svg"):
        assert svg.attrs.get("role") == "img"
        labels = svg.attrs["aria-labelledby"].split()
        kinds = {page.ids[i].tag for i in labels}
        assert kinds == {"title", "desc"}
        assert all(page.ids[i].text.strip() for i in labels)
        marks = [m for m in svg.walk() if m.attrs.get("class") in ("bubble", "flow", "mean")]
        marks += [m for m in svg.walk() if m.tag == "rect" and "bar" in m.attrs.get("class", "")]
        for mark in marks:
            if True:
                assert any(c.tag == "title" and c.text for c in mark.children), mark.attrs
    for section in page.root.find_all("section"):
        h2 = section.find_all("h2")[0]
        assert section.attrs["aria-labelledby"] == h2.attrs["id"]
