"""The PDF edition (``_build/html/book.pdf``, made by ``make pdf`` and ``make test``) as a reader
of print meets it.

Read back with pypdf and with poppler's ``pdftotext`` / ``pdffonts`` (Debian's poppler-utils):
every page's title is in the text, in the bookmarks and in the contents with the right page
number; Chinese terms extract as text; the Chinese font is embedded; pages are numbered; charts
are vector drawings, not pictures; no table is wider than the printed column. The pieces of
:mod:`helpers.build.pdf` that make the single print document are unit-tested on small inputs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import in_thread

from helpers.build import pdf

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
PDF = SITE / pdf.PDF_NAME
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
CHINESE_TERMS = ["不良", "首付", "按揭", "保交楼", "不良贷款"]

built = pytest.mark.skipif(not PDF.exists(), reason="no PDF edition: run `make pdf` first")


def squash(text: str) -> str:
    """``text`` without white space, ligatures (ﬁ) spelt out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def page_headings() -> dict[str, str]:
    """Each page's title as the site prints it (section number included), by docname."""
    headings = {}
    for page in pdf.toc_pages(TOC):
        headings[page.docname] = pdf.page_title(SITE / page.url)
    return headings


@pytest.fixture(scope="module")
def text() -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make system-packages` installs Debian's poppler-utils")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(PDF), "-"], capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture(scope="module")
def reader():
    from pypdf import PdfReader

    return PdfReader(str(PDF))


# --------------------------------------------------------------------------- the built PDF


@built
def test_every_page_title_is_in_the_text_and_the_bookmarks(text, reader):
    headings = page_headings()
    bookmarks = [title for title, _ in pdf.heading_pages(PDF)]
    flat = squash(text)
    for docname, heading in headings.items():
        assert heading, f"{docname}: no title"
        assert squash(heading) in flat, f"{docname}: title {heading!r} not in the PDF text"
        assert heading in bookmarks, f"{docname}: no bookmark reads {heading!r} (spaces included)"
    assert any(re.match(r"1\.\s", h) for h in headings.values()), "chapters are numbered"


@built
def test_chapters_have_section_bookmarks_beneath_them(reader):
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert len(nested) >= 4, "each chapter's sections are bookmarked under it"
    sections = [item.title for group in nested for item in group if not isinstance(item, list)]
    assert "1.1. How large is the bad-loan problem?" in sections
    assert reader.page_mode == "/UseOutlines"
    assert reader.metadata.title and reader.metadata.author


@built
def test_contents_give_the_page_where_each_title_starts(reader):
    starts = {squash(t): n for t, n in reversed(pdf.heading_pages(PDF))}
    contents = next(
        i for i, p in enumerate(reader.pages) if (p.extract_text() or "").lstrip().startswith("Contents")
    )
    entries, pending = {}, ""
    parts = {page.part for page in pdf.toc_pages(TOC)}
    for line in reader.pages[contents].extract_text().splitlines()[1:]:
        if line.strip() in parts:
            continue
        match = re.match(r"(.*?)\s*(\d+)$", line.strip())
        if match:
            entries[squash(pending + match.group(1))] = int(match.group(2))
            pending = ""
        else:
            pending += line
    for heading in page_headings().values():
        entry = squash(heading)
        assert entry in entries, f"{heading!r} is not in the contents"
        assert entries[entry] == starts[entry], (
            f"{heading!r}: contents say {entries[entry]}, it starts on {starts[entry]}"
        )


@built
def test_pages_are_numbered(reader):
    for number in (3, len(reader.pages) // 2, len(reader.pages)):
        lines = [
            ln.strip() for ln in (reader.pages[number - 1].extract_text() or "").splitlines() if ln.strip()
        ]
        assert str(number) in lines[-3:] + lines[:3], f"page {number} does not show its number"


@built
@pytest.mark.parametrize("term", CHINESE_TERMS)
def test_chinese_terms_extract_as_text(text, term):
    assert term in text, f"{term} does not extract from the PDF"


@built
def test_the_chinese_font_is_embedded():
    if shutil.which("pdffonts") is None:
        pytest.fail("pdffonts is missing: `make system-packages` installs Debian's poppler-utils")
    rows = subprocess.run(
        ["pdffonts", str(PDF)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"
    book_font = [row for row in rows if "+" + "BookSansSC-Regular" in row.split()[0]]
    assert book_font, "the book's Chinese font (Book Sans SC) is not in the PDF"
    assert all(row.split()[1:3] == ["CID", "TrueType"] for row in book_font)


@built
def test_charts_are_vector_drawings_not_pictures():
    if shutil.which("pdfimages") is None:
        pytest.fail("pdfimages is missing: `make system-packages` installs Debian's poppler-utils")
    listing = subprocess.run(
        ["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True
    ).stdout
    images = listing.splitlines()[2:]
    pictures = sum(
        len(re.findall(r"<img\b", (SITE / p.url).read_text(encoding="utf-8"))) for p in pdf.toc_pages(TOC)
    )
    assert len(images) <= pictures, (
        f"{len(images)} raster images in the PDF for {pictures} <img> in the pages"
    )


@pytest.fixture(scope="module")
def print_document(browser):
    """The print document the PDF was printed from (``_build/pdf/book.html``), loaded as Chromium
    printed it: print media, the text column's width, charts drawn, web fonts loaded."""
    document = ROOT / "_build" / "pdf" / "book.html"
    assert document.exists()
    server = pdf._serve(ROOT / "_build")
    page = browser.new_page(viewport={"width": pdf.TEXT_WIDTH_PX, "height": 1000})
    try:
        page.emulate_media(media="print")
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/pdf/book.html", wait_until="load")
        page.wait_for_function(pdf.CHARTS_DRAWN, timeout=120_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        yield page
    finally:
        page.close()
        server.shutdown()


@built
def test_every_table_is_printed_whole(text, print_document):
    """No table is wider than the text column, and every table's last column header is printed."""
    wide = print_document.evaluate(pdf.TABLES_TOO_WIDE)
    last_headers = print_document.evaluate(
        """() => [...document.querySelectorAll('main.book-pdf table')].map(t => {
             // the header row of the columns: the one with most cells (a print layout adds rows)
             const rows = t.tHead ? [...t.tHead.rows] : [];
             const r = rows.sort((a, b) => b.cells.length - a.cells.length)[0];
             return r && r.lastElementChild ? r.lastElementChild.textContent.trim() : ''; })"""
    )
    assert not wide, f"tables wider than the page: {wide}"
    assert len(last_headers) >= 10
    flat = squash(text)
    # A long header may be broken across lines (and pdftotext may order the pieces apart).
    missing = [h for h in last_headers if h and squash(h)[:10] not in flat]
    assert not missing, f"last columns missing from the PDF text: {missing}"


@built
def test_no_word_in_a_table_is_broken(print_document):
    """Table cells break lines only between words (or after a hyphen, a dash or a slash, or beside
    a Chinese character): no "colum/n", "inconsis/tent" (pdf.WORDS_BROKEN, measured per letter)."""
    broken = print_document.evaluate(pdf.WORDS_BROKEN)
    assert not broken, f"{len(broken)} words broken inside table cells, e.g. {broken[:10]}"


CHART_WIDTHS = """() => {
  const column = document.querySelector('main.book-pdf').getBoundingClientRect().width;
  return [...document.querySelectorAll('main.book-pdf .vega-chart svg')]
    .filter(s => s.getBoundingClientRect().width > 0 && !s.parentElement.closest('svg'))
    .map(s => {
      const own = parseFloat(s.getAttribute('width')) || s.viewBox.baseVal.width;
      const page = s.closest('section.pdf-page'), chart = s.closest('.vega-chart');
      return {where: (page ? page.id : '?') + ' ' + chart.id, width: s.getBoundingClientRect().width, own,
              room: chart.getBoundingClientRect().width, column};
    });
}"""


@built
def test_charts_print_at_their_own_size_within_the_column(print_document):
    """A chart drawing prints at its own width, so its labels are the size they were drawn at (no
    larger than the text), unless it is wider than the room its figure has, which it then fits;
    never wider than the text column."""
    charts = print_document.evaluate(CHART_WIDTHS)
    assert len(charts) >= 10, f"only {len(charts)} chart drawings in the print document"
    assert any(c["own"] < c["column"] - 50 for c in charts), "no drawing narrower than the column"
    wrong = [
        f"{c['where']}: printed {c['width']:.0f} px wide, drawn {c['own']:.0f} px, its figure "
        f"{c['room']:.0f} px, the column {c['column']:.0f} px"
        for c in charts
        if abs(c["width"] - min(c["own"], c["room"])) > 0.5 or c["width"] > c["column"] + 0.5
    ]
    assert not wrong, (
        f"{len(wrong)} chart drawings not printed at their own width or their figure's:\n  "
        + "\n  ".join(wrong)
    )


IDS_SPLIT = """(ids) => {
  const range = document.createRange();
  const lines = (node, start, end) => { range.setStart(node, start); range.setEnd(node, end);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    return rects.some(r => r.top >= rects[0].bottom - 1); };
  const out = [];
  for (const cell of document.querySelectorAll('main.book-pdf table th, main.book-pdf table td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      for (const id of ids)
        for (let at = node.data.indexOf(id); at >= 0; at = node.data.indexOf(id, at + 1))
          if (lines(node, at, at + id.length)) {
            const page = cell.closest('section.pdf-page');
            out.push((page ? page.id : '?') + ': ' + id);
          }
  }
  return out;
}"""


@built
def test_finding_ids_print_on_one_line(print_document):
    """A finding's id (r-fig22-prepayment) is a name: it is not broken at its hyphens in a table."""
    import csv

    with (ROOT / "data" / "ledger" / "findings.csv").open(encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert ids
    split = print_document.evaluate(IDS_SPLIT, ids)
    assert not split, f"{len(split)} finding ids broken across lines, e.g. {split[:10]}"


# --------------------------------------------------------------------------- the pieces


def test_toc_pages_keep_reading_order_and_parts():
    toc = {
        "root": "chapters/overview",
        "parts": [
            {"caption": "Chapters", "chapters": [{"file": "chapters/a"}, {"file": "chapters/b.md"}]},
            {"caption": "Appendices", "chapters": [{"file": "back/x", "sections": [{"file": "back/y"}]}]},
        ],
    }
    pages = pdf.toc_pages(toc)
    assert [p.docname for p in pages] == ["chapters/overview", "chapters/a", "chapters/b", "back/x", "back/y"]
    assert [p.part for p in pages] == ["", "Chapters", "Chapters", "Appendices", "Appendices"]
    assert pages[1].slug == "chapters-a" and pages[1].url == "chapters/a.html"


PAGE = """<html><head><link rel="stylesheet" href="../_static/book.css?v=1"></head><body>
<article class="bd-article"><section id="intro"><h1><span class="section-number">2. </span>Intro<a class="headerlink" href="#intro">#</a></h1>
<p><a href="#intro">self</a> <a href="../back/y.html#term">other</a> <a href="x.html">page</a>
<a href="https://example.org/">web</a> <a href="../_downloads/1/a.csv">file</a></p>
<div class="cell tag_hide-input"><details class="hide above-input"><summary>s</summary>
<div class="cell_input">code</div></details><div class="cell_output">out</div></div>
<div id="vg-1" class="vega-chart"></div><script>document.getElementById("vg-1")</script>
<img src="../_static/pic.png"><details><summary>more</summary>hidden</details>
</section></article></body></html>"""


def _site(tmp_path: Path) -> Path:
    for name in ("chapters/overview", "chapters/x", "back/y"):
        path = tmp_path / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.replace("Intro", name), encoding="utf-8")
    return tmp_path


TOY_TOC = {
    "root": "chapters/overview",
    "parts": [{"caption": "Part", "chapters": [{"file": "chapters/x"}, {"file": "back/y"}]}],
}


def test_combined_document_links_inside_itself(tmp_path):
    document, headings = pdf.combined_html(_site(tmp_path), TOY_TOC, "T", "A", site_prefix="/html/")
    assert [h for _, h in headings] == ["2. chapters/overview", "2. chapters/x", "2. back/y"]
    assert 'href="#chapters-x--intro"' in document  # a link within the page
    assert 'href="#back-y--term"' in document  # a link to another page's anchor
    assert 'href="#chapters-x"' in document  # a link to another page
    assert 'href="https://example.org/"' in document
    assert "_downloads" not in document  # a file of the site is not a link in print
    assert 'id="chapters-x--intro"' in document
    assert 'id="vg-1"' in document  # looked up by a script: kept
    assert 'src="/html/_static/pic.png"' in document
    assert 'href="/html/_static/book.css"' in document
    body = document[document.index("<body>") :]
    assert 'class="cell_input"' not in body and 'class="headerlink"' not in body and ">code<" not in body
    assert "<details open" in document
    assert document.count('class="pdf-page"') == 3


def test_contents_list_parts_and_page_numbers(tmp_path):
    numbers = {"chapters-overview": 3, "chapters-x": 7, "back-y": 12}
    document, _ = pdf.combined_html(_site(tmp_path), TOY_TOC, "T", "A", "", numbers)
    contents = document[document.index('<nav class="book-contents"') : document.index("</nav>")]
    assert '<span class="part">Part</span>' in contents
    assert re.search(r'href="#back-y">2\. back/y</a>.*?<span class="num"[^>]*>12</span>', contents)


def test_page_numbers_come_from_the_bookmarks_in_order(tmp_path, monkeypatch):
    pages = pdf.toc_pages(TOY_TOC)
    headings = [(p, h) for p, h in zip(pages, ["Overview", "Ledger", "Ledger"], strict=True)]
    outline = [("Title", 1), ("Contents", 2), ("Overview", 3), ("Ledger", 5), ("Ledger", 9)]
    monkeypatch.setattr(pdf, "heading_pages", lambda _: outline)
    numbers = pdf.contents_page_numbers(tmp_path / "x.pdf", headings)
    assert numbers == {"chapters-overview": 3, "chapters-x": 5, "back-y": 9}
    monkeypatch.setattr(pdf, "heading_pages", lambda _: outline[:3])
    with pytest.raises(pdf.PdfError, match="not among the PDF's bookmarks"):
        pdf.contents_page_numbers(tmp_path / "x.pdf", headings)


@pytest.mark.browser
def test_a_table_wider_than_the_page_stops_the_print(tmp_path):
    wide = (
        "<table><thead><tr>"
        + "".join(f"<th>col{i}_{'x' * 30}</th>" for i in range(40))
        + "</tr></thead></table>"
    )
    page = tmp_path / "html" / "chapters" / "overview.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        f'<html><body><article class="bd-article"><h1>Wide</h1><pre>{"W" * 400}</pre>{wide}</article></body></html>'
    )
    toc = {"root": "chapters/overview"}
    (tmp_path / "pdf").mkdir()
    document, _ = pdf.combined_html(tmp_path / "html", toc, "T", "A")
    document = document.replace("white-space: normal !important", "white-space: nowrap !important")
    (tmp_path / "pdf" / "book.html").write_text(document, encoding="utf-8")
    server = pdf._serve(tmp_path)
    try:
        with pytest.raises(pdf.PdfError, match="chapters-overview: table starting 'col0_"):
            in_thread(  # print_pdf starts its own Playwright: not in the session's thread
                pdf.print_pdf,
                f"http://127.0.0.1:{server.server_address[1]}/pdf/book.html",
                tmp_path / "out.pdf",
                pdf.TEXT_WIDTH_PX,
            )
    finally:
        server.shutdown()


@built
def test_the_destinations_a_draft_is_read_by_give_the_pages_the_bookmarks_give():
    """A cold build reads its draft's page numbers from the named destinations of the contents'
    links (an untagged print has no bookmarks); on the book they must agree with the bookmarks."""
    headings = [(page, pdf.page_title(SITE / page.url)) for page in pdf.toc_pages(TOC)]
    by_destination = pdf.destination_page_numbers(PDF, headings)
    assert by_destination == pdf.contents_page_numbers(PDF, headings)
    assert len(set(by_destination.values())) == len(headings)


def _ledger_like(rows, headers=None, note_index=None) -> str:
    headers = headers or ["chapter", "table", "row", "column", "published", "ours", "unit", "status", "note"]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if h in ("published", "ours") else ""}>{h}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<article><table class="book-table ledger"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></article>'


def _soup(html):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return soup, soup.find("article")


LONG_NOTE = "recomputed from the printed parts, " * 4


def test_prose_columns_are_printed_under_their_rows():
    rows = [
        ["policy", "t1", "r1", "c1", "1", "1.00", "%", "match", LONG_NOTE],
        ["policy", "t1", "r2", "c2", "2", "2.00", "%", "match", ""],
    ]
    soup, article = _soup(_ledger_like(rows))
    assert pdf.print_tables(article, soup) == 1
    table = article.find("table")
    header = [th.get_text() for th in table.thead.find_all("tr")[0].find_all("th")]
    assert header == ["chapter", "table", "row", "column", "published", "ours", "unit", "status"]
    assert table.thead.find("tr", class_="pdf-text-head").th.get_text() == "note"  # named once
    assert table.thead.find("tr", class_="pdf-text-head").th["colspan"] == "8"
    bodies = table.find_all("tbody", class_="pdf-row")
    assert len(bodies) == 2  # one per row, kept on one page
    first = bodies[0].find_all("tr")
    assert [td.get_text() for td in first[0].find_all("td")][-1] == "match"
    assert first[1]["class"] == ["pdf-text"] and first[1].td.get_text() == LONG_NOTE
    assert first[1].td["colspan"] == "8"
    assert len(bodies[1].find_all("tr")) == 1  # an empty note adds no line


def test_several_prose_columns_are_each_named_on_their_line():
    headers = ["finding", "status", "source", "locator", "what is wrong", "evidence", "published", "cells"]
    rows = [["f-1", "source error", "s", "§1", LONG_NOTE, "evidence " + LONG_NOTE, "3 %", "1: t · r / c"]]
    soup, article = _soup(_ledger_like(rows, headers))
    assert pdf.print_tables(article, soup) == 1
    lines = article.find_all("tr", class_="pdf-text")
    assert [line.find("span", class_="pdf-label").get_text() for line in lines] == [
        "what is wrong",
        "evidence",
    ]
    assert "evidence " + LONG_NOTE in lines[1].get_text()
    assert article.find("tr", class_="pdf-text-head") is None


def test_a_grouping_chapter_column_heads_one_table_per_run():
    rows = [["housing", "t", f"r{i}", "c", "1", "1.0", "%", "match", LONG_NOTE] for i in range(4)]
    rows += [["retail", "t", f"s{i}", "c", "1", "1.0", "%", "match", ""] for i in range(4)]
    soup, article = _soup(_ledger_like(rows))
    pdf.print_tables(article, soup)
    tables = article.find_all("table")
    assert [t.thead.tr.th.get_text() for t in tables] == ["chapter: housing", "chapter: retail"]
    assert tables[0].thead.tr.th["colspan"] == "7"
    header = [th.get_text() for th in tables[1].thead.find_all("tr")[1].find_all("th")]
    assert header == ["table", "row", "column", "published", "ours", "unit", "status"]
    row = tables[1].tbody.tr
    assert row.th["scope"] == "row" and row.th.get_text() == "t"  # the row's label is its first cell
    assert tables[0].find("tr", class_="pdf-text").td["colspan"] == "7"
    assert len(tables[1].find_all("tbody")) == 4


def test_narrow_tables_and_short_texts_keep_their_layout():
    short = [["policy", "t1", "r1", "c1", "1", "1.00", "%", "match", "a short note"]]
    soup, article = _soup(_ledger_like(short))
    before = str(article)
    assert pdf.print_tables(article, soup) == 0 and str(article) == before
    seven = [["t1", "r1", "c1", "1", "1.00", "match", LONG_NOTE]]
    soup, article = _soup(
        _ledger_like(seven, ["table", "row", "column", "published", "ours", "status", "note"])
    )
    assert pdf.print_tables(article, soup) == 0
    rows = [["policy", "t1", "r1", "c1", "1", "1.00", "%", "match", LONG_NOTE]] * 2  # runs too short
    soup, article = _soup(_ledger_like(rows))
    assert pdf.print_tables(article, soup) == 1 and len(article.find_all("table")) == 1
    assert article.find("th", string="chapter") is not None
