"""The page budget (issue 13): what Lighthouse scores, measured without timing anything.

Lighthouse (mobile) is the book's yardstick: performance ≥ 90, accessibility 100, best practices
100, SEO ≥ 95 on every page (``make lighthouse`` runs it; its figures are in the README). Its
timings move with the machine's load, so ``make test`` checks what decides them instead, on every
page, loaded once in Chromium and looked at 1,366 px and 390 px wide:

* **Accessibility**: axe-core, the engine of Lighthouse's accessibility category, with the same
  configuration as Lighthouse 12.8.2 (``core/gather/gatherers/accessibility.js``: the WCAG 2 A and
  AA rules, plus the rules Lighthouse switches on, minus those it switches off), pinned through
  ``axe-playwright-python`` in ``requirements.lock``. Any violation fails, naming the rule, the
  width and the first elements; a page with none scores 100.
* **Tables fit and read like a publication**: every table (long ones opened) lies inside the
  article column at both widths; no word of a cell is split across lines there (breaks come
  between words, or after a hyphen, a dash, a slash or an underscore); no cell in scientific
  notation, no bare data code.
* **Chart text fits its drawing**: every ``<text>`` of every chart drawing shown (the SVG drawn at
  build time) lies inside that SVG's box at both widths, drawn with the page's own fonts: the
  build measured it with the same advances (``helpers.build.chart_fonts``), or its end is cut off.
* **First paint**: the resources that block rendering, as Chromium reports them
  (``PerformanceResourceTiming.renderBlockingStatus``), are one stylesheet and nothing else,
  within a byte budget; no web font is needed for the first paint; the largest contentful paint
  is text or a drawing that is in the HTML as served (nothing a script has to fetch first).
* **Nothing heavy at high priority**: Lighthouse's simulated first paint (its "lantern" model
  of a phone on slow 4G) counts every request of high priority that ended before the paint it
  observed as if the paint had waited for it. Chromium's own priorities (DevTools protocol) are
  read: besides the page and its stylesheet, only small files (the icon font cut to the icons
  used, the favicon) may ask for high priority; the Chinese font and the theme's scripts load low.
* **Best practices and SEO**, as far as a page's HTML decides them: a ``<!DOCTYPE html>``, a
  charset, a ``lang``, a viewport, a title, a meta description, a favicon, no ``noindex``.

The console-error and off-site-request checks (best practices) are in ``test_site.py``; the
compressed page weight in ``test_layout.py``.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

import pytest
from conftest import settle

from helpers.book import units
from helpers.build import pdf

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}

BLOCKING_BUDGET = 40_000
"""Bytes (compressed, as transferred) a page may load before its first paint besides its HTML."""
HTML_BUDGET = 80_000
"""Bytes of a page's HTML, compressed."""
HIGH_PRIORITY_BUDGET = 10_000
"""Bytes (as transferred) a request other than the page and its stylesheet may have and still
ask for high priority (Chromium's "High" or "VeryHigh")."""

pytestmark = pytest.mark.browser

if not SITE.joinpath("index.html").exists():
    pytest.skip("no built site: run `make book` first", allow_module_level=True)

# Lighthouse 12.8.2's axe options (node_modules/lighthouse/core/gather/gatherers/accessibility.js).
LIGHTHOUSE_AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
    "resultTypes": ["violations", "inapplicable"],
    "rules": {
        **{
            rule: {"enabled": True}
            for rule in (
                "accesskeys aria-allowed-role aria-conditional-attr aria-deprecated-role "
                "aria-dialog-name aria-prohibited-attr aria-treeitem-name aria-text empty-heading "
                "heading-order html-xml-lang-mismatch identical-links-same-purpose "
                "image-redundant-alt input-button-name label-content-name-mismatch "
                "landmark-one-main link-in-text-block meta-viewport select-name skip-link tabindex "
                "table-duplicate-name table-fake-caption target-size td-has-header"
            ).split()
        },
        **{
            rule: {"enabled": False}
            for rule in (
                "area-alt aria-braille-equivalent aria-roledescription audio-caption blink "
                "duplicate-id frame-focusable-content frame-title-unique marquee nested-interactive "
                "no-autoplay-audio role-img-alt scrollable-region-focusable server-side-image-map "
                "summary-name svg-img-alt"
            ).split()
        },
    },
}

SEARCH = "search.html"
"""Sphinx's search page runs its search inline, after its scripts: they stay blocking there."""
REDIRECT = "index.html"
"""The site's front door: a redirect to the overview (which is checked as itself)."""


def site_pages() -> list[str]:
    """Every page a reader can reach, Sphinx's index and search pages included."""
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if "_static" not in p.parts)


READING_PAGES = [p for p in site_pages() if p != REDIRECT]


