"""What each chart offers a reader to take away: its data as CSV, its image under a real name.

:func:`file_stem` names a chart's files after its title ("bad-loans-on-the-same-loan-book-at-
three-npl-ratios"), not vega-embed's default "visualization". :func:`embed_options` makes the
chart's "Save as PNG / SVG" menu use that name and export PNG at :data:`PNG_SCALE` times the
drawn size (a 440 px chart becomes 1,760 px, about 300 dpi across a 6-inch print column).
:func:`data_link_html` is a "Data (CSV)" link carrying the chart's own data inside the page (a
base64 ``data:`` URL: it works offline and without JavaScript, and needs no file beside the
page), written with a UTF-8 byte-order mark so that spreadsheets read the Chinese labels.

``helpers.book.charts.chart_html`` calls :func:`embed_options` and :func:`data_link_html`.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import unicodedata

PNG_SCALE = 4
MAX_WORDS = 10


def _title_text(title) -> str:
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return str(title or "")


def _first_title(spec: dict) -> str:
    """The first chart title found in ``spec`` (its own, then its sub-charts'), source lines aside."""
    own = spec.get("title")
    if own and not (isinstance(own, dict) and own.get("orient") == "bottom"):
        return _title_text(own)
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for part in spec.get(key, []) or []:
            found = _first_title(part)
            if found:
                return found
    return ""


def slug(text: str, max_words: int = MAX_WORDS) -> str:
    """Lower-case ASCII words of ``text`` joined by hyphens, at most ``max_words`` of them."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words])


def file_stem(spec: dict) -> str:
    """A file name (no suffix) for the chart: its title, else its description, else "chart"."""
    return slug(_first_title(spec)) or slug(spec.get("description", "")) or "chart"


def embed_options(spec: dict) -> dict:
    """vega-embed options: exported files named after the chart, PNG at print resolution."""
    return {"downloadFileName": file_stem(spec), "scaleFactor": {"png": PNG_SCALE, "svg": 1}}


def chart_csv(spec: dict) -> str:
    """The chart's data as CSV text: each inline dataset's rows; a ``dataset`` column if several."""
    datasets = {name: rows for name, rows in (spec.get("datasets") or {}).items() if rows}
    values = (spec.get("data") or {}).get("values")
    if values and not datasets:
        datasets = {"data": values}
    columns: list[str] = []
    for rows in datasets.values():
        for row in rows:
            columns += [key for key in row if key not in columns]
    several = len(datasets) > 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((["dataset"] if several else []) + columns)
    for index, rows in enumerate(datasets.values(), start=1):
        for row in rows:
            cells = ["" if row.get(c) is None else row.get(c) for c in columns]
            writer.writerow(([index] if several else []) + cells)
    return out.getvalue()


def data_link_html(spec: dict) -> str:
    """A "Data (CSV)" download link with the chart's data in a ``data:`` URL (UTF-8 with BOM)."""
    name = f"{file_stem(spec)}.csv"
    # base64 is the most compact data: URL for Chinese text (4 bytes per 3, against 9 per character).
    href = (
        "data:text/csv;charset=utf-8;base64,"
        + base64.b64encode(("\ufeff" + chart_csv(spec)).encode()).decode()
    )
    return (
        f'<p class="chart-downloads"><a class="chart-data" download="{html.escape(name)}" '
        f'href="{href}">Data (CSV): {html.escape(name)}</a></p>'
    )
