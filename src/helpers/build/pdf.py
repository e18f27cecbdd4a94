"""The PDF edition: the whole site as one printed book, ``_build/html/book.pdf``.

Every page of ``_toc.yml`` is taken from the built site (``_build/html``), in order, and put
into one HTML document after a title page and a table of contents: the page's article only
(no navigation), code cells removed, collapsed blocks opened, links between pages turned into
links inside the document, ids made unique by prefixing them with the page's name. Headless
Chromium (Debian's, through Playwright) prints that document with the site's own stylesheets
plus a print stylesheet (:data:`PRINT_CSS`):

* charts stay vector graphics (SVG), each printed at the width it was drawn at (narrower if its
  figure has less room), so its labels are never enlarged past the text; Chinese text is drawn
  with the book's web font (``_static/fonts``), which Chromium embeds in the PDF;
* page numbers in the footer; PDF bookmarks from the headings (Chromium's document outline);
* the contents list each page's first page number. They are those of the last print when they
  still hold (checked against the new PDF's bookmarks: one print). Otherwise they come from a
  draft, printed untagged (about half the time of a tagged print): the named destination of each
  page's section gives its page; they are written into the loaded document, which is printed
  a second time (the contents keep their length, so no page moves, and the bookmarks of the
  final print are checked against the numbers shown);
* bookmark titles are then set to the headings' exact text with pypdf (Chromium drops the space
  at a line break), the PDF opens with its bookmarks shown, and it carries title and author.

Tables print at 7.5 pt and break lines between words only, never inside one; a finding's id
(``r-fig22-prepayment``) is kept on one line. A wide table (8
columns or more, such as the reproduction ledgers and the errata) gets a print layout in the
print document only, the site's pages keep theirs (:func:`print_tables`): its prose columns
(notes, evidence) are printed under each row across the table, and the ledger's chapter column
becomes the heading of one table per chapter, repeated on every page it runs onto. Before
printing, every table is measured at the printed width; a table wider than the text column
stops the build naming the page and the table's first header cell, so no table is printed with a
column cut off. The step is skipped while the site's HTML is unchanged.
"""

from __future__ import annotations

import copy
import hashlib
import html as html_lib
import io
import json
import os
import posixpath
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
PDF_NAME = "book.pdf"
PAGE_FORMAT = "A4"
MARGIN = {"top": "18mm", "bottom": "20mm", "left": "17mm", "right": "17mm"}
FOOTER = (
    '<div style="width:100%;font-size:8pt;color:#555;text-align:center;'
    'font-family:sans-serif"><span class="pageNumber"></span></div>'
)

PRINT_CSS = """
@page { size: A4; }
html { font-size: 10pt; }
body { background: white; margin: 0; }
.book-pdf { max-width: none; margin: 0; padding: 0; }
.book-pdf section.pdf-page { break-before: page; }
.book-pdf h1, .book-pdf h2, .book-pdf h3, .book-pdf h4 { break-after: avoid; }
/* No font-size on headings here: with one, Chromium 156 doubles the heading's first line in
   the PDF's bookmarks. The theme's sizes scale with the html font size above. */
.book-pdf figure, .book-pdf .vega-chart, .book-pdf tr, .book-pdf .admonition { break-inside: avoid; }
.book-pdf .cell_output, .book-pdf .output, .book-pdf .table-wrapper,
.book-pdf .pst-scrollable-table-container, .book-pdf div.output_area {
  overflow: visible !important; max-height: none !important; }
.book-pdf table { width: 100% !important; max-width: 100%; table-layout: auto;
  font-size: 7.5pt !important; border-collapse: collapse; }
/* Lines in a cell break between words only (the site's tables may break anywhere: !important),
   so a column is as wide as its longest word; wide tables fit through their print layout
   (print_tables): prose under the rows, a grouping column as the heading of each group. */
.book-pdf th, .book-pdf td { white-space: normal !important; overflow-wrap: break-word !important;
  word-break: normal !important; hyphens: manual !important; min-width: 0 !important;
  padding: 1.5pt 2pt !important; }
.book-pdf thead { display: table-header-group; }
/* A finding's id (r-fig22-prepayment) stays on one line: it is a name, not words. */
.book-pdf td[data-label="finding"], .book-pdf th[data-label="finding"] { white-space: nowrap !important; }
.book-pdf tbody.pdf-row { break-inside: avoid; }
.book-pdf tr.pdf-has-text > th, .book-pdf tr.pdf-has-text > td,
.book-pdf tr.pdf-text:not(:last-child) > td { border-bottom: 0 !important; }
.book-pdf tr.pdf-has-text > * { padding-bottom: 0.5pt !important; }
.book-pdf tr.pdf-text > td { padding: 0 2pt 2pt 1.6em !important; color: #333; }
.book-pdf .pdf-label { font-style: italic; color: #555; }
.book-pdf thead tr:not(:last-child) > th { border-bottom: 0 !important; }
.book-pdf thead tr.pdf-text-head > th { font-weight: normal; font-style: italic; color: #555;
  padding-left: 1.6em !important; }
.book-pdf thead tr.pdf-group > th { font-size: 8.5pt; font-weight: 700; text-align: left;
  padding: 6pt 2pt 2pt !important; }
.book-pdf table.pdf-group-table { margin-bottom: 8pt; }
.book-pdf .vega-embed details, .book-pdf .vega-actions, .book-pdf select, .book-pdf input,
.book-pdf button, .book-pdf .ledger-filters, .book-pdf .headerlink, .book-pdf .toggle-button,
.book-pdf .copybtn, .book-pdf .chart-downloads { display: none !important; }
.book-pdf svg { max-width: 100%; height: auto; }
.book-pdf a { color: inherit; text-decoration: none; }
.book-pdf .title-page { height: 230mm; display: flex; flex-direction: column;
  justify-content: center; }
.book-pdf .title-page h1 { font-size: 28pt; margin-bottom: 4mm; }
.book-pdf .title-page p { font-size: 11pt; color: #333; max-width: 140mm; }
.book-pdf .title-page .author { font-size: 14pt; margin-bottom: 20mm; }
/* Shadows print as raster images: none anywhere. */
html body main.book-pdf, html body main.book-pdf * { box-shadow: none !important;
  text-shadow: none !important; }
.book-pdf nav.book-contents { break-before: page; background: none !important; border: 0 !important;
  padding: 0 !important; }
.book-pdf nav.book-contents ol { list-style: none; padding-left: 0; }
.book-pdf nav.book-contents li { display: flex; font-size: 11pt; margin: 3pt 0; }
.book-pdf nav.book-contents li .fill { flex: 1; border-bottom: 1px dotted #999; margin: 0 4pt 4pt; }
.book-pdf nav.book-contents li .num { min-width: 2.5em; text-align: right; }
.book-pdf nav.book-contents .part { font-weight: bold; margin-top: 10pt; display: block; }
"""