PAINT = """() => new Promise(resolve => {
  const out = {blocking: [], lcp: null};
  for (const e of performance.getEntriesByType('resource')) {
    if (e.renderBlockingStatus === 'blocking')
      out.blocking.push({url: e.name, bytes: e.transferSize, type: e.initiatorType});
  }
  out.fontsBeforePaint = performance.getEntriesByType('resource').filter(e =>
    /\\.(woff2?|ttf|otf)(\\?|$)/.test(e.name) && e.renderBlockingStatus === 'blocking').map(e => e.name);
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    const last = entries[entries.length - 1];
    const el = last && last.element;
    out.lcp = el ? {tag: el.tagName.toLowerCase(), url: last.url || '', text: (el.textContent || '').trim().slice(0, 60),
                    inHtml: el.hasAttribute('data-hlight-initial')} : null;
    resolve(out);
  }).observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(out), 3000);
})"""

MARK_INITIAL = (
    """() => document.querySelectorAll('body *').forEach(e => e.setAttribute('data-hlight-initial', ''))"""
)

TABLE_BOXES = """() => {
  document.querySelectorAll('article.bd-article details').forEach(d => d.open = true);
  const article = document.querySelector('article.bd-article');
  if (!article) return [];
  const a = article.getBoundingClientRect(), cs = getComputedStyle(article);
  const left = a.left + parseFloat(cs.paddingLeft), right = a.right - parseFloat(cs.paddingRight);
  return [...article.querySelectorAll('table')].map((t, i) => {
    const r = t.getBoundingClientRect();
    const head = t.querySelector('caption, th');
    const section = t.closest('section[id]');
    return {i, left: r.left, right: r.right, column: [left, right],
            where: (section ? '#' + section.id : '') + ' ' + (head ? head.textContent.trim().slice(0, 40) : '')};
  });
}"""


CODE_LABEL = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE][+-]?\d+\b")
BARE_CODES = {
    code for code in units.UNITS if "_" in code or code in ("CNY", "USD", "pct", "pp", "bp", "m2")
} | {"eq", "gt", "lt", "ge", "le"}

CELLS = """() => [...document.querySelectorAll('article.bd-article table')].flatMap(t =>
  [...t.querySelectorAll('th, td')].map(c => {
    const clone = c.cloneNode(true);
    clone.querySelectorAll('code, kbd, a.reference').forEach(x => x.remove());
    return clone.textContent.trim();
  }))"""


CHART_TEXT = """async () => {
  const drawn = [...document.querySelectorAll('.vega-chart .vega-static svg')]
    .filter(s => s.getBoundingClientRect().width > 0);
  // lay every text out first, so that the fonts it needs are loading, then wait for them
  drawn.forEach(s => s.querySelectorAll('text').forEach(t => t.getBoundingClientRect()));
  await document.fonts.ready;
  const out = [];
  for (const svg of drawn) {
    const s = svg.getBoundingClientRect();
    const scale = svg.viewBox.baseVal.width ? s.width / svg.viewBox.baseVal.width : 1;
    const chart = svg.closest('.vega-chart');
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const r = t.getBoundingClientRect();
      const over = {right: r.right - s.right, left: s.left - r.left, bottom: r.bottom - s.bottom, top: s.top - r.top};
      const [side, px] = Object.entries(over).sort((a, b) => b[1] - a[1])[0];
      out.push({chart: chart.id, label: (chart.getAttribute('aria-label') || '').slice(0, 50),
                variant: svg.closest('.vega-narrow') ? 'phone drawing' : 'drawing',
                text: t.textContent, side, px, units: px / scale});
    }
  }
  return out;
}"""

TEXT_TOLERANCE = 0.5
"""CSS px a chart's text may reach past its drawing's edge (sub-pixel rounding of the layout)."""


