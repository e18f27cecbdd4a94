"""helpers.book.site_assets: the joined, purged stylesheet and the mended markup (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.book import site_assets
from helpers.book.tables import Column, table


def test_purge_keeps_used_selectors_and_drops_the_rest():
    css = (
        ":root{--x:1}"
        ".used,.unused{color:red}"
        ".unused{color:blue}"
        "a:not(.unused) .used{color:green}"
        "#main>p{margin:0}"
        "#nowhere{margin:0}"
        "@media (max-width:640px){.unused{display:none}}"
        "@media print{.used{display:block}}"
        "@font-face{font-family:X;src:url(x.woff2)}"
        "a[href$='.pdf']{color:red}"
        ".bs-tooltip-top{top:0}"
    )
    out = site_assets.purge_css(css, {"used", "main"})
    assert ":root{--x:1}" in out
    assert ".used{color:red}" in out  # the unused selector of the list is gone
    assert "color:blue" not in out
    assert "a:not(.unused) .used{color:green}" in out  # :not(.x) does not need x
    assert "#main>p" in out and "#nowhere" not in out
    assert "display:none" not in out  # the @media block left empty is dropped
    assert "@media print{.used{display:block}}" in out
    assert "@font-face" in out
    assert 'a[href$=".pdf"]' in out  # an attribute value is not a class
    assert ".bs-tooltip-top" in out  # built by Bootstrap's script from pieces


def test_selector_list_splits_only_at_top_level_commas():
    assert site_assets._split_selectors("a:is(.x, .y), b") == ["a:is(.x, .y)", " b"]


def test_imports_are_inlined_and_urls_rebased(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text("p{background:url(file.png)}")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";\n.x{src:url(../vendor/f.woff2)}')
    out = site_assets._inline_imports(
        (static / "styles" / "theme.css").read_text(), static / "styles" / "theme.css", static
    )
    assert 'url("file.png")' in out and 'url("vendor/f.woff2")' in out and "@import" not in out


def test_markup_mended_for_lighthouse_accessibility_rules():
    page = (
        '<button class="btn search-button-field search-button__button" title="Search" aria-label="Search">'
        '<i class="fa-solid fa-magnifying-glass"></i> Search</button>'
        '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
        '<div class="citation-list" role="list"><div class="citation" id="id2" role="doc-biblioentry">'
    )
    out = site_assets.mend_markup(page)
    assert 'aria-label="Search"' not in out and 'title="Search"' in out
    assert "<summary>" in out
    assert "role=" not in out
    assert '<i class="fa-solid fa-magnifying-glass" aria-hidden="true">' in out
    assert site_assets.mend_markup(out) == out  # idempotent


def test_one_stylesheet_replaces_the_local_links(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.css").write_text(".a{color:red}.gone{color:blue}")
    (static / "b.css").write_text(".b{color:green}")
    page = (
        '<html><head><link rel="stylesheet" type="text/css" href="../_static/a.css?v=1" />\n'
        '<link href="../_static/b.css?digest=2" rel="stylesheet" />\n</head><body class="a b"></body></html>'
    )
    out = site_assets.one_stylesheet(page, tmp_path / "x" / "p.html", tmp_path, {}, {"a", "b"})
    links = [line for line in out.splitlines() if "stylesheet" in line]
    assert len(links) == 1 and 'href="../_static/book-site-' in links[0]
    joined = next(static.glob("book-site-*.css")).read_text()
    assert ".a{color:red}" in joined and ".b{color:green}" in joined and ".gone" not in joined


def test_wide_tables_stack_on_phones_and_rows_have_headers():
    frame = pd.DataFrame(
        {"case": ["base", "harsh"], **{f"column {i} (trillion yuan)": [1234.5, 2345.6] for i in range(6)}}
    )
    wide = table(frame, {c: (Column(c) if c != "case" else "case") for c in frame.columns})
    html = wide._repr_html_()
    assert 'class="book-table stack"' in html
    assert '<th scope="row" data-label="case">base</th>' in html
    assert 'data-label="column 0 (trillion yuan)" class="num">1,234.50</td>' in html
    narrow = table(
        frame[["case", "column 0 (trillion yuan)"]], {"case": "case", "column 0 (trillion yuan)": "x"}
    )
    assert "stack" not in narrow._repr_html_()


def test_wide_markdown_tables_get_labels_and_stack():
    heads = "".join(f"<th class='head'><p>h{i} &amp; more</p></th>" for i in range(5))
    cells = "".join(f"<td><p>v{i}</p></td>" for i in range(5))
    page = f'<table class="table"><thead><tr>{heads}</tr></thead><tbody><tr>{cells}</tr></tbody></table>'
    out = site_assets.stack_markdown_tables(page)
    assert '<table class="table stack">' in out
    assert '<td data-label="h0 &amp; more"><p>v0</p></td>' in out
    narrow = page.replace(heads, heads[: heads.index("<th", 5)])
    narrow = (
        '<table class="table"><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
    )
    assert site_assets.stack_markdown_tables(narrow) == narrow


def test_rewrite_twice_keeps_the_joined_file_pages_link(tmp_path):
    """Sphinx rewrites only changed pages: a page rewritten before keeps a file that exists."""
    from types import SimpleNamespace

    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.css").write_text(".a{color:red}")
    (static / "b.css").write_text(".b{color:green}")
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="_static/a.css" />\n'
        '<link rel="stylesheet" href="_static/b.css" />\n</head><body class="a b"></body></html>'
    )
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    for _ in range(2):
        site_assets.rewrite_pages(app, None)
        linked = re_search_bundle(page.read_text())
        assert (static / linked).exists()


def re_search_bundle(text: str) -> str:
    import re

    return re.search(r"_static/(book-site-[0-9a-f]+\.css)", text).group(1)


def test_first_paint_path_drops_script_preloads_and_duplicate_scripts():
    page = (
        '<html><head><link rel="stylesheet" href="../_static/book-site-0123456789ab.css" />\n'
        '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=1" />\n'
        '<script defer="defer" src="../_static/scripts/fontawesome.js?v=2"></script>\n'
        "</head><body><p>Loans</p><script>var s = '不良';</script></body></html>"
    )
    out = site_assets.off_the_paint_path(page)
    assert 'rel="preload" as="script"' not in out
    assert out.count("fontawesome.js") == 1
    assert "book-sans-sc" not in out  # Chinese only in a script: no font is needed
    assert site_assets.off_the_paint_path(out) == out  # idempotent


def test_pages_that_print_chinese_preload_the_font_at_low_priority():
    page = (
        '<html><head><title>按揭</title><link rel="stylesheet" href="../_static/book-site-0123456789ab.css" />\n'
        "</head><body><p>mortgages (<span>按揭</span>)</p></body></html>"
    )
    out = site_assets.off_the_paint_path(page)
    link = out.index("book-site-")
    preload = out.index('<link rel="preload" href="../_static/fonts/book-sans-sc.woff2"')
    assert preload > link  # after the stylesheet: the stylesheet is asked for first
    assert 'as="font" type="font/woff2" crossorigin fetchpriority="low"' in out
    assert site_assets.off_the_paint_path(out) == out
    assert not site_assets.shows_chinese("<html><head><title>按揭</title></head><body><p>x</p></body>")


def test_icon_code_points_read_escaped_and_literal_glyphs():
    css = '.fa-bars:before{content:"\\f0c9"}.fa-sun:before{content:"\uf185"}.x:before{content:"a"}'
    assert site_assets.icon_code_points(css) == {0xF0C9, 0xF185}


def test_icon_font_is_cut_to_the_icons_the_stylesheet_draws(tmp_path):
    import shutil as sh

    import pydata_sphinx_theme
    from fontTools.ttLib import TTFont

    theme_static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    source = theme_static / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    static = tmp_path / "_static"
    (static / "vendor").mkdir(parents=True)
    sh.copy(source, static / "vendor" / "fa-solid-900.woff2")
    css = (
        "@font-face{font-display:block;font-family:Font Awesome\\ 6 Free;font-weight:900;"
        'src:url("vendor/fa-solid-900.woff2") format("woff2"),url("vendor/fa-solid-900.ttf") format("truetype")}'
        '@font-face{font-family:Other;src:url("vendor/other.woff2")}'
        '.fa-bars:before{content:"\\f0c9"}.fa-sun:before{content:"\\f185"}'
    )
    out = site_assets.subset_icon_fonts(css, static)
    url = re.search(r'src:url\("(fonts/icons-[0-9a-f]+/fa-solid-900\.woff2)"\) format\("woff2"\)', out).group(
        1
    )
    assert ".ttf" not in out and 'url("vendor/other.woff2")' in out  # other fonts untouched
    cut = static / url
    assert set(TTFont(cut).getBestCmap()) == {0xF0C9, 0xF185}
    assert cut.stat().st_size < source.stat().st_size / 10
    assert site_assets.subset_icon_fonts(css, static) == out  # same input, same file


def test_a_purge_is_read_back_only_for_the_same_stylesheets_and_tokens(tmp_path, monkeypatch):
    cache = tmp_path / site_assets.PURGE_CACHE
    css = ".used{color:red}.unused{color:blue}"
    calls = []
    real = site_assets.purge_css
    monkeypatch.setattr(site_assets, "purge_css", lambda c, t: (calls.append(1), real(c, t))[1])
    first = site_assets._purged(css, {"used"}, cache)
    assert ".unused" not in first and ".used" in first
    assert site_assets._purged(css, {"used"}, cache) == first and len(calls) == 1
    assert ".unused" in site_assets._purged(css, {"used", "unused"}, cache)  # a new class: purged again
    assert ".b" in site_assets._purged(css + ".b{x:y}", {"used", "b"}, cache)  # a new rule
    assert len(calls) == 3
    cache.write_text("{damaged")
    assert site_assets._purged(css, {"used"}, cache) == first and len(calls) == 4
