"""The book's charts: one Altair theme, a source line on every chart, drawn at build time.

Importing this module enables two things:

* the ``book`` theme (Okabe–Ito colours, which stay distinct for colour-blind readers;
  dark text for contrast; the site's own chart font, so the build-time drawing lines up);
* the ``book`` renderer: each chart becomes a ``<div class="vega-chart">`` holding the chart
  **drawn as SVG at build time** by the pinned ``vl-convert`` (it shows before any script runs,
  without JavaScript, in print and in the PDF; it scales with its column), a second drawing sized
  for a phone when the chart is wider than a phone's column, and the Vega-Lite spec as JSON.
  ``_static/book-charts.js`` (deferred, a few kB) loads the vega runtime
  (``_static/vega-bundle.js``, built by :func:`write_bundle`; no CDN) only when a reader points
  at, touches or tabs to a chart, and swaps the drawing for the live chart (tooltips, "save as").
  Outside the build the output also carries the Vega-Lite MIME type, so JupyterLab previews
  the chart natively while you write.

Chart element ids are derived from the spec (a hash plus a per-kernel counter), so two
executions of the same notebook give byte-identical HTML.
"""

from __future__ import annotations

import copy
import hashlib
import html
import itertools
import json
import os
import re
import unicodedata
from pathlib import Path

import altair as alt

from helpers.book import chart_downloads

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
"""Okabe–Ito colours: blue, vermillion, green, purple, orange, sky, yellow, black."""

TEXT = "#222222"
MUTED = "#555555"
WIDTH, HEIGHT = 440, 260
FONT = "'Book Sans SC', 'DejaVu Sans', sans-serif"
"""Chart text: the two fonts the site ships for it, Book Sans SC (Noto Sans CJK SC cut to the
book's characters, served for CJK code points only, ``_static/fonts/book-fonts.css``) for Chinese
and DejaVu Sans (``_static/fonts``, Latin subset) for everything else. vl-convert lays the chart out
with the font of the same name in ``fonts/`` beside this module (:data:`MEASURING_FONTS`): DejaVu
Sans with the advance widths of Noto Sans CJK SC added for every CJK code point, made by
:mod:`helpers.build.chart_fonts`, so that it measures a line mixing Latin and Chinese the way a
browser draws it, and never with a font that happens to be on the build machine."""

FONTS = Path(__file__).resolve().parent / "fonts"
MEASURING_FONTS = {
    "BookSansSC-ChartMetrics.ttf": "c646a8ea42311288",
    "BookSansSC-ChartMetrics-Bold.ttf": "653ed0e920791c68",
}
"""The fonts vl-convert measures chart text with, by file name, with the start of their SHA-256: a
page's drawings depend on these bytes, and a page runs again when a module it imports changes, so
a new font must come with its new digest here."""

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
            "font": FONT,
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


# ----------------------------------------------------------------------------- chart parts
# The pieces every chapter's charts repeat, written once. Each returns plain Altair objects, so a
# chart built with them has the same Vega-Lite spec as one written out by hand.


def legend_below(field: str, *, legend: dict | None = None, **channel) -> alt.Color:
    """A colour channel for a category ``field``, untitled, with its legend under the plot (where
    a phone has room for it): ``alt.Color(field, title=None, legend=alt.Legend(orient="bottom"))``.

    ``legend`` adds legend properties (``{"columns": 1}``, ``{"labelLimit": 400}``); ``channel``
    adds channel properties (``sort=[...]``).
    """
    return alt.Color(field, title=None, legend=alt.Legend(orient="bottom", **(legend or {})), **channel)


def category_axis(field: str, *, label_limit: int, sort=None) -> alt.Y:
    """The category axis of a horizontal bar chart: ``field`` down the side, untitled, in the order
    ``sort`` gives (``None``: the data's own order), labels cut at ``label_limit`` px."""
    return alt.Y(field, title=None, sort=sort, axis=alt.Axis(labelLimit=label_limit))