@pytest.fixture(scope="module")
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(site_url, browser, axe_source):
    """``report(page)``: the page loaded once; axe, table boxes and chart text (per width) and paint facts."""

    @functools.cache
    def measure(page_path: str) -> dict:
        width, height = WIDTHS["desktop"]
        context = browser.new_context(viewport={"width": width, "height": height})
        # Mark every element present when the HTML is parsed, before any deferred script runs.
        context.add_init_script(
            "document.addEventListener('readystatechange', () => { if (document.readyState === 'interactive') ("
            + MARK_INITIAL
            + ")(); }, {once: true});"
        )
        page = context.new_page()
        requests: dict[str, dict] = {}
        cdp = context.new_cdp_session(page)
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: requests.setdefault(
                e["requestId"],
                {
                    "url": e["request"]["url"],
                    "type": e.get("type", ""),
                    "priority": e["request"]["initialPriority"],
                },
            ),
        )
        cdp.on(
            "Network.resourceChangedPriority",
            lambda e: requests.get(e["requestId"], {}).update(priority=e["newPriority"]),
        )
        cdp.on("Network.responseReceived", lambda e: requests.get(e["requestId"], {}).update(type=e["type"]))
        cdp.on(
            "Network.loadingFinished",
            lambda e: requests.get(e["requestId"], {}).update(bytes=e["encodedDataLength"]),
        )
        cdp.send("Network.enable")
        try:
            page.goto(site_url + page_path, wait_until="load")
            settle(page)
            out = {"paint": page.evaluate(PAINT), "axe": {}, "tables": {}, "cells": page.evaluate(CELLS)}
            out["requests"] = list(requests.values())
            page.evaluate(axe_source)
            frame = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
            for name, (w, h) in WIDTHS.items():
                page.set_viewport_size({"width": w, "height": h})
                page.evaluate(frame)
                out["axe"][name] = page.evaluate(
                    """async (options) => (await axe.run(document, options)).violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.html || '').slice(0, 100)),
                    }))""",
                    LIGHTHOUSE_AXE_OPTIONS,
                )
            out["chart_text"], out["words_broken"] = {}, {}
            for name, (w, h) in WIDTHS.items():  # after axe: this opens every <details>
                page.set_viewport_size({"width": w, "height": h})
                page.evaluate(frame)
                out["tables"][name] = page.evaluate(TABLE_BOXES)
                out["chart_text"][name] = page.evaluate(CHART_TEXT)
                out["words_broken"][name] = page.evaluate(pdf.WORDS_BROKEN, "article.bd-article")
        finally:
            context.close()
        return out

    return measure


@pytest.mark.parametrize("page_path", READING_PAGES)
def test_lighthouse_accessibility_rules_pass(page_path, report):
    """No axe-core violation of Lighthouse's rule set, at 1,366 px and at 390 px."""
    failures = [
        f"[{name} {WIDTHS[name][0]}px] {v['id']} ({v['impact']}, {v['count']} element(s)): {v['help']}\n      "
        + "\n      ".join(v["nodes"])
        for name, violations in report(page_path)["axe"].items()
        for v in violations
    ]
    assert not failures, f"{page_path}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize(
    "page_path", [p for p in READING_PAGES if "<table" in (SITE / p).read_text(encoding="utf-8")]
)
def test_every_table_fits_the_column(page_path, report):
    """Every table, long ones opened, lies inside the article column at 390 px and 1,366 px."""
    over = [
        f"[{name}] table {t['i']} ({t['where']}): {t['left']:.0f}–{t['right']:.0f} px, "
        f"column {t['column'][0]:.0f}–{t['column'][1]:.0f} px"
        for name, tables in report(page_path)["tables"].items()
        for t in tables
        if t["left"] < t["column"][0] - 0.5 or t["right"] > t["column"][1] + 0.5
    ]
    assert not over, f"{page_path}: tables wider than the column:\n  " + "\n  ".join(over)


