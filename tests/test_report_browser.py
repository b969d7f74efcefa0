"""The results pages in a real browser: Chromium from Debian's packages, driven by Playwright.

Each bundled example's page, a US RCV (RCTab) page and an STV page are opened from a
file in headless Chromium, with every request intercepted: any request for a URL that
is not the page's own file fails the test (the page must open from a USB stick). The
test reads the winners and table cells the browser shows and checks them against the
library, checks that nothing was logged to the console, that the keyboard reaches the
content, that a phone-sized screen gets no sideways page scroll and that pairwise cells
keep their text contrast, and saves screenshots (desktop and phone) into
``$VOTING_SCREENSHOTS`` (default: a temporary folder, printed).

Chromium is ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` installs
it); Playwright's own browser downloads are never used. Without it the tests skip, with
the reason, only outside CI (``CI`` unset); in CI they fail.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from voting import read_ballots
from voting.cli import main
from voting.examples import EXAMPLES, example_path
from voting.methods import get_method
from voting.methods.stv._arith import format_value

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DATA = Path(__file__).resolve().parent / "data"
PORTLAND = DATA / "rctab" / "2015_portland_mayor" / "2015_portland_mayor_config.json"
CALTON = DATA / "elections" / "scotland" / "glasgow-2007" / "Calton-2007.blt"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/run installs Chromium)")
    pytest.skip(f"{reason} (outside CI; `apt-get install chromium` to run these tests)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A fresh headless Chromium (own empty profile), closed after the module."""
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Playwright client is not installed (pip install -e '.[browser]')")
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            accept_downloads=False,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: ``$VOTING_SCREENSHOTS``, or a temporary folder."""
    given = os.environ.get("VOTING_SCREENSHOTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {folder}")
    return folder


class Opened:
    """A page opened in the browser, with what it asked the network for and logged."""

    def __init__(self, context: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.goto(self.url, wait_until="load")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url == self.url:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"console {message.type}: {message.text}")

    def texts(self, selector: str) -> list[str]:
        return [t.strip() for t in self.page.locator(selector).all_inner_texts()]

    def check_clean(self) -> None:
        assert self.blocked == [], f"the page asked the network for {self.blocked}"
        assert self.errors == []

    def data(self) -> dict[str, Any]:
        text = self.page.locator("#voting-data").text_content()
        return dict(json.loads(text))


def _report(tmp: Path, name: str, *argv: str) -> Path:
    out = tmp / f"{name}.html"
    assert main(["report", *argv, "-o", str(out)], out=io.StringIO()) == 0
    return out


def _screenshots(opened: Opened, shots: Path, name: str) -> None:
    page = opened.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(shots / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"
    page.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


_CONTRAST = """(sel) => {
  const lum = (c) => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(x => {
      x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const bg = (el) => { for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (!c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; }
    return 'rgb(255, 255, 255)'; };
  return [...document.querySelectorAll(sel)].map(el => {
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); });
}"""


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_page_in_chromium(name: str, browser: Any, shots: Path, tmp_path: Path) -> None:
    path = _report(tmp_path, name, "--example", name)
    opened = Opened(browser, path)
    ex = EXAMPLES[name]
    profile = read_ballots(example_path(name), format=ex.format)
    result = get_method(ex.method, **({"seats": ex.seats} if ex.seats != 1 else {})).run(profile)
    assert opened.texts("#elected li") == list(result.elected)
    assert opened.page.title() == f"Results: {ex.title}"
    support = profile.pairwise.support
    names = profile.candidates
    for i, j in [(0, 1), (1, 0), (len(names) - 1, 0), (0, len(names) - 1)]:
        a, b = names[i], names[j]
        cell = opened.page.locator(f'#pairwise-table td[data-row="{a}"][data-col="{b}"]')
        x, y = int(support[i, j]), int(support[j, i])
        assert cell.inner_text().split()[0] == str(x)
        words = f"{a} defeats {b} {x}-{y}" if x > y else f"{b} defeats {a} {y}-{x}"
        assert cell.get_attribute("title") == (words if x != y else f"{a} ties {b} {x}-{y}")
    ratios = opened.page.evaluate(_CONTRAST, "#pairwise-table td, #ranking-table td, p")
    assert ratios and min(ratios) >= 4.5, min(ratios)
    for box in opened.page.locator("svg.chart").all():
        size = box.bounding_box()
        assert size is not None and size["width"] > 100 and size["height"] > 50
    assert opened.data()["result"]["elected"] == list(result.elected)
    _check_keyboard(opened)
    _screenshots(opened, shots, name)
    opened.check_clean()
    opened.page.close()


def _check_keyboard(opened: Opened) -> None:
    """Tab reaches the skip link first, which moves to the results; a scroll region
    (a wide table) takes the focus, so that it scrolls with the arrow keys."""
    page = opened.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('scroll')"):
            return
    raise AssertionError("no scrolling region is reachable with the Tab key")


def test_rctab_page_in_chromium(browser: Any, shots: Path, tmp_path: Path) -> None:
    path = _report(tmp_path, "portland-2015", str(PORTLAND))
    opened = Opened(browser, path)
    expected = json.loads(
        (PORTLAND.parent / "2015_portland_mayor_expected_detailed_report.json").read_text("utf-8")
    )
    assert opened.texts("#elected li") == ["Mavodones, Nicholas M. Jr."]
    rows = opened.page.locator("#rounds-table tbody tr")
    shown: dict[str, list[str]] = {}
    for k in range(rows.count()):
        row = rows.nth(k)
        shown[row.locator("th").inner_text().strip()] = [
            t.split()[0] if t.split() else "" for t in row.locator("td").all_inner_texts()
        ]
    for r in expected["results"]:
        for candidate, votes in r["tally"].items():
            assert shown[candidate][r["round"] - 1] == votes
        assert shown["Threshold"][r["round"] - 1] == r["threshold"]
    assert opened.page.locator("#rounds svg.chart path.flow").count() >= 1
    _check_keyboard(opened)
    _screenshots(opened, shots, "portland-2015-rctab")
    opened.check_clean()
    opened.page.close()


def test_stv_page_in_chromium(browser: Any, shots: Path, tmp_path: Path) -> None:
    path = _report(tmp_path, "calton-2007", str(CALTON), "--method", "stv", "--rule", "scottish")
    opened = Opened(browser, path)
    profile = read_ballots(CALTON)
    result = get_method("stv", seats=3, rule="scottish").run(profile)
    assert opened.texts("#elected li") == list(result.elected)
    e = result.explanation
    rows = opened.page.locator("#rounds-table tbody tr")
    for k, name in enumerate(result.elected):  # the sheet's rows start with the elected
        row = rows.nth(k)
        assert row.locator("th").inner_text().strip() == name
        shown = [t.split()[0] for t in row.locator("td").all_inner_texts()]
        i = e.candidates.index(name)
        assert shown == [format_value(r.tallies[i], e.decimals) for r in e.rounds]
    flows = opened.page.locator("#rounds svg.chart path.flow")
    assert flows.count() >= 1
    assert "votes" in flows.first.locator("title").text_content()
    _screenshots(opened, shots, "calton-2007-stv")
    opened.check_clean()
    opened.page.close()
