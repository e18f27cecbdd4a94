"""Chinese for every reader: search finds Chinese words and English ones; Chinese text is drawn
with the book's own web font, so it renders on a machine with no Chinese font installed.

Search: Sphinx indexes the pages with ``html_search_language: zh``, which segments Chinese with
jieba. The browser tests type into the site's search page as a reader would.
Font: :mod:`helpers.build.fonts` cuts Noto Sans CJK SC to the characters of the book; the tests
check that every Chinese character of every page is in it, that the browser draws Chinese
with it (Chromium's own report of the font used for a node, so an installed system font does
not hide a failure), and that it stays small.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.build import fonts

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
FONT = SITE / "_static" / "fonts" / fonts.FONT_FILE
FONT_BUDGET = 250_000  # bytes

built = pytest.mark.skipif(not (SITE / "index.html").exists(), reason="no built site: run `make book` first")


# --------------------------------------------------------------------------- unit


def test_jieba_splits_two_character_words_out_of_longer_runs():
    from sphinx.search.zh import SearchChinese

    splitter = SearchChinese({})
    words = splitter.split("商业银行不良贷款率升至1.52%，首付比例下调，LTV上限")
    assert {"不良", "贷款", "首付", "LTV"} <= set(words)


def test_cjk_characters_are_collected_from_text_bytes_paths_and_json_escapes(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("按揭 mortgage", encoding="utf-8")
    found = fonts.cjk_characters(["不良 loans、", b"\xe9\xa6\x96", path, '{"x": "\\u4fdd"}'])
    assert found == {"不", "良", "、", "首", "按", "揭", "保"}


def test_unicode_range_matches_the_stylesheet():
    css = (ROOT / "_static" / "fonts" / "book-fonts.css").read_text(encoding="utf-8")
    assert f"unicode-range: {fonts.unicode_range()};" in css
    assert f'src: url("{fonts.FONT_FILE}")' in css


@pytest.mark.skipif(not fonts.NOTO_CJK.exists(), reason="Debian's fonts-noto-cjk is not installed")
def test_subset_font_has_the_characters_asked_for_and_the_book_name():
    import io

    from fontTools.ttLib import TTFont

    data = fonts.subset_font({"不", "良"})
    assert {"不", "良", "，", "。"} <= fonts.covered(data)
    assert "首" not in fonts.covered(data)
    font = TTFont(io.BytesIO(data))
    assert font["name"].getDebugName(6) == fonts.POSTSCRIPT_NAME
    assert "glyf" in font and "CFF " not in font  # TrueType outlines: embedded as TrueType in PDFs


def test_a_missing_source_font_names_the_package_to_install(tmp_path):
    with pytest.raises(fonts.FontError, match="fonts-noto-cjk"):
        fonts.subset_font({"不"}, source=tmp_path / "missing.ttc")


# --------------------------------------------------------------------------- built site


@built
def test_every_chinese_character_of_the_site_is_in_the_web_font():
    pages = [p for p in SITE.rglob("*.html") if "_static" not in p.parts]
    needed = fonts.cjk_characters(pages + [SITE / "searchindex.js"])
    missing = needed - fonts.covered(FONT.read_bytes())
    assert needed, "the site has no Chinese text?"
    assert not missing, f"characters the web font lacks: {''.join(sorted(missing))}"


@built
def test_web_font_is_small():
    assert FONT.stat().st_size < FONT_BUDGET


@built
def test_search_index_holds_chinese_words_and_english_stems():
    text = (SITE / "searchindex.js").read_text(encoding="utf-8")
    terms = set(json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"])
    assert {"不良", "首付", "按揭", "ltv"} <= terms
    assert "mortgag" in terms  # English words are still stemmed


# `server` and `browser`: the session's shared fixtures (tests/conftest.py)


@built
@pytest.mark.browser
@pytest.mark.parametrize("query", ["不良", "首付", "LTV", "mortgage"])
def test_search_page_finds(query, server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(server + "chapters/overview.html")
    page.locator("button.search-button-field").first.click()  # opens the theme's search dialog
    box = page.locator("#pst-search-dialog input[type='search']")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    results = page.locator("#search-results ul.search li")
    page.locator("#search-results p.search-summary").wait_for(timeout=30_000)
    found = results.count()
    titles = [results.nth(i).locator("a").first.inner_text() for i in range(min(found, 5))]
    page.close()
    assert found > 0, f"search for {query!r} found nothing"
    assert all(titles)


@built
@pytest.mark.browser
@pytest.mark.parametrize("page_path", ["chapters/npl_disposals.html", "back/glossary.html"])
def test_chinese_is_drawn_with_the_book_font(page_path, server, browser):
    page = browser.new_page()
    page.goto(server + page_path)
    page.evaluate("document.fonts.ready.then(() => true)")
    # The first paragraph with Chinese in it, marked so the DevTools protocol can find it.
    marked = page.evaluate(
        """() => { for (const el of document.querySelectorAll('article p, article td, article span')) {
             const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
             if (/[\\u4e00-\\u9fff]/.test(own)) { el.setAttribute('data-cjk-probe', '1'); return true; } }
           return false; }"""
    )
    assert marked, f"{page_path}: no Chinese text found"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    page.close()
    book = [f for f in used if f["familyName"] == fonts.FAMILY]
    assert book and book[0]["isCustomFont"], f"{page_path}: Chinese drawn with {used}"
    others = [
        f for f in used if f["familyName"] != fonts.FAMILY and f["familyName"].startswith("Noto Sans CJK")
    ]
    assert not others, f"{page_path}: some Chinese fell back to a system font: {others}"