TABLE_PAGES = [p for p in READING_PAGES if "<table" in (SITE / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("page_path", TABLE_PAGES)
def test_tables_read_like_a_publication(page_path, report):
    """No table cell in scientific notation, no bare data code as a label or value (code, keyboard
    input and links aside)."""
    cells = report(page_path)["cells"]
    scientific = [c for c in cells if SCIENTIFIC.search(c)]
    codes = [c for c in cells if CODE_LABEL.match(c) or c in BARE_CODES]
    assert not scientific, f"{page_path}: cells in scientific notation: {scientific[:10]}"
    assert not codes, f"{page_path}: bare data codes in tables: {sorted(set(codes))[:20]}"


@pytest.mark.parametrize("page_path", TABLE_PAGES)
def test_no_word_in_a_table_is_broken(page_path, report):
    """Table cells break lines between words only (or after a hyphen, a dash or a slash, or beside a
    Chinese character), at 390 px and 1,366 px: no "Gua/ngz/hou" (pdf.WORDS_BROKEN, per letter)."""
    broken = [
        f"[{name} {WIDTHS[name][0]}px] #{section}: {word!r} split {where}"
        for name, found in report(page_path)["words_broken"].items()
        for section, word, where in found
    ]
    assert not broken, f"{page_path}: {len(broken)} words broken in table cells:\n  " + "\n  ".join(
        broken[:20]
    )


@pytest.mark.parametrize(
    "page_path", [p for p in READING_PAGES if 'class="vega-chart"' in (SITE / p).read_text(encoding="utf-8")]
)
def test_every_chart_text_lies_inside_its_drawing(page_path, report):
    """Every title, label, legend and source line of every chart drawing shown lies inside its SVG's
    box at 390 px and 1,366 px: none is cut off at the drawing's edge."""
    texts = report(page_path)["chart_text"]
    assert all(texts.values()), f"{page_path}: no chart text measured at some width: {texts}"
    over = [
        f"[{name} {WIDTHS[name][0]}px] {t['chart']} ({t['label']}…), {t['variant']}: {t['text']!r} runs "
        f"{t['px']:.1f} px ({t['units']:.1f} px of the drawing) past its {t['side']} edge"
        for name, measured in texts.items()
        for t in measured
        if t["px"] > TEXT_TOLERANCE
    ]
    assert not over, f"{page_path}: chart text outside its drawing:\n  " + "\n  ".join(over)


@pytest.mark.parametrize("page_path", READING_PAGES)
def test_first_paint_waits_for_one_small_stylesheet(page_path, report):
    """Render-blocking resources: one stylesheet within budget, no script, no web font; the
    largest contentful paint is an element of the HTML as served."""
    paint = report(page_path)["paint"]
    blocking = [
        b for b in paint["blocking"] if page_path != SEARCH or b["url"].split("?")[0].endswith(".css")
    ]
    kinds = sorted({b["url"].rsplit("/", 1)[-1].split("?")[0] for b in blocking})
    assert len(blocking) <= 1, f"{page_path}: {len(blocking)} render-blocking resources: {kinds}"
    assert all(b["url"].split("?")[0].endswith(".css") for b in blocking), f"{page_path}: blocking {kinds}"
    total = sum(b["bytes"] for b in blocking)
    assert total <= BLOCKING_BUDGET, (
        f"{page_path}: {total:,} bytes block the first paint (budget {BLOCKING_BUDGET:,})"
    )
    assert not paint["fontsBeforePaint"], (
        f"{page_path}: web fonts block rendering: {paint['fontsBeforePaint']}"
    )
    lcp = paint["lcp"]
    assert lcp is not None, f"{page_path}: Chromium reported no largest contentful paint"
    assert lcp["inHtml"], f"{page_path}: the largest contentful paint ({lcp}) is added by a script"
    assert not lcp["url"] or lcp["url"].startswith("data:"), f"{page_path}: the LCP waits for an image: {lcp}"


@pytest.mark.parametrize("page_path", READING_PAGES)
def test_nothing_heavy_asks_for_high_priority(page_path, report):
    """Only the page, its stylesheet and files under :data:`HIGH_PRIORITY_BUDGET` bytes load at
    high priority (on the search page, Sphinx's blocking search scripts too)."""
    heavy = [
        f"{r['url'].rsplit('/', 1)[-1]} ({r['type']}, {r['priority']}, {r.get('bytes', 0):,.0f} bytes)"
        for r in report(page_path)["requests"]
        if r["priority"] in ("High", "VeryHigh")
        and r["type"] not in ("Document", "Stylesheet")
        and not (page_path == SEARCH and r["type"] == "Script")
        and r.get("bytes", 0) > HIGH_PRIORITY_BUDGET
    ]
    assert not heavy, f"{page_path}: heavy requests at high priority: {heavy}"
    assert any(r["type"] == "Document" for r in report(page_path)["requests"]), "no request seen"


HEAD_CHECKS = {
    "doctype": re.compile(r"^\s*<!DOCTYPE html>", re.I),
    "charset": re.compile(r'<meta charset="utf-8"', re.I),
    "lang": re.compile(r'<html[^>]* lang="en"'),
    "viewport": re.compile(r'<meta name="viewport" content="width=device-width, initial-scale=1'),
    "title": re.compile(r"<title>[^<]{5,}</title>"),
    "meta description": re.compile(r'<meta name="description" content="[^"]{20,}"'),
    "favicon": re.compile(r'<link rel="icon" href="[^"]+"'),
}


@pytest.mark.parametrize("page_path", READING_PAGES)
def test_head_has_what_lighthouse_asks(page_path):
    """Best practices and SEO as the HTML decides them; and the HTML itself within budget."""
    text = (SITE / page_path).read_text(encoding="utf-8")
    head = text[: text.find("</head>")]
    missing = [
        name
        for name, pattern in HEAD_CHECKS.items()
        if not pattern.search(text if name == "doctype" else head)
    ]
    assert not missing, f"{page_path}: head lacks {missing}"
    assert "noindex" not in head, f"{page_path}: page is marked noindex"
    blocking_scripts = re.findall(r"<script\b(?![^>]*\b(?:defer|async)\b)[^>]*\bsrc=\"([^\"]+)\"", head)
    if page_path != SEARCH:
        assert not blocking_scripts, f"{page_path}: render-blocking scripts in the head: {blocking_scripts}"
    size = len(gzip.compress(text.encode("utf-8"), compresslevel=6))
    assert size <= HTML_BUDGET, f"{page_path}: HTML is {size:,} bytes compressed (budget {HTML_BUDGET:,})"
