"""Downloads that work, and a book that can be cited.

* The data package zip validates with frictionless after download, as a reader would run it.
* The site's CSVs carry a UTF-8 byte-order mark (spreadsheets then read the Chinese labels).
* Each chart offers its data as CSV and exports images under its own name at print resolution.
* Every page has a favicon that loads, a meta description, a how-to-cite note and a link to
  the PDF edition; the repository has CITATION.cff and licence files for code and text.
"""

from __future__ import annotations

import base64
import codecs
import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import settle

from helpers.build import downloads, page_extras

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"

built = pytest.mark.skipif(not (SITE / "index.html").exists(), reason="no built site: run `make book` first")


def site_pages() -> list[Path]:
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts)


def book_pages() -> list[Path]:
    """The pages of the book itself (not Sphinx's index and search pages)."""
    return [p for p in site_pages() if p.parent.name in ("chapters", "back")]


# --------------------------------------------------------------------------- data package zip


def test_zip_of_the_data_package_validates_after_unzipping(tmp_path):
    from frictionless import validate

    data = downloads.data_package_zip(ROOT / "data", ROOT / "seeds")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        assert res["path"] in names and not res["path"].startswith(("/", ".."))
    assert "README.txt" in names and any(n.startswith("seeds/") for n in names)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_zip_is_byte_stable():
    first = downloads.data_package_zip(ROOT / "data", ROOT / "seeds")
    assert first == downloads.data_package_zip(ROOT / "data", ROOT / "seeds")


def test_a_broken_table_in_the_zip_fails_validation(tmp_path):
    """The validation above can fail: a text cell in a number column is reported."""
    from frictionless import validate

    data = downloads.data_package_zip(ROOT / "data", ROOT / "seeds")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    res = next(
        r for r in descriptor["resources"] if any(f["type"] == "number" for f in r["schema"]["fields"])
    )
    field = next(f["name"] for f in res["schema"]["fields"] if f["type"] == "number")
    path = tmp_path / res["path"]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0][field] = "3.8trn"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(downloads.spreadsheet_csv(out.getvalue().encode("utf-8")))
    assert not validate(tmp_path / "datapackage.json").valid


def test_spreadsheet_csv_adds_one_byte_order_mark():
    assert downloads.spreadsheet_csv(b"a,b\n") == codecs.BOM_UTF8 + b"a,b\n"
    assert downloads.spreadsheet_csv(codecs.BOM_UTF8 + b"a\n") == codecs.BOM_UTF8 + b"a\n"


@built
def test_site_offers_the_zip_and_csvs_for_spreadsheets():
    offered = list((SITE / "_downloads").rglob(downloads.ZIP_NAME))
    assert len(offered) == 1, "the data catalogue links data-package.zip"
    assert offered[0].read_bytes() == downloads.data_package_zip(ROOT / "data", ROOT / "seeds")
    assert downloads.ZIP_NAME in (SITE / "back" / "data.html").read_text(encoding="utf-8")
    for path in (SITE / "_downloads").rglob("*.csv"):
        raw = path.read_bytes()
        assert raw.startswith(codecs.BOM_UTF8), f"{path.name} has no byte-order mark"
        raw.decode("utf-8-sig")


# --------------------------------------------------------------------------- chart downloads


def test_chart_files_are_named_after_the_chart_title():
    from helpers.book import chart_downloads

    spec = {
        "vconcat": [{"title": "Bad loans on the same loan book at three NPL ratios", "mark": "bar"}],
        "title": {"text": "Source: x", "orient": "bottom"},
        "description": "Bar chart",
    }
    assert chart_downloads.file_stem(spec) == "bad-loans-on-the-same-loan-book-at-three-npl"
    assert chart_downloads.file_stem({"description": "不良 Line chart of rents"}) == "line-chart-of-rents"
    assert chart_downloads.file_stem({}) == "chart"
    options = chart_downloads.embed_options(spec)
    assert options["scaleFactor"]["png"] >= 4 and options["downloadFileName"].startswith("bad-loans")


def test_chart_csv_holds_every_dataset_row():
    from helpers.book import chart_downloads

    spec = {"datasets": {"a": [{"year": 2024, "城市": "北京", "v": 1.5}], "b": [{"year": 2025, "w": None}]}}
    rows = list(csv.reader(io.StringIO(chart_downloads.chart_csv(spec))))
    assert rows == [
        ["dataset", "year", "城市", "v", "w"],
        ["1", "2024", "北京", "1.5", ""],
        ["2", "2025", "", "", ""],
    ]
    link = chart_downloads.data_link_html({"description": "rents", "data": {"values": [{"x": 1}]}})
    href = re.search(r'href="([^"]+)"', link).group(1)
    assert 'download="rents.csv"' in link
    assert href.startswith("data:text/csv;charset=utf-8;base64,")
    assert base64.b64decode(href.split(",", 1)[1]).decode("utf-8") == "\ufeffx\r\n1\r\n"


