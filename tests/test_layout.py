"""The site as a reader sees it on a phone (390 px) and a desktop (1,366 px), with and without JavaScript.

* Every chart, source line included, lies inside the article column, at both widths.
* With JavaScript off every chart is still drawn (the SVG made at build time).
* No page loads the vega runtime before a reader asks for it; pointing at a chart loads it
  once and makes that chart interactive.
* Tables: no pandas index column (their cells are checked in ``test_page_budget.py``, on the
  page load it shares: no scientific notation, no bare data code).
* No machinery: no papermill parameter cell, no author instruction, no caption that needs a hover.
* Compressed page weight stays within budget (the test server compresses, as `make preview` does).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import settle

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
WIDTHS = {"phone": 390, "desktop": 1366}
BUNDLE = "_static/vega-bundle.js"
COMPRESSED_BUDGET = 600_000  # bytes a page transfers compressed, fonts and styles included

pytestmark = pytest.mark.browser

if not SITE.joinpath("index.html").exists():
    pytest.skip("no built site: run `make book` first", allow_module_level=True)


def site_pages() -> list[str]:
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if "_static" not in p.parts)


def chart_pages() -> list[str]:
    return [p for p in site_pages() if 'class="vega-chart"' in (SITE / p).read_text(encoding="utf-8")]


CHART_BOXES = """() => {
  const article = document.querySelector('article.bd-article');
  const a = article.getBoundingClientRect();
  const cs = getComputedStyle(article);
  const left = a.left + parseFloat(cs.paddingLeft), right = a.right - parseFloat(cs.paddingRight);
  return [...document.querySelectorAll('.vega-chart')].map(c => {
    const shown = [...c.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0 && !s.closest('summary, details'));
    const svg = shown[0];
    const r = svg ? svg.getBoundingClientRect() : {left: 0, right: 0, width: 0, height: 0};
    return {id: c.id, left: r.left, right: r.right, width: r.width, height: r.height,
            column: [left, right], visible: shown.length === 1 ? 1 : shown.length};
  });
}"""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("page_path", chart_pages())
def test_every_chart_fits_the_column_and_draws(page_path, width, javascript, site_url, browser):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site_url + page_path, wait_until="load")
    boxes = page.evaluate(CHART_BOXES)
    context.close()
    assert boxes, f"{page_path}: no chart found"
    bad = []
    for b in boxes:
        left, right = b["column"]
        if b["visible"] != 1:
            bad.append(f"{b['id']}: {b['visible']} drawings shown (expected exactly one)")
        elif b["width"] < 150 or b["height"] < 80:
            bad.append(f"{b['id']}: drawn {b['width']:.0f}×{b['height']:.0f} px")
        elif b["left"] < left - 1 or b["right"] > right + 1:
            bad.append(f"{b['id']}: spans {b['left']:.0f}–{b['right']:.0f}, column {left:.0f}–{right:.0f}")
    assert not bad, f"{page_path} at {width} px, JavaScript {'on' if javascript else 'off'}:\n" + "\n".join(
        bad
    )


@pytest.mark.parametrize("page_path", site_pages())
def test_vega_runtime_waits_for_a_reader(page_path, site_url, browser):
    """Loading a page never fetches the vega bundle; pointing at a chart fetches it and makes it live."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + page_path, wait_until="load")
    settle(page)
    early = [u for u in requested if u.split("?")[0].endswith(BUNDLE)]
    head_scripts = page.evaluate(
        "[...document.head.querySelectorAll('script[src]')].filter(s => !s.defer && !s.async).map(s => s.src)"
    )
    live = None
    if page.locator(".vega-chart").count():
        chart = page.locator(".vega-chart").first
        chart.scroll_into_view_if_needed()
        chart.hover()
        chart.locator(".vega-live svg").first.wait_for(state="attached", timeout=20_000)
        live = chart.get_attribute("data-state")
    context.close()
    assert not early, f"{page_path}: the vega bundle loads before any reader asks for it"
    assert not [s for s in head_scripts if BUNDLE in s], f"{page_path}: vega bundle is render-blocking"
    assert live in (None, "live"), f"{page_path}: the first chart did not become interactive ({live})"
    assert not errors, f"{page_path}: {errors}"


def test_no_index_column_in_any_chapter_table():
    """Pandas' default index (0, 1, 2 …) never shows: every chapter table comes from helpers.book.tables."""
    offenders = []
    for rel in site_pages():
        text = (SITE / rel).read_text(encoding="utf-8")
        if 'class="dataframe' in text:
            offenders.append(rel)
    assert not offenders, f"raw pandas tables on: {offenders}"


MACHINERY = [
    re.compile(r"papermill", re.I),
    re.compile(r"run the chapter with", re.I),
    re.compile(r"\(parameter\)"),
    re.compile(r"\bthis run\b", re.I),
]
HOVER = re.compile(r"\bhover", re.I)
NOT_READING = ("genindex.html", "search.html", "index.html", "back/execution.html")
"""Sphinx's index and search pages, the redirect to the overview, and the execution report
(whose subject is the build: it names papermill on purpose)."""


@pytest.mark.parametrize("page_path", [p for p in site_pages() if p not in NOT_READING])
def test_no_machinery_on_the_page(page_path, site_url, browser):
    page = browser.new_page()
    page.goto(site_url + page_path, wait_until="load")
    text = page.evaluate("document.querySelector('article.bd-article')?.innerText || ''")
    captions = page.evaluate("[...document.querySelectorAll('figcaption')].map(c => c.innerText).join(' | ')")
    param_cells = page.locator(".cell.tag_parameters, .cell.tag_injected-parameters").count()
    svg_text = page.evaluate(
        "[...document.querySelectorAll('.vega-chart svg text')].map(t => t.textContent).join(' | ')"
    )
    page.close()
    found = [p.pattern for p in MACHINERY if p.search(text) or p.search(svg_text)]
    found += [f"caption: {HOVER.pattern}" for _ in [1] if HOVER.search(captions) or HOVER.search(svg_text)]
    assert not param_cells, f"{page_path}: {param_cells} parameter cell(s) shown to readers"
    assert not found, f"{page_path}: build machinery or author instructions on the page: {found}"


@pytest.mark.parametrize("page_path", site_pages())
def test_compressed_page_weight(page_path, site_url, browser):
    """What a reader downloads, compressed as any static host serves it, stays within budget."""
    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto(site_url + page_path, wait_until="load")
    settle(page)
    sizes = [
        (r.url, r.sizes()["responseBodySize"], r.response().header_value("content-encoding"))
        for r in finished
    ]
    context.close()
    total = sum(s for _, s, _ in sizes)
    uncompressed_text = [
        u for u, s, enc in sizes if s > 20_000 and enc != "gzip" and not u.endswith((".woff2", ".png"))
    ]
    assert not uncompressed_text, f"{page_path}: served uncompressed: {uncompressed_text}"
    assert total < COMPRESSED_BUDGET, f"{page_path}: transfers {total / 1e3:.0f} kB compressed"