class PdfError(RuntimeError):
    """The PDF edition could not be built; the message says which page, table or tool."""


@dataclass
class BookPage:
    docname: str  # "chapters/npl_disposals"
    part: str  # caption of the _toc part, "" for the root page

    @property
    def slug(self) -> str:
        return self.docname.replace("/", "-")

    @property
    def url(self) -> str:
        return f"{self.docname}.html"


def toc_pages(toc: dict) -> list[BookPage]:
    """The pages of ``_toc.yml`` in reading order, each with the caption of its part."""
    found = [BookPage(toc["root"], "")]

    def walk(node, part):
        for key in ("chapters", "sections"):
            for entry in node.get(key, []) or []:
                if "file" in entry:
                    found.append(BookPage(entry["file"].removesuffix(".md"), part))
                walk(entry, part)

    for part in toc.get("parts", []) or []:
        walk(part, part.get("caption", ""))
    walk(toc, "")
    return found


# --------------------------------------------------------------------------- one document


def _page_article(path: Path):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article", class_="bd-article")
    if article is None:
        raise PdfError(f"{path}: no <article class='bd-article'>; is this a page of the built site?")
    return soup, article


def _strip_machinery(article) -> None:
    """Remove what only works on screen: code cells, permalink marks, filters, search box."""
    for selector in (
        "div.cell_input",
        "details.hide.above-input",
        "div.tag_parameters",
        "div.tag_remove-cell",
        "a.headerlink",
        ".ledger-filters",
        "#searchbox",
        "button",
    ):
        for node in article.select(selector):
            node.decompose()
    for details in article.find_all("details"):
        details["open"] = ""