def reference_lines(
    values, labels, *, color: str = MUTED, label_x: float = 0, **text
) -> tuple[alt.Chart, alt.Chart]:
    """Dashed horizontal lines at ``values`` (y) and their ``labels``, left-aligned above them.

    Returns ``(rules, labels)`` to be layered over a chart: ``alt.layer(line, *reference_lines(...))``.
    ``label_x`` is the labels' x position in px; ``text`` adds mark properties to the labels
    (``dx``, ``dy``, ``fontSize``).
    """
    import pandas as pd  # here, not at the top: the build imports this module without pandas

    levels = pd.DataFrame({"y": values, "label": labels})
    rules = alt.Chart(levels).mark_rule(strokeDash=[4, 4], color=color).encode(y="y:Q")
    marks = rules.mark_text(align="left", color=TEXT, **text).encode(x=alt.value(label_x), text="label:N")
    return rules, marks


def _element_id(spec_json: str) -> str:
    digest = hashlib.sha1(spec_json.encode("utf-8")).hexdigest()[:10]
    return f"vg-{digest}-{next(_counter)}"


NARROW = 360
"""Widest a chart may draw on a phone (a 390 px screen leaves a column of about 340 px)."""

SOURCE_LINE_CHARS = 56
"""Longest source-line line in the narrow drawing (11 px text, about 6 px a character)."""

_SVG_SIZE = re.compile(r'<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"')


def _svg_width(svg: str) -> float:
    match = _SVG_SIZE.search(svg)
    return float(match.group(2)) if match else 0.0


_fonts_registered = False


def _vl_convert():
    """vl-convert with the chart fonts registered (once per process): the measuring fonts of
    :data:`FONT`'s first family, and the DejaVu subsets they are made from."""
    global _fonts_registered
    import vl_convert

    if not _fonts_registered:
        for name, digest in MEASURING_FONTS.items():
            path = FONTS / name
            found = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "missing"
            if found != digest:
                raise RuntimeError(
                    f"{path}: {found}, expected the measuring font {digest} (charts.MEASURING_FONTS); "
                    "`python -m helpers.build.chart_fonts` makes it, then record its digest"
                )
        vl_convert.register_font_directory(str(FONTS))
        _fonts_registered = True
    return vl_convert


def static_svg(spec: dict, prefix: str, drawn: str | None = None) -> str:
    """The chart drawn as SVG at build time by vl-convert, ready to sit inside the page.

    The drawing scales with its column (``width="100%"`` up to its natural width, ``viewBox``
    keeps the proportions); ids inside it get ``prefix`` so two charts on a page never share one.
    ``drawn`` is vl-convert's SVG of ``spec`` when the caller has it already (not drawn twice).
    """
    svg = drawn if drawn is not None else _vl_convert().vegalite_to_svg(spec, vl_version=vega_lite_version())
    ids = set(re.findall(r'\sid="([^"]+)"', svg))
    for name in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}-{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}-{name}"')
    if _svg_width(svg) <= 0:
        raise ValueError("vl-convert returned an SVG without a size")
    svg = _SVG_SIZE.sub(
        lambda m: (
            f'<svg{m.group(1)} width="{m.group(2)}" height="{m.group(3)}" style="max-width:{m.group(2)}px"'
            ' preserveAspectRatio="xMinYMin meet" focusable="false"'
        ),
        svg,
        count=1,
    )
    return svg


