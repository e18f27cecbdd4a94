"""The built site as a reader meets it: every page in headless Chromium, served on loopback.

For every HTML page of ``_build/html``: no console error and no uncaught exception, no request
leaving loopback, every chart container drawn (the SVG made at build time). Layout at phone and
desktop widths, JavaScript off, tables and page weight are in ``test_layout.py``. Internal links and
anchors are checked from the HTML, and the downloads the book offers must exist.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
from conftest import settle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
PAGE_BUDGET = 1_500_000  # bytes a page may transfer, the site-wide vega bundle not counted
BUNDLE = "_static/vega-bundle.js"

pytestmark = pytest.mark.browser

if not SITE.joinpath("index.html").exists():
    pytest.skip("no built site: run `make book` first", allow_module_level=True)


def site_pages() -> list[str]:
    """Every page a reader can reach (Sphinx's generated index and search pages included)."""
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if "_static" not in p.parts)


def _is_local(url: str, base: str) -> bool:
    return url.startswith(base) or url.split(":", 1)[0] in ("data", "blob", "about")


@pytest.mark.parametrize("page_path", site_pages())
def test_page_in_browser(page_path, site_url, browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))

    def route(r):
        if _is_local(r.request.url, site_url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("requestfailed", lambda r: failed.append(r.url) if _is_local(r.url, site_url) else None)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    finished = []
    pending: set[str] = set()
    page.on("request", lambda r: pending.add(r.url))
    page.on("requestfinished", lambda r: (finished.append(r), pending.discard(r.url)))
    page.on("requestfailed", lambda r: pending.discard(r.url))
    page.goto(site_url + page_path, wait_until="load")
    charts = page.locator(".vega-chart")
    n = charts.count()
    for i in range(n):
        charts.nth(i).locator("svg, canvas").first.wait_for(state="attached", timeout=15_000)
    try:
        settle(page)
    except PlaywrightTimeout:
        context.close()
        pytest.fail(f"{page_path}: the network never went idle; requests still open: {sorted(pending)}")
    weight = sum(
        r.sizes()["responseBodySize"] for r in finished if urlparse(r.url).path.lstrip("/") != BUNDLE
    )
    context.close()
    assert weight < PAGE_BUDGET, f"{page_path}: transfers {weight / 1e6:.2f} MB besides the vega bundle"
    assert not outside, f"{page_path}: requests leaving loopback: {outside}"
    assert not failed, f"{page_path}: failed requests: {failed}"
    assert not errors, f"{page_path}: {errors}"


def test_landing_page_has_a_drawn_chart(site_url, browser):
    page = browser.new_page()
    page.goto(site_url + "index.html")
    settle(page)
    assert page.locator(".vega-chart").count() >= 1
    page.locator(".vega-chart svg").first.wait_for(timeout=15_000)
    assert page.locator(".vega-chart svg .mark-rect path, .vega-chart svg .mark-rect").count() > 0
    title = page.title()
    page.close()
    assert "bad-loan cycle" in title.lower()


def test_theme_icons_draw_from_the_web_font(site_url, browser):
    """The theme's icons come from Font Awesome's web font, not its 1.5 MB script (replaced)."""
    page = browser.new_page()
    fonts = []
    page.on("requestfinished", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    page.goto(site_url + "chapters/overview.html")
    settle(page)
    icon = page.locator("button.search-button__button i.fa-magnifying-glass").first
    family = icon.evaluate("el => getComputedStyle(el, '::before').fontFamily")
    width = icon.evaluate("el => el.getBoundingClientRect().width")
    loaded = page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    hidden = icon.get_attribute("aria-hidden")
    page.close()
    assert "Font Awesome" in family
    assert width > 0 and loaded
    assert any(u.endswith("fa-solid-900.woff2") for u in fonts)
    assert hidden == "true", "icons are hidden from screen readers"
    assert (SITE / "_static" / "scripts" / "fontawesome.js").stat().st_size < 2_000


def test_reader_can_save_a_chart_as_svg_offline(site_url, browser):
    """The vega-embed actions menu works without a network: "Save as SVG" downloads an SVG."""
    context = browser.new_context(accept_downloads=True)
    context.route("**/*", lambda r: r.continue_() if _is_local(r.request.url, site_url) else r.abort())
    page = context.new_page()
    page.goto(site_url + "chapters/housing_market.html")
    # The chart is drawn at build time; pointing at it loads the runtime and its actions menu.
    page.locator(".vega-chart").first.hover()
    chart = page.locator(".vega-chart .vega-embed").first
    chart.locator("svg, canvas").first.wait_for(state="attached", timeout=15_000)
    chart.locator("details > summary").click()
    with page.expect_download(timeout=15_000) as info:
        chart.locator("a", has_text="SVG").click()
    saved = Path(info.value.path()).read_text(encoding="utf-8")
    context.close()
    assert saved.lstrip().startswith("<svg") and "</svg>" in saved


def test_reader_can_filter_the_ledger_by_chapter_and_status(site_url, browser):
    page = browser.new_page()
    page.goto(site_url + "back/ledger.html")
    table = page.locator("table.filterable").first
    total = table.locator("tbody tr").count()
    chapter = page.locator("select[data-filter-column='0']")
    status = page.locator(".ledger-filters select[data-filter-column]").nth(1)
    status_column = int(status.get_attribute("data-filter-column"))
    name = chapter.locator("option").nth(1).get_attribute("value")
    chapter.select_option(name)
    status.select_option("source error")
    visible = table.locator("tbody tr:not([hidden])")
    # A row's cells in order, as the filter counts them (the first is a row header, <th scope="row">).
    cells = [visible.nth(i).locator("th, td").nth(0).inner_text().strip() for i in range(visible.count())]
    states = [
        visible.nth(i).locator("th, td").nth(status_column).inner_text().strip()
        for i in range(visible.count())
    ]
    count = page.locator(".ledger-count").first.inner_text()
    # a filtered-out row takes no room on the page, whatever layout the table has (records on a desktop)
    hidden_boxes = page.evaluate(
        "[...document.querySelectorAll('table.filterable tbody tr[hidden]')].filter(r => r.getClientRects().length).length"
    )
    page.close()
    assert hidden_boxes == 0, f"{hidden_boxes} rows the filter hid are still laid out"
    assert 0 < len(cells) < total
    assert set(cells) == {name} and set(states) == {"source error"}
    assert count.startswith(f"{len(cells)} of {total}")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("script", "link", "img") and (attrs.get("src") or attrs.get("href")):
            self.hrefs.append(attrs.get("src") or attrs.get("href"))


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_internal_links_and_anchors_resolve():
    broken = []
    for rel in site_pages():
        page = SITE / rel
        for href in _parse(page).hrefs:
            if urlparse(href).scheme or href.startswith(("mailto:", "//", "javascript:")):
                continue
            target, fragment = urldefrag(urljoin(rel, href))
            target_path = SITE / unquote(target.split("?")[0]) if target else page
            if target_path.is_dir():
                target_path = target_path / "index.html"
            if not target_path.exists():
                broken.append(f"{rel}: {href} (no file)")
            elif (
                fragment
                and target_path.suffix == ".html"
                and unquote(fragment) not in _parse(target_path).ids
            ):
                broken.append(f"{rel}: {href} (no anchor)")
    assert not broken, "\n".join(broken)


def test_no_remote_script_or_style_in_any_page():
    pattern = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""")
    offenders = [rel for rel in site_pages() if pattern.search((SITE / rel).read_text(encoding="utf-8"))]
    assert not offenders


def test_vega_bundle_shipped_once_not_inlined():
    bundle = SITE / "_static" / "vega-bundle.js"
    assert bundle.stat().st_size > 100_000
    for rel in site_pages():
        text = (SITE / rel).read_text(encoding="utf-8")
        assert "window.vegaEmbed=" not in text, f"{rel} inlines the vega bundle"


def test_every_chart_is_a_numbered_captioned_figure():
    """Charts are shown through glue figures: inside <figure>, with a numbered caption and a description."""
    missing = []
    pattern = re.compile(
        r'<div id="(vg-[0-9a-f]+-\d+)" class="vega-chart" role="figure" aria-label="([^"]*)"'
    )
    for rel in site_pages():
        text = (SITE / rel).read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            chart_id, label = match.groups()
            before = text[: match.start()]
            figure_open = before.rfind("<figure")
            if figure_open < before.rfind("</figure>") or figure_open == -1:
                missing.append(f"{rel}: {chart_id} is not inside a <figure>")
                continue
            after = text[match.end() :]
            caption = after[: after.find("</figure>")]
            if 'class="caption-number"' not in caption:
                missing.append(f"{rel}: {chart_id} has no numbered caption")
            if len(label) < 15:
                missing.append(f"{rel}: {chart_id} has no real description ({label!r})")
    assert not missing, "\n".join(missing)