def _rewrite(article, page: BookPage, slugs: dict[str, str], site_prefix: str) -> None:
    """Make ids unique, turn links between pages into links inside the book, fix asset URLs."""
    scripts = " ".join(s.get_text() for s in article.find_all("script"))
    for node in article.find_all(id=True):
        if node["id"] not in scripts:  # a chart's container is looked up by its id
            node["id"] = f"{page.slug}--{node['id']}"
    for attr in ("aria-labelledby", "aria-describedby", "for"):
        for node in article.find_all(attrs={attr: True}):
            value = node[attr] if isinstance(node[attr], str) else " ".join(node[attr])
            node[attr] = " ".join(f"{page.slug}--{v}" for v in value.split() if v not in scripts)
    base = posixpath.dirname(page.url)
    for link in article.find_all("a", href=True):
        href = link["href"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # http:, mailto: …: keep
            continue
        target, _, fragment = href.partition("#")
        if not target:
            link["href"] = f"#{page.slug}--{fragment}"
            continue
        resolved = posixpath.normpath(posixpath.join(base, target))
        if resolved.endswith(".html") and resolved[: -len(".html")] in slugs:
            slug = slugs[resolved[: -len(".html")]]
            link["href"] = f"#{slug}--{fragment}" if fragment else f"#{slug}"
        else:  # a download or a file of the site: it is not in the PDF
            del link["href"]
    for node in article.find_all(["img", "source"], src=True):
        if not re.match(r"^[a-z][a-z0-9+.-]*:", node["src"]):
            node["src"] = site_prefix + posixpath.normpath(posixpath.join(base, node["src"]))


PROSE_CHARS = 100
"""A text column with a cell at least this long is prose: a wide table prints it under its rows."""

WIDE_TABLE_COLUMNS = 8
"""Tables with at least this many columns get the print layout of :func:`print_tables`."""

GROUP_COLUMNS = ("chapter",)
"""A first column under one of these headers, whose values come in long runs, becomes the heading
of one printed table per run (:func:`_split_by_group`)."""


def _cell_text(cell) -> str:
    return " ".join(cell.get_text(" ", strip=True).split())


def _classes(node) -> list[str]:
    value = node.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def _grid(table):
    """(thead, header cells, body rows, cells of each body row) of a plain table, else None: one
    header row, every body row as many cells as the header, no cell spanning rows or columns."""
    head = table.find("thead", recursive=False)
    if head is None or len(head.find_all("tr", recursive=False)) != 1:
        return None
    heads = head.tr.find_all(["th", "td"], recursive=False)
    rows = [
        tr for body in table.find_all("tbody", recursive=False) for tr in body.find_all("tr", recursive=False)
    ]
    cells = [tr.find_all(["th", "td"], recursive=False) for tr in rows]
    if not rows or any(len(c) != len(heads) for c in cells):
        return None
    if any(c.get("colspan") or c.get("rowspan") for row in [heads, *cells] for c in row):
        return None
    return head, heads, rows, cells


def _prose_under_rows(table, soup) -> bool:
    """Print the prose columns of a wide ``table`` (a text column with a cell of
    :data:`PROSE_CHARS` characters or more) under their row, across the table's width.

    Each row becomes a ``<tbody class="pdf-row">`` (kept on one page) holding the row without its
    prose cells and one ``<tr class="pdf-text">`` per prose cell that is not empty. One prose
    column is named once, in a second header row; several are named on each line. Returns
    whether the table changed.
    """
    grid = _grid(table)
    if grid is None:
        return False
    head, heads, rows, cells = grid
    if len(heads) < WIDE_TABLE_COLUMNS:
        return False
    prose = [
        i
        for i, th in enumerate(heads)
        if "num" not in _classes(th) and max(len(_cell_text(row[i])) for row in cells) >= PROSE_CHARS
    ]
    if not prose or len(prose) == len(heads):
        return False
    span = str(len(heads) - len(prose))
    labels = [_cell_text(heads[i]) for i in prose]
    for i in prose:
        heads[i].decompose()
    if len(prose) == 1:
        line = soup.new_tag("tr", attrs={"class": "pdf-text-head"})
        th = soup.new_tag("th", attrs={"colspan": span, "scope": "colgroup"})
        th.string = labels[0]
        line.append(th)
        head.append(line)
    bodies = []
    for tr, row in zip(rows, cells):
        body = soup.new_tag("tbody", attrs={"class": "pdf-row"})
        moved = [(label, row[i]) for label, i in zip(labels, prose) if _cell_text(row[i]) not in ("", "–")]
        for i in prose:
            row[i].extract()
        body.append(tr.extract())
        for label, cell in moved:
            line = soup.new_tag("tr", attrs={"class": "pdf-text"})
            td = soup.new_tag("td", attrs={"colspan": span})
            if len(prose) > 1:
                name = soup.new_tag("span", attrs={"class": "pdf-label"})
                name.string = label
                td.append(name)
                td.append(" ")
            for child in list(cell.contents):
                td.append(child.extract())
            line.append(td)
            body.append(line)
        if moved:
            tr["class"] = _classes(tr) + ["pdf-has-text"]
        bodies.append(body)
    for body in table.find_all("tbody", recursive=False):
        body.decompose()
    for body in bodies:
        table.append(body)
    table["class"] = _classes(table) + ["pdf-rows-with-text"]
    return True


def _split_by_group(table, soup) -> bool:
    """A table laid out by :func:`_prose_under_rows` whose first column is a group
    (:data:`GROUP_COLUMNS`, such as the ledger's chapter) with at least four rows a run on
    average: one table per run, the group's value named in the first header row, which Chromium
    repeats on every page the table runs onto. Returns whether the table was split."""
    if "pdf-rows-with-text" not in _classes(table):
        return False
    head = table.find("thead", recursive=False)
    heads = head.tr.find_all(["th", "td"], recursive=False)
    if not heads or _cell_text(heads[0]) not in GROUP_COLUMNS:
        return False
    bodies = table.find_all("tbody", recursive=False)
    runs: list[tuple[str, list]] = []
    for body in bodies:
        value = _cell_text(body.tr.find(["th", "td"], recursive=False))
        if not runs or runs[-1][0] != value:
            runs.append((value, []))
        runs[-1][1].append(body)
    if len(runs) * 4 > len(bodies):
        return False
    label = _cell_text(heads[0])
    heads[0].decompose()
    for th in head.find_all("th", colspan=True):
        th["colspan"] = str(int(th["colspan"]) - 1)
    width = len(head.tr.find_all(["th", "td"], recursive=False))
    for body in bodies:
        for tr in body.find_all("tr", recursive=False):
            if "pdf-text" in _classes(tr):
                tr.td["colspan"] = str(width)
                continue
            first = tr.find(["th", "td"], recursive=False)
            first.decompose()
            now_first = tr.find(["th", "td"], recursive=False)
            if now_first is not None and now_first.name == "td":  # the row's label moves along
                now_first.name = "th"
                now_first["scope"] = "row"
    tables = []
    for value, members in runs:
        part = soup.new_tag("table", attrs={"class": _classes(table) + ["pdf-group-table"]})
        part_head = soup.new_tag("thead")
        group = soup.new_tag("tr", attrs={"class": "pdf-group"})
        th = soup.new_tag("th", attrs={"colspan": str(width), "scope": "colgroup"})
        th.string = f"{label}: {value}"
        group.append(th)
        part_head.append(group)
        for tr in head.find_all("tr", recursive=False):
            part_head.append(copy.copy(tr))
        part.append(part_head)
        for body in members:
            part.append(body.extract())
        tables.append(part)
    table.replace_with(*tables)
    return True


def print_tables(article, soup) -> int:
    """Lay out the wide tables of ``article`` for the printed column, where a table must fit and
    its words may not be broken (:data:`PRINT_CSS` breaks cells between words only): prose
    columns printed under their rows (:func:`_prose_under_rows`), a grouping first column made
    the heading of one table per group (:func:`_split_by_group`). Nothing is left out, and the
    site's own tables are not touched. Returns the number of tables changed."""
    changed = 0
    for table in article.find_all("table"):
        if _prose_under_rows(table, soup):
            changed += 1
            _split_by_group(table, soup)
    return changed


def _stylesheets(soup, page: BookPage, site_prefix: str) -> list[str]:
    base = posixpath.dirname(page.url)
    hrefs = []
    for link in soup.find_all("link", rel="stylesheet"):
        href = link["href"].split("?")[0]
        hrefs.append(site_prefix + posixpath.normpath(posixpath.join(base, href)))
    return hrefs


def page_title(path: Path) -> str:
    """The title of a built page as the PDF prints it: its ``h1``, section number included."""
    _, article = _page_article(path)
    _strip_machinery(article)
    return _heading_text(article)


def _heading_text(article) -> str:
    h1 = article.find("h1")
    return " ".join(h1.get_text(" ", strip=True).split()) if h1 else ""


def _article_part(path: Path, page: BookPage, slugs: dict[str, str], site_prefix: str) -> dict:
    """One page of the print document: its article made printable (:func:`_strip_machinery`,
    :func:`_rewrite`), its heading, and the stylesheets and vega scripts its head links."""
    soup, article = _page_article(path)
    styles = _stylesheets(soup, page, site_prefix)
    base = posixpath.dirname(page.url)
    scripts = [
        site_prefix + posixpath.normpath(posixpath.join(base, script["src"].split("?")[0]))
        for script in soup.find_all("script", src=True)
        if "vega" in script["src"]
    ]
    _strip_machinery(article)
    _rewrite(article, page, slugs, site_prefix)
    print_tables(article, soup)
    return {
        "styles": styles,
        "scripts": scripts,
        "heading": _heading_text(article),
        "body": article.decode_contents(),
    }


def _article_job(args) -> dict:
    return _article_part(*args)


def _article_key(data: bytes, page: BookPage, slugs: dict[str, str], site_prefix: str) -> str:
    """What a page's prepared article is a function of: its HTML, the book's pages (links between
    them), the URL prefix, and this module's code."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(json.dumps([page.docname, page.part, slugs, site_prefix], sort_keys=True).encode())
    h.update(data)
    return h.hexdigest()


def _articles(site: Path, pages: list[BookPage], slugs: dict[str, str], site_prefix: str, cache: Path | None):
    """Every page's :func:`_article_part`, in order.

    With ``cache`` (a folder), a page whose HTML, page list and URL prefix are as at the last
    print is taken from ``cache/articles.json`` rather than parsed again (a prose edit re-parses
    one page, not the book). Pages to parse are shared between two processes when there are
    several (parsing is most of the time).
    """
    stored = {}
    store = cache / "articles.json" if cache is not None else None
    if store is not None and store.exists():
        try:
            stored = json.loads(store.read_text(encoding="utf-8"))
        except ValueError:
            stored = {}
    keys = [_article_key((site / page.url).read_bytes(), page, slugs, site_prefix) for page in pages]
    parts: list[dict | None] = [
        stored.get(page.slug, {}).get("part") if stored.get(page.slug, {}).get("key") == key else None
        for page, key in zip(pages, keys)
    ]
    missing = [i for i, part in enumerate(parts) if part is None]
    jobs = [(site / pages[i].url, pages[i], slugs, site_prefix) for i in missing]
    if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
        import concurrent.futures
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            made = list(pool.map(_article_job, jobs))
    else:
        made = [_article_part(*job) for job in jobs]
    for i, part in zip(missing, made):
        parts[i] = part
    if store is not None and missing:
        store.parent.mkdir(parents=True, exist_ok=True)
        tmp = store.with_name(f".articles.{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps(
                {page.slug: {"key": key, "part": part} for page, key, part in zip(pages, keys, parts)}
            ),
            encoding="utf-8",
        )
        os.replace(tmp, store)
    return parts


def combined_html(
    site: Path,
    toc: dict,
    title: str,
    author: str,
    front: str = "",
    page_numbers: dict | None = None,
    site_prefix: str = "/html/",
    cache: Path | None = None,
) -> tuple[str, list[tuple[BookPage, str]]]:
    """One HTML document with a title page, the contents and every page's article.

    ``site_prefix`` is the URL path under which the built site is served to the printer;
    ``page_numbers`` maps a page's slug to its first page (from a first print), or is None.
    ``cache``, a folder, keeps each page's prepared article keyed by the page's bytes (see
    :func:`_articles`). Returns the document and the (page, heading) list of the contents.
    """
    pages = toc_pages(toc)
    slugs = {p.docname: p.slug for p in pages}
    for page in pages:
        if not (site / page.url).is_file():
            raise PdfError(f"{page.url}: listed in _toc.yml but not in the built site {site}")
    parts = _articles(site, pages, slugs, site_prefix, cache)
    styles, scripts = parts[0]["styles"], parts[0]["scripts"]
    headings = [(page, part["heading"]) for page, part in zip(pages, parts)]
    bodies = [
        f'<section class="pdf-page" id="{page.slug}">{part["body"]}</section>'
        for page, part in zip(pages, parts)
    ]
    numbers = page_numbers or {}
    items, part = [], None
    for page, heading in headings:
        if page.part != part and page.part:
            items.append(f'<li><span class="part">{html_lib.escape(page.part)}</span></li>')
        part = page.part
        num = numbers.get(page.slug, "")
        items.append(
            f'<li><a href="#{page.slug}">{html_lib.escape(heading)}</a><span class="fill"></span>'
            f'<span class="num" data-slug="{page.slug}">{num}</span></li>'
        )
    head = "\n".join(f'<link rel="stylesheet" href="{h}">' for h in styles)
    head += "\n" + "\n".join(f'<script src="{s}"></script>' for s in scripts)
    document = f"""<!DOCTYPE html>
<html lang="en" data-theme="light" data-mode="light">
<head><meta charset="utf-8"><title>{html_lib.escape(title)}</title>
{head}
<style>{PRINT_CSS}</style>
</head>
<body><main class="book-pdf bd-article">
<section class="title-page" id="title-page"><h1>{html_lib.escape(title)}</h1>
<p class="author">{html_lib.escape(author)}</p>{front}</section>
<nav class="book-contents" aria-label="Contents"><h1 id="contents">Contents</h1><ol>
{"".join(items)}
</ol></nav>
{"".join(bodies)}
</main></body></html>
"""
    return document, headings


# --------------------------------------------------------------------------- printing

TABLES_TOO_WIDE = """() => {
  const column = document.querySelector('main.book-pdf').getBoundingClientRect();
  const out = [];
  for (const t of document.querySelectorAll('main.book-pdf table')) {
    const box = t.getBoundingClientRect();
    if (box.right > column.right + 1 || t.scrollWidth > t.clientWidth + 1) {
      const page = t.closest('section.pdf-page');
      const th = t.querySelector('th, td');
      out.push([page ? page.id : '?', th ? th.textContent.trim() : '', Math.round(box.width)]);
    }
  }
  return out;
}"""

WORDS_BROKEN = r"""(scope) => {
  // Every word of a table cell (of the tables under ``scope``: the print document's by default,
  // 'article.bd-article' on a site page) that a line break splits where no break belongs. A word
  // is what lies between white space; it may end a line only after a hyphen, a dash, a slash or an
  // underscore (a data name: bank_share_of_bank_consumer), or beside a Chinese character. Returns
  // [page or section, word, the two letters split] for each.
  scope = scope || 'main.book-pdf';  // without an argument Playwright passes null
  const allowed = (a, b) => /[-\u2010\u2011\u2013\u2014\/_]/.test(a)
    || /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/.test(a + b);
  const range = document.createRange();
  const rects = (node, start, end) => { range.setStart(node, start); range.setEnd(node, end);
    return [...range.getClientRects()].filter(r => r.width > 0 || r.height > 0); };
  const out = [];
  for (const cell of document.querySelectorAll(`${scope} table th, ${scope} table td`)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (rects(node, 0, node.data.length).length < 2) continue;  // on one line
      for (const m of node.data.matchAll(/\S{2,}/g)) {
        const parts = rects(node, m.index, m.index + m[0].length);
        if (parts.every(r => r.top < parts[0].bottom - 1)) continue;  // the word is on one line
        let prev = null;
        for (let i = m.index; i < m.index + m[0].length; i++) {
          const box = rects(node, i, i + 1)[0];
          if (!box) continue;
          if (prev && box.top >= prev.box.bottom - 1 && !allowed(node.data[prev.i], node.data[i])) {
            const page = cell.closest('section.pdf-page, section[id]');
            out.push([page ? page.id : '?', m[0], node.data[prev.i] + '|' + node.data[i]]);
          }
          prev = {box, i};
        }
      }
    }
  }
  return out;
}"""

CHARTS_DRAWN = """() => [...document.querySelectorAll('.vega-chart')].every(e => e.querySelector('svg'))"""

HEADINGS = """() => [...document.querySelectorAll(
    'main.book-pdf h1, main.book-pdf h2, main.book-pdf h3, main.book-pdf h4, main.book-pdf h5, main.book-pdf h6')]
  .filter(h => h.getClientRects().length > 0)
  .map(h => h.textContent.replace(/\\s+/g, ' ').trim())"""

FILL_CONTENTS = """(numbers) => {
  for (const [slug, number] of Object.entries(numbers)) {
    const cell = document.querySelector(`nav.book-contents .num[data-slug="${slug}"]`);
    if (cell) cell.textContent = String(number);
  }
}"""

# A4 is 210 mm wide; less the left and right margins, the text column is 176 mm = 665 CSS px.
TEXT_WIDTH_PX = round((210 - 17 - 17) / 25.4 * 96)

PDF_OPTIONS = {
    "format": PAGE_FORMAT,
    "margin": MARGIN,
    "print_background": True,
    "display_header_footer": True,
    "header_template": "<span></span>",
    "footer_template": FOOTER,
    "outline": True,  # bookmarks from the headings (needs the tagged PDF)
    "tagged": True,
}


DRAFT_OPTIONS = {**PDF_OPTIONS, "outline": False, "tagged": False}
"""A draft's options: the same layout, no tags or bookmarks (:func:`destination_page_numbers`)."""


