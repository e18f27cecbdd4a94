"""The book's charts: one Altair theme, a source line on every chart, offline rendering.

Importing this module enables two things:

* the ``book`` theme (Okabe–Ito colours, which stay distinct for colour-blind readers;
  dark text for contrast; fixed sizes so pages do not reflow);
* the ``book`` renderer: each chart becomes a ``<div>`` plus a short script calling
  ``vegaEmbed``, which the site loads **once** from ``_static/vega-bundle.js`` (built from the
  pinned ``vl-convert-python`` by :func:`write_bundle`; no CDN). The output also carries the
  Vega-Lite MIME type so JupyterLab previews the chart natively while you write.

Chart element ids are derived from the spec (a hash plus a per-kernel counter), so two
executions of the same notebook give byte-identical HTML.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
from pathlib import Path

import altair as alt

from helpers.book import chart_downloads

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
"""Okabe–Ito colours: blue, vermillion, green, purple, orange, sky, yellow, black."""

TEXT = "#222222"
MUTED = "#555555"
WIDTH, HEIGHT = 440, 260

EMBED_OPTIONS = {
    "renderer": "svg",
    # Export to PNG/SVG works offline; the editor and source links would leave the site.
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}

_counter = itertools.count(1)


@alt.theme.register("book", enable=True)
def book_theme() -> alt.theme.ThemeConfig:
    """The house theme: Okabe–Ito palette, dark text, light grid, fixed size."""
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "range": {"category": PALETTE},
            "font": "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', sans-serif",
            "title": {"color": TEXT, "fontSize": 15, "anchor": "start", "subtitleColor": MUTED},
            "axis": {
                "labelColor": TEXT,
                "titleColor": TEXT,
                "gridColor": "#e6e6e6",
                "domainColor": MUTED,
                "tickColor": MUTED,
                "labelFontSize": 12,
                "titleFontSize": 12,
            },
            "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12},
            "header": {"labelColor": TEXT, "titleColor": TEXT},
            "text": {"color": TEXT},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 2.5},
            "point": {"color": PALETTE[0], "filled": True},
        }
    }


def finish(chart: alt.TopLevelMixin, *, source: str, description: str) -> alt.VConcatChart:
    """Give ``chart`` its source line (under the chart, in exports too) and a text description.

    ``source`` is printed under the chart, prefixed "Source: " unless it already starts with
    "Source", one line per " · "-separated part; ``description`` is the chart's accessible description (Vega-Lite
    ``description``, also the container's ``aria-label``). Both are required and non-blank.
    """
    if not source or not source.strip():
        raise ValueError("finish(): every chart needs a source line")
    if not description or not description.strip():
        raise ValueError("finish(): every chart needs a description for screen readers")
    text = source if source.lower().startswith("source") else f"Source: {source}"
    lines = [line.strip() for line in text.split(" · ")]
    return alt.vconcat(
        chart,
        title=alt.TitleParams(
            text=lines if len(lines) > 1 else lines[0],
            orient="bottom",
            anchor="start",
            fontSize=11,
            fontWeight="normal",
            color=MUTED,
        ),
        description=description,
    )


def _element_id(spec_json: str) -> str:
    digest = hashlib.sha1(spec_json.encode("utf-8")).hexdigest()[:10]
    return f"vg-{digest}-{next(_counter)}"


def chart_html(spec: dict) -> str:
    """The HTML the site shows for one Vega-Lite ``spec``: a container and a ``vegaEmbed`` call."""
    spec_json = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    element = _element_id(spec_json)
    label = html.escape(spec.get("description") or "chart", quote=True)
    safe_spec = spec_json.replace("</", "<\\/")
    # File names and print resolution for the chart's exports, and its data as CSV (h13b's hook).
    options = json.dumps({**EMBED_OPTIONS, **chart_downloads.embed_options(spec)}, sort_keys=True)
    return (
        f'<div id="{element}" class="vega-chart" role="figure" aria-label="{label}"></div>\n'
        "<script>\n(function () {\n"
        f'  var el = document.getElementById("{element}");\n'
        '  if (typeof vegaEmbed === "undefined") {\n'
        '    el.textContent = "This chart needs the book\'s vega-bundle.js, which did not load.";\n'
        "    return;\n  }\n"
        f"  vegaEmbed(el, {safe_spec}, {options})"
        '.then(function () { var s = el.querySelector("summary");'
        ' if (s) { s.setAttribute("aria-label", "Chart actions: save as SVG or PNG"); } })'
        '.catch(function (err) { el.textContent = "Chart error: " + err; console.error(err); });\n'
        "})();\n</script>\n" + chart_downloads.data_link_html(spec)
    )


def book_renderer(spec: dict, **metadata) -> dict:
    """Altair renderer: HTML for the book; outside the build also the Vega-Lite MIME type.

    The build sets ``BOOK_BUILD=1``: its notebooks then carry only ``text/html`` (Sphinx has no
    renderer for the Vega-Lite type). In JupyterLab the Vega-Lite type draws the chart natively.
    """
    bundle = {"text/html": chart_html(spec)}
    if os.environ.get("BOOK_BUILD") != "1":
        bundle[f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"] = spec
    return bundle


alt.renderers.register("book", book_renderer)
alt.renderers.enable("book")


def vega_lite_version() -> str:
    """The Vega-Lite version Altair writes specs for, as vl-convert names it (``"v6.4"``)."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"v{major}.{minor}"


def write_bundle(path: Path) -> Path:
    """Write the vega + vega-lite + vega-embed JavaScript, setting ``window.vegaEmbed``, to ``path``.

    Skipped when the file exists and was written for the same Vega-Lite version (the version is
    recorded in the first line), so rebuilds do not pay for it again.
    """
    import vl_convert

    path = Path(path)
    header = f"/* vega bundle (scoped) for Vega-Lite {vega_lite_version()} by vl-convert {vl_convert.__version__} */\n"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            if fh.readline() == header:
                return path
    bundle = vl_convert.javascript_bundle(vl_version=vega_lite_version())
    path.parent.mkdir(parents=True, exist_ok=True)
    # The bundle declares top-level consts (`_`, `t` …); a function scope keeps them from
    # clashing with the theme's scripts. It still sets window.vegaEmbed / vega / vegaLite.
    path.write_text(header + "(function () {\n" + bundle + "\n})();\n", encoding="utf-8")
    return path