def _text_width(text: str) -> int:
    """Width of ``text`` in Latin characters: a CJK character counts as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_lines(lines, limit: int) -> list[str]:
    """Break each line of ``lines`` at spaces so no line is wider than ``limit`` characters.

    A line that needs ``n`` pieces is cut into ``n`` pieces of about equal width, so no word is
    left alone on a last line.
    """
    out = []
    for line in [lines] if isinstance(lines, str) else lines:
        pieces = -(-_text_width(line) // limit)
        balanced = _greedy_wrap(line, min(limit, -(-_text_width(line) // max(pieces, 1)) + 6))
        out.extend(balanced if len(balanced) <= pieces else _greedy_wrap(line, limit))
    return out


def _greedy_wrap(line: str, limit: int) -> list[str]:
    """Fill each piece of ``line`` with words up to ``limit`` characters."""
    out, current = [], ""
    for word in line.split(" "):
        if current and _text_width(current) + 1 + _text_width(word) > limit:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    out.append(current)
    return out


TITLE_CHARS = 34
"""Longest line of a chart, axis or legend title in the narrow drawing."""


def _wrap_title(value):
    if isinstance(value, str) and _text_width(value) > TITLE_CHARS:
        return _wrap_lines(value, TITLE_CHARS)
    if isinstance(value, list):
        return _wrap_lines(value, TITLE_CHARS) if any(_text_width(v) > TITLE_CHARS for v in value) else value
    if isinstance(value, dict) and "text" in value:
        value["text"] = _wrap_title(value["text"])
        if "subtitle" in value:
            value["subtitle"] = _wrap_title(value["subtitle"])
    return value


def _narrow_node(node, f: float) -> None:
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key in ("data", "datasets", "config"):
                continue
            if key == "width" and isinstance(value, (int, float)) and not isinstance(value, bool):
                node[key] = max(40, round(value * f))
            elif key == "width" and isinstance(value, dict) and "step" in value:
                value["step"] = max(6, round(value["step"] * f))
            elif key in ("labelLimit", "limit") and isinstance(value, (int, float)) and value > 0:
                node[key] = min(value, max(150, round(value * f)))
            elif key == "title" and not (isinstance(value, dict) and value.get("orient") == "bottom"):
                node[key] = _wrap_title(value)
            elif key == "legend" and isinstance(value, dict):
                value["orient"] = "bottom"
                value["direction"] = "vertical"
                _narrow_node(value, f)
            else:
                _narrow_node(value, f)
    elif isinstance(node, list):
        for value in node:
            _narrow_node(value, f)


def narrow_spec(spec: dict, f: float) -> dict:
    """``spec`` for a phone: every width (plot, bar step, label limit) times ``f``, titles and
    source lines wrapped, legends under the plot."""
    narrow = copy.deepcopy(spec)
    _narrow_node(narrow, f)
    config = narrow.setdefault("config", {})
    view = config.setdefault("view", {})
    view["continuousWidth"] = max(60, round(view.get("continuousWidth", WIDTH) * f))
    view["discreteWidth"] = {"step": max(6, round(20 * f))}
    config.setdefault("legend", {}).update(orient="bottom", direction="vertical")
    config.setdefault("axisX", {}).update(labelOverlap=True)
    title = narrow.get("title")
    if isinstance(title, dict) and title.get("orient") == "bottom":
        title["text"] = _wrap_lines(title["text"], SOURCE_LINE_CHARS)
    return narrow


def phone_drawing(spec: dict, wide_width: float) -> tuple[dict, float, str] | None:
    """A narrower version of ``spec`` that draws at most :data:`NARROW` px wide, with its width
    and vl-convert's SVG of it, or None if not needed.

    Shrinks the plot widths by the factor the natural width exceeds the target, then again
    while the drawing is still too wide (long labels and legends do not shrink linearly).
    """
    vl_convert = _vl_convert()
    if wide_width <= NARROW:
        return None
    f = NARROW / wide_width
    best = None
    for _ in range(3):
        candidate = narrow_spec(spec, f)
        svg = vl_convert.vegalite_to_svg(candidate, vl_version=vega_lite_version())
        width = _svg_width(svg)
        best = (candidate, width, svg)
        if width <= NARROW:
            break
        f *= 0.97 * NARROW / width
    return best


WIDE = 660
"""Widest a desktop drawing should be: the PDF's text column (665 px) and a little less than the
site's article column at 1,366 px (about 740 px), so no chart is shrunk to fit either."""

SOURCE_LINE_LIMITS = (110, 96, 84, 72)
"""Line lengths (in Latin characters, a CJK character counting two) tried, longest first, when a
chart's source line makes the desktop drawing wider than :data:`WIDE`."""