def _serve(directory: Path):
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _launch(playwright):
    if not Path(CHROMIUM).exists():
        raise PdfError(
            f"the PDF edition is printed by Debian's chromium, not found at {CHROMIUM}: run `make system-packages`"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


def open_document(browser, url: str, text_width_px: int = TEXT_WIDTH_PX):
    """Load the print document in ``browser`` as it will print; :class:`PdfError` on a wide table.

    Waits for every chart to be drawn and the web fonts to load, then measures every table at
    the printed width of the text column.
    """
    from playwright.sync_api import Error as PlaywrightError

    page = browser.new_page(viewport={"width": text_width_px, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.emulate_media(media="print")
    page.goto(url, wait_until="load", timeout=300_000)
    try:
        page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
    except PlaywrightError:
        raise PdfError(
            f"charts did not draw in the print document ({'; '.join(errors) or 'no script error'})"
        ) from None
    page.evaluate("document.fonts.ready.then(() => true)")
    wide = page.evaluate(TABLES_TOO_WIDE)
    if wide:
        raise PdfError(
            "tables wider than the printed page (they would lose columns):\n  "
            + "\n  ".join(
                f"{slug}: table starting '{first}' is {width}px, the column {text_width_px}px"
                for slug, first, width in wide
            )
        )
    return page


def print_pdf(url: str, output: Path, text_width_px: int = TEXT_WIDTH_PX) -> list[str]:
    """Print the document at ``url`` to ``output`` once; return its headings in document order."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = open_document(browser, url, text_width_px)
            page.pdf(path=str(output), **PDF_OPTIONS)
            return page.evaluate(HEADINGS)
        finally:
            browser.close()


def print_book(
    url: str,
    draft: Path,
    output: Path,
    headings: list[tuple[BookPage, str]],
    guess: dict[str, int] | None = None,
) -> tuple[dict[str, int], list[str]]:
    """Print from one loaded document until the contents show the page numbers the PDF has.

    The contents are first filled with ``guess`` (the numbers of the last print, or none) and
    printed; when the PDF's own page numbers are the ones shown, that print is the book (one
    print, as after an edit that moves no chapter's first page). Otherwise it was a draft: its
    numbers are written in and the document printed again, and the numbers must then hold (the
    contents keep their length, so no page moves; this is checked). Returns the page numbers (by
    page slug) the contents show, and the document's headings in order (for :func:`finish_pdf`,
    which gives the bookmarks their exact text).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = open_document(browser, url)
            if guess:
                page.evaluate(FILL_CONTENTS, guess)
                page.pdf(path=str(output), **PDF_OPTIONS)
                numbers = contents_page_numbers(output, headings)
                if numbers == guess:
                    print(
                        "PDF edition: printed once (the contents' page numbers hold as last printed)",
                        flush=True,
                    )
                    return numbers, page.evaluate(HEADINGS)
                draft.write_bytes(output.read_bytes())
            else:
                # Nothing to guess from: a draft, untagged (it prints in about half the time),
                # whose page numbers come from the named destinations of the contents' links.
                page.pdf(path=str(draft), **DRAFT_OPTIONS)
                numbers = destination_page_numbers(draft, headings)
            page.evaluate(FILL_CONTENTS, numbers)
            page.pdf(path=str(output), **PDF_OPTIONS)
            texts = page.evaluate(HEADINGS)
            print("PDF edition: printed twice (a draft for the contents' page numbers)", flush=True)
        finally:
            browser.close()
    if contents_page_numbers(output, headings) != numbers:
        raise PdfError("the page numbers in the contents moved between the two prints")
    return numbers, texts


def _outline_refs(node):
    """References to the outline items under ``node`` (a pypdf dictionary), depth first, in order."""
    ref = node.raw_get("/First") if "/First" in node else None
    while ref is not None:
        item = ref.get_object()
        yield ref, item
        yield from _outline_refs(item)
        ref = item.raw_get("/Next") if "/Next" in item else None


def _serialize(obj) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def finish_pdf(path: Path, headings: list[str], metadata: dict[str, str]) -> None:
    """Give each bookmark its heading's exact text, open the bookmarks pane, set the metadata.

    Written as an incremental update (the changed objects and a new cross-reference section
    appended to the file, as PDF allows): rewriting the whole tagged file with pypdf takes
    minutes, this takes about a second.
    """
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject

    original = path.read_bytes()
    reader = PdfReader(io.BytesIO(original))
    trailer = reader.trailer
    changed = {}
    root_ref = trailer.raw_get("/Root")
    root = root_ref.get_object()
    if "/Outlines" in root:
        position = 0
        for ref, item in _outline_refs(root["/Outlines"]):
            title = _squash(str(item.get("/Title", "")))
            for index in range(position, len(headings)):
                if _squash(headings[index]) == title:
                    item[NameObject("/Title")] = TextStringObject(headings[index])
                    changed[ref.idnum] = item
                    position = index + 1
                    break
        root[NameObject("/PageMode")] = NameObject("/UseOutlines")
        changed[root_ref.idnum] = root
    info_ref = trailer.raw_get("/Info")
    info = info_ref.get_object()
    for key, value in metadata.items():
        info[NameObject(key)] = TextStringObject(value)
    changed[info_ref.idnum] = info
    startxref = re.findall(rb"startxref\s+(\d+)", original[-2048:])
    if not startxref or b"/XRef" in original[int(startxref[-1]) : int(startxref[-1]) + 200]:
        raise PdfError(f"{path}: not a PDF with a classic cross-reference table; cannot update it")
    out = bytearray(original if original.endswith(b"\n") else original + b"\n")
    offsets = {}
    for idnum, obj in sorted(changed.items()):
        offsets[idnum] = len(out)
        out += f"{idnum} 0 obj\n".encode() + _serialize(obj) + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n" + b"".join(f"{n} 1\n{offsets[n]:010d} 00000 n \n".encode() for n in sorted(offsets))
    new_trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(int(trailer["/Size"])),
            NameObject("/Root"): root_ref,
            NameObject("/Info"): info_ref,
            NameObject("/Prev"): NumberObject(int(startxref[-1])),
        }
    )
    out += b"trailer\n" + _serialize(new_trailer) + f"\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def heading_pages(pdf: Path) -> list[tuple[str, int]]:
    """Top-level bookmarks of ``pdf`` (the ``h1`` headings) with their 1-based page numbers."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    return [
        (" ".join(item.title.split()), reader.get_destination_page_number(item) + 1)
        for item in reader.outline
        if not isinstance(item, list)
    ]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def contents_page_numbers(pdf: Path, headings: list[tuple[BookPage, str]]) -> dict[str, int]:
    """Map each page's slug to the PDF page where its heading starts (from the bookmarks)."""
    outline = heading_pages(pdf)
    numbers, position = {}, 0
    for page, heading in headings:
        for index in range(position, len(outline)):
            if _squash(outline[index][0]) == _squash(heading):
                numbers[page.slug] = outline[index][1]
                position = index + 1
                break
        else:
            raise PdfError(f"{page.url}: heading {heading!r} is not among the PDF's bookmarks")
    return numbers