# `server` and `browser`: the session's shared fixtures (tests/conftest.py)


@built
def test_every_chart_offers_its_data():
    for path in book_pages():
        text = path.read_text(encoding="utf-8")
        charts = len(re.findall(r'class="vega-chart"', text))
        links = len(re.findall(r'class="chart-data" download="[a-z0-9-]+\.csv"', text))
        assert links == charts, f"{path.name}: {charts} charts, {links} data links"


@built
@pytest.mark.browser
def test_reader_saves_a_chart_as_csv_and_as_a_print_resolution_png(server, browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(server + "chapters/npl_disposals.html")
    # a chart is drawn as SVG in the page and becomes interactive when a reader points at it
    container = page.locator(".vega-chart").first
    container.scroll_into_view_if_needed()
    container.hover()
    chart = container.locator(".vega-embed").first
    chart.locator("svg").first.wait_for(state="attached", timeout=30_000)
    drawn_width = chart.locator("svg").first.bounding_box()["width"]
    with page.expect_download(timeout=15_000) as info:
        page.locator("a.chart-data").first.click()
    csv_name, csv_bytes = info.value.suggested_filename, Path(info.value.path()).read_bytes()
    chart.locator("details > summary").click()
    with page.expect_download(timeout=15_000) as info:
        chart.locator("a", has_text="PNG").click()
    png_name, png = info.value.suggested_filename, Path(info.value.path()).read_bytes()
    context.close()
    assert csv_name.endswith(".csv") and csv_name != "visualization.csv"
    assert csv_bytes.startswith(codecs.BOM_UTF8) and len(csv_bytes.decode("utf-8-sig").splitlines()) >= 2
    assert png_name == csv_name.replace(".csv", ".png")
    width = int.from_bytes(png[16:20], "big")  # PNG IHDR width
    assert width >= 3.5 * drawn_width, f"PNG is {width} px for a chart drawn {drawn_width} px wide"


# --------------------------------------------------------------------------- citable


@built
@pytest.mark.parametrize("path", book_pages() if SITE.exists() else [], ids=lambda p: p.name)
def test_page_has_favicon_description_cite_note_and_pdf_link(path):
    text = path.read_text(encoding="utf-8")
    icon = re.search(r'<link rel="icon" href="([^"]+)"', text)
    assert icon, "no favicon link"
    assert (path.parent / icon.group(1).split("?")[0]).resolve().is_file()
    description = re.search(r'<meta name="description" content="([^"]*)"', text)
    assert description and 50 <= len(description.group(1)) <= page_extras.DESCRIPTION_LENGTH
    assert "How to cite:" in text
    pdf_link = re.search(r'<a href="([^"]*book\.pdf)"[^>]*\n?\s*class="[^"]*btn-download-pdf-button', text)
    assert pdf_link, "the download menu does not link the PDF edition"
    assert (path.parent / pdf_link.group(1)).resolve() == (SITE / "book.pdf").resolve()
    assert (SITE / "book.pdf").is_file()
    assert "window.print()" not in text


@built
def test_descriptions_differ_between_pages():
    found = [
        re.search(r'<meta name="description" content="([^"]*)"', p.read_text(encoding="utf-8"))
        for p in book_pages()
    ]
    descriptions = [m.group(1) for m in found if m]
    assert len(set(descriptions)) == len(descriptions)


@built
@pytest.mark.browser
def test_no_request_fails_on_a_page_favicon_included(server, browser):
    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.goto(server + "chapters/housing_market.html")
    settle(page)
    icon = page.evaluate("fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)")
    page.close()
    assert not failed
    assert icon == 200


def test_meta_description_is_the_first_paragraph_cut_at_a_word():
    body = "<h1>T</h1><p>Short.</p><p>In the last quarter of 2025 <em>Chinese</em> banks &amp; others sold bad loans.</p>"
    assert (
        page_extras.first_paragraph(body)
        == "In the last quarter of 2025 Chinese banks & others sold bad loans."
    )
    long = "word " * 100
    cut = page_extras.shorten(long.strip())
    assert len(cut) <= page_extras.DESCRIPTION_LENGTH and cut.endswith("…") and " wor…" not in cut


def test_repository_is_citable_and_licensed():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"].startswith("1.2")
    assert cff["title"] and cff["authors"] and cff["message"]
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    text = (ROOT / "LICENSE-TEXT").read_text(encoding="utf-8")
    assert "MIT License" in code and "Permission is hereby granted" in code
    assert "Attribution 4.0 International" in text and "Section 1 -- Definitions" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "MIT" in readme and "CITATION.cff" in readme