def fit_source_line(spec: dict) -> tuple[dict, str]:
    """``spec`` with its source line wrapped so the desktop drawing is at most :data:`WIDE` px
    wide, if the source line is what makes it wider; and vl-convert's SVG of the result.

    The lines of the source (under the chart, ``title`` with ``orient: bottom``) are broken at
    spaces at each of :data:`SOURCE_LINE_LIMITS` in turn until the drawing fits, or stops
    narrowing (the plot itself is that wide): the plot is untouched, only the source wraps.
    """
    vl_convert = _vl_convert()
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vega_lite_version())
    title = spec.get("title")
    if _svg_width(svg) <= WIDE or not (isinstance(title, dict) and title.get("orient") == "bottom"):
        return spec, svg
    best = (spec, svg)
    for limit in SOURCE_LINE_LIMITS:
        candidate = copy.deepcopy(spec)
        candidate["title"]["text"] = _wrap_lines(title["text"], limit)
        drawn = vl_convert.vegalite_to_svg(candidate, vl_version=vega_lite_version())
        if _svg_width(drawn) >= _svg_width(best[1]) - 1:
            break  # the plot, not the source line, sets the width now
        best = (candidate, drawn)
        if _svg_width(drawn) <= WIDE:
            break
    return best


def chart_html(spec: dict) -> str:
    """The HTML the site shows for one Vega-Lite ``spec``.

    A ``<div class="vega-chart">`` holding the chart drawn as SVG at build time (for desktops and
    print, and, when the chart is wider than a phone's column, a second drawing sized for a
    phone; CSS shows the one that fits) and the spec as JSON, which ``_static/book-charts.js``
    hands to ``vegaEmbed`` when a reader first points at, touches or tabs to the chart. A source
    line too long for the desktop column is wrapped first (:func:`fit_source_line`), in the
    drawing and the live chart alike.
    """
    spec, drawn = fit_source_line(spec)
    spec_json = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    element = _element_id(spec_json)
    label = html.escape(spec.get("description") or "chart", quote=True)
    wide = static_svg(spec, element, drawn)
    # File names and print resolution of the live chart's exports (h13b's chart_downloads).
    embed = json.dumps(chart_downloads.embed_options(spec), sort_keys=True)
    # A chart with its own controls (sliders, menus) comes alive when it scrolls into view, since
    # its controls exist only in the live chart; any other on a reader's first touch.
    wake = "visible" if '"bind":' in spec_json else "touch"
    parts = [
        f'<div id="{element}" class="vega-chart" role="figure" aria-label="{label}" tabindex="0"'
        f' data-wake="{wake}" data-embed="{html.escape(embed, quote=True)}">',
        f'<div class="vega-static vega-wide">{wide}</div>',
    ]
    specs = [("wide", spec_json)]
    phone = phone_drawing(spec, _svg_width(wide))
    if phone is not None:
        narrow, _, drawn = phone
        parts[1] = parts[1].replace(
            'class="vega-static vega-wide"', 'class="vega-static vega-wide has-narrow"'
        )
        parts.append(
            f'<div class="vega-static vega-narrow">{static_svg(narrow, element + "-n", drawn)}</div>'
        )
        specs.append(
            ("narrow", json.dumps(narrow, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
        )
    for variant, text in specs:
        # Data text inside a <script> must not end it or open a comment (`</script>`, `<!--`):
        # every <, > and & (and the JavaScript line separators) become JSON \u escapes.
        safe = (
            text.replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )
        parts.append(
            f'<script type="application/json" class="vega-spec" data-variant="{variant}">{safe}</script>'
        )
    parts.append("</div>")
    # The chart's own data as CSV, a link that works offline and without JavaScript.
    parts.append(chart_downloads.data_link_html(spec))
    return "\n".join(parts)


def book_renderer(spec: dict, **metadata) -> dict:
    """Altair renderer: HTML for the book; outside the build also the Vega-Lite MIME type.

    The build sets ``BOOK_BUILD=1``: its notebooks then carry only ``text/html`` (Sphinx has no
    renderer for the Vega-Lite type). ``make lab`` sets ``BOOK_LAB=1``: the house HTML needs the
    site's bundle, and JupyterLab's own Vega renderer stops at Vega-Lite 5, so there the chart is
    drawn as SVG by the pinned vl-convert, with the site's Vega-Lite version.
    """
    vega_lite = f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"
    if os.environ.get("BOOK_LAB") == "1":
        svg = _vl_convert().vegalite_to_svg(spec, vl_version=vega_lite_version())
        return {"image/svg+xml": svg, "text/plain": spec.get("description") or "chart"}
    bundle = {"text/html": chart_html(spec)}
    if os.environ.get("BOOK_BUILD") != "1":
        bundle[vega_lite] = spec
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