def destination_page_numbers(pdf: Path, headings: list[tuple[BookPage, str]]) -> dict[str, int]:
    """Map each page's slug to the PDF page of its named destination: the contents link to every
    page's section (``#slug``), and Chromium writes a named destination for each link target,
    tagged or not. The section starts a printed page, so that is the page of its heading."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    destinations = reader.named_destinations
    numbers = {}
    for page, _ in headings:
        target = destinations.get(f"/{page.slug}")
        if target is None:
            raise PdfError(f"{page.url}: the draft has no destination for its section #{page.slug}")
        numbers[page.slug] = reader.get_destination_page_number(target) + 1
    return numbers


def title_page_note(config: dict) -> str:
    """The title page's lines under the title and author: edition and how to cite."""
    title = config.get("title", "")
    author = config.get("author", "")
    year = str(config.get("copyright", ""))
    return (
        '<p class="edition">PDF edition of the website, printed from the same build.</p>'
        f'<p class="cite"><strong>How to cite:</strong> {html_lib.escape(author)} ({html_lib.escape(year)}). '
        f"<em>{html_lib.escape(title)}</em>: an executable research book. PDF edition. "
        "Text licensed CC BY 4.0, code MIT (see LICENSE and CITATION.cff in the repository).</p>"
    )


def build_pdf(html_dir: Path, toc: dict, config: dict, work: Path, force: bool = False) -> Path | None:
    """Print the built site ``html_dir`` to ``html_dir/book.pdf``; skipped when the site is unchanged.

    Returns the PDF's path, or None if it was up to date. The print document is kept as
    ``work/book.html`` (the tests measure it).
    """
    output = html_dir / PDF_NAME
    digest = _site_digest(html_dir)
    stamp = work / "book.pdf.sha256"
    if not force and output.exists() and stamp.exists() and stamp.read_text() == digest:
        return None
    stamp.unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    title, author = config.get("title", "Book"), config.get("author", "")
    # Serve the directory holding both the site and the print document, so the document
    # reaches the site's stylesheets, fonts and scripts over http (web fonts need it).
    root = Path(os.path.commonpath([html_dir.resolve(), work.resolve()]))
    site_prefix = "/" + html_dir.resolve().relative_to(root).as_posix() + "/"
    document_path = work.resolve() / "book.html"
    document, headings = combined_html(
        html_dir, toc, title, author, title_page_note(config), None, site_prefix, cache=work
    )
    document_path.write_text(document, encoding="utf-8")
    numbers_path = work / "contents-numbers.json"
    guess = _read_numbers(numbers_path, [page.slug for page, _ in headings])
    numbers_path.unlink(missing_ok=True)
    server = _serve(root)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{document_path.relative_to(root).as_posix()}"
        numbers, texts = print_book(url, work / "draft.pdf", work / PDF_NAME, headings, guess)
    finally:
        server.shutdown()
        server.server_close()
    document_path.write_text(fill_contents(document, numbers), encoding="utf-8")
    finish_pdf(
        work / PDF_NAME,
        texts,
        {
            "/Title": title,
            "/Author": author,
            "/Subject": BOOK_SUBJECT,
            "/Keywords": "China; non-performing loans; banks; housing; mortgages",
        },
    )
    # into the site under a temporary name, then renamed: a reader never gets half a PDF
    partial = output.with_name(f".{output.name}.partial")
    shutil.copyfile(work / PDF_NAME, partial)
    os.replace(partial, output)
    numbers_path.write_text(json.dumps(numbers, sort_keys=True))
    stamp.write_text(digest)
    return output


def _read_numbers(path: Path, slugs: list[str]) -> dict[str, int] | None:
    """The contents' page numbers of the last print, if they are for the same pages; else None."""
    try:
        numbers = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(numbers, dict) or sorted(numbers) != sorted(slugs):
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in numbers.values()):
        return None
    return numbers


BOOK_SUBJECT = "An executable research book on China's bank bad-loan cycle (PDF edition)"


def fill_contents(document: str, numbers: dict[str, int]) -> str:
    """``document`` with the contents' page numbers written in (as the second print shows them)."""
    return re.sub(
        r'<span class="num" data-slug="([^"]+)"></span>',
        lambda m: f'<span class="num" data-slug="{m.group(1)}">{numbers.get(m.group(1), "")}</span>',
        document,
    )


SITE_SUFFIXES = (".html", ".css", ".js", ".woff2", ".svg", ".png", ".jpg")


def _site_digest(html_dir: Path) -> str:
    """SHA-256 over the site files the print document uses, and this module's own source."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(html_dir.rglob("*")):
        if path.is_file() and path.suffix in SITE_SUFFIXES and "_sources" not in path.parts:
            h.update(path.relative_to(html_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
