import functools
import hashlib
import itertools
import json
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from helpers.book import charts


def toy_chart():
    return (
        alt.Chart(pd.DataFrame({"year": [2023, 2024], "v": [2.9, 3.8]}))
        .mark_bar()
        .encode(x="year:O", y="v:Q")
    )


def test_finish_adds_source_line_and_description():
    spec = charts.finish(toy_chart(), source="digest2025, para 2", description="Bars of disposals").to_dict()
    assert spec["title"]["text"] == "Source: digest2025, para 2"
    assert spec["title"]["orient"] == "bottom"
    two = charts.finish(toy_chart(), source="a, p1 · b, p2", description="d").to_dict()
    assert two["title"]["text"] == ["Source: a, p1", "b, p2"]
    assert spec["description"] == "Bars of disposals"


@pytest.mark.parametrize("kw", [dict(source="", description="d"), dict(source="s", description=" ")])
def test_finish_requires_source_and_description(kw):
    with pytest.raises(ValueError):
        charts.finish(toy_chart(), **kw)


def _spec_of(html_text, variant="wide"):
    match = re.search(
        rf'<script type="application/json" class="vega-spec" data-variant="{variant}">(.*?)</script>',
        html_text,
        re.S,
    )
    return json.loads(match.group(1).replace("<\\/", "</"))


def test_renderer_draws_svg_at_build_time_and_no_cdn(monkeypatch):
    monkeypatch.delenv("BOOK_BUILD", raising=False)
    bundle = charts.finish(toy_chart(), source="s", description="d <b>")._repr_mimebundle_()
    html = bundle["text/html"]
    assert 'aria-label="d &lt;b&gt;"' in html
    assert '<div class="vega-static vega-wide' in html and "<svg" in html and "viewBox" in html
    assert "<script>" not in html, "no inline script: book-charts.js makes charts live"
    assert "cdn" not in html.lower()
    assert any(k.startswith("application/vnd.vegalite") for k in bundle)
    assert _spec_of(html)["description"] == "d <b>"


def test_static_svg_scales_with_its_column():
    html = charts.chart_html(charts.finish(toy_chart(), source="s", description="d").to_dict())
    svg = re.search(r"<svg[^>]*>", html).group(0)
    width = re.search(r' width="([\d.]+)"', svg).group(1)
    assert f"max-width:{width}px" in svg and 'preserveAspectRatio="xMinYMin meet"' in svg


def test_wide_chart_gets_a_phone_drawing_within_the_phone_column():
    wide = toy_chart().properties(width=900)
    html = charts.chart_html(charts.finish(wide, source="a long source line " * 6, description="d").to_dict())
    assert "vega-narrow" in html and "has-narrow" in html
    widths = [float(w) for w in re.findall(r'<svg[^>]* width="([\d.]+)"', html)]
    assert widths[0] > charts.NARROW >= widths[1]
    narrow = _spec_of(html, "narrow")
    assert narrow["vconcat"][0]["width"] < 900
    assert all(len(line) <= charts.SOURCE_LINE_CHARS for line in narrow["title"]["text"])


def _wide_svg_width(html_text: str) -> float:
    return float(
        re.search(r'<div class="vega-static vega-wide[^"]*"><svg[^>]* width="([\d.]+)"', html_text).group(1)
    )


def test_a_long_source_line_wraps_so_the_desktop_drawing_keeps_its_size():
    source = "NIFD, Real-estate finance report 2024Q1 (May 2024), §二(三) para 1 (圖11) top left; " * 3
    spec = charts.finish(toy_chart().properties(width=480), source=source, description="d").to_dict()
    assert _wide_svg_width(charts.chart_html(dict(spec, title={**spec["title"], "text": "s"}))) < charts.WIDE
    unwrapped = charts._vl_convert().vegalite_to_svg(spec, vl_version=charts.vega_lite_version())
    assert charts._svg_width(unwrapped) > charts.WIDE, "the source line alone makes it too wide"
    html = charts.chart_html(spec)
    assert _wide_svg_width(html) <= charts.WIDE
    live = _spec_of(html)
    assert live["vconcat"][0]["width"] == 480, "the plot keeps its size"
    lines = live["title"]["text"]
    assert isinstance(lines, list) and len(lines) > 1
    assert " ".join(lines).split() == spec["title"]["text"].split(), "every word of the source is kept"


def test_a_plot_wider_than_the_column_keeps_its_source_line_whole():
    spec = charts.finish(
        toy_chart().properties(width=900), source="a short source", description="d"
    ).to_dict()
    fitted, _ = charts.fit_source_line(spec)
    assert fitted == spec


def test_narrow_chart_needs_no_phone_drawing():
    html = charts.chart_html(
        charts.finish(toy_chart().properties(width=200), source="s", description="d").to_dict()
    )
    assert "vega-narrow" not in html


def test_svg_ids_are_prefixed_per_chart():
    svg = charts.static_svg(
        {
            "mark": "bar",
            "data": {"values": [{"a": 1}]},
            "encoding": {"x": {"field": "a", "type": "quantitative"}},
        },
        "vg-x",
    )
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert all(i.startswith("vg-x-") for i in ids)


def test_charts_with_controls_wake_when_visible():
    slider = alt.param(value=1, bind=alt.binding_range(min=0, max=2))
    chart = toy_chart().add_params(slider)
    html = charts.chart_html(charts.finish(chart, source="s", description="d").to_dict())
    assert 'data-wake="visible"' in html
    plain = charts.chart_html(charts.finish(toy_chart(), source="s", description="d").to_dict())
    assert 'data-wake="touch"' in plain


def test_text_wrapping_counts_chinese_as_wide():
    assert charts._text_width("图表11") == 6
    lines = charts._wrap_lines("Source: 图表11 top left; 图表11 top right; 图表11 bottom", 20)
    assert all(charts._text_width(line) <= 20 for line in lines)


def test_element_ids_are_deterministic_per_spec_and_unique():
    spec = {"description": "x", "mark": "bar", "data": {"values": [{"a": 1}]}}
    a = charts.chart_html(spec)
    b = charts.chart_html(spec)
    ida, idb = (re.search(r'id="(vg-[0-9a-f]+)-(\d+)"', h).groups() for h in (a, b))
    assert ida[0] == idb[0] and ida[1] != idb[1]


def test_spec_text_cannot_close_its_script():
    html = charts.chart_html(
        {"description": "</script><script>alert(1)</script>", "mark": "bar", "data": {"values": []}}
    )
    assert html.count("</script>") == html.count('class="vega-spec"') == 1


def test_charts_are_drawn_in_the_house_theme():
    # what a page makes, drawn by the pinned Vega-Lite: bars in the house colour and text in the
    # house grey, not Vega's defaults (#4c78a8 bars, black text)
    spec = charts.finish(toy_chart(), source="s", description="d").to_dict()
    svg = vl_convert.vegalite_to_svg(spec, vl_version=charts.vega_lite_version())
    fills = set(re.findall(r'fill="(#[0-9a-fA-F]{6})"', svg))
    assert charts.PALETTE[0] in fills and charts.TEXT in fills
    assert "#4c78a8" not in {f.lower() for f in fills}


def test_data_text_cannot_open_a_comment_or_end_the_script():
    """`<!--` in a chart's data would put the browser's parser in a state that hides the page."""
    spec = {
        "description": "x",
        "mark": "bar",
        "data": {"values": [{"note": "<!-- <script>alert(1)</script> & more"}]},
    }
    html = charts.chart_html(spec)
    scripts = re.findall(
        r'<script type="application/json" class="vega-spec"[^>]*>(.*?)</script>', html, flags=re.S
    )
    assert scripts
    for script in scripts:
        assert "<!--" not in script and "<script" not in script and "</" not in script
        assert json.loads(script)["data"]["values"][0]["note"] == "<!-- <script>alert(1)</script> & more"


def test_bundle_written_once_and_defines_globals(tmp_path):
    path = charts.write_bundle(tmp_path / "vega.js")
    text = path.read_text()
    assert "window.vegaEmbed" in text and len(text) > 100_000
    mtime = path.stat().st_mtime_ns
    charts.write_bundle(path)
    assert path.stat().st_mtime_ns == mtime


def test_build_output_is_html_only(monkeypatch):
    monkeypatch.setenv("BOOK_BUILD", "1")
    spec = {"description": "x", "mark": "bar", "data": {"values": [{"a": 1}]}}
    assert list(charts.book_renderer(spec)) == ["text/html"]


def test_in_the_lab_a_chart_is_svg_drawn_by_the_pinned_vega_lite(monkeypatch):
    monkeypatch.setenv("BOOK_LAB", "1")
    bundle = charts.book_renderer(charts.finish(toy_chart(), source="s", description="d").to_dict())
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"].startswith("<svg") and 'fill="#0072B2"' in bundle["image/svg+xml"]
    assert bundle["text/plain"] == "d"


# ----------------------------------------------------------------------------- chart parts


def test_legend_below_is_an_untitled_colour_channel_with_its_legend_under_the_plot():
    got = toy_chart().encode(color=charts.legend_below("year:O", sort=[2024, 2023], legend={"columns": 1}))
    hand = toy_chart().encode(
        color=alt.Color(
            "year:O", title=None, sort=[2024, 2023], legend=alt.Legend(orient="bottom", columns=1)
        )
    )
    assert got.to_dict() == hand.to_dict()
    color = toy_chart().encode(color=charts.legend_below("year:O")).to_dict()["encoding"]["color"]
    assert color == {"field": "year", "type": "ordinal", "title": None, "legend": {"orient": "bottom"}}


def test_category_axis_keeps_the_data_order_unless_told():
    y = toy_chart().encode(y=charts.category_axis("year:O", label_limit=120)).to_dict()["encoding"]["y"]
    assert y == {"field": "year", "type": "ordinal", "title": None, "sort": None, "axis": {"labelLimit": 120}}
    y = toy_chart().encode(y=charts.category_axis("year:O", label_limit=9, sort=[2024])).to_dict()
    assert y["encoding"]["y"]["sort"] == [2024]


def test_reference_lines_are_dashed_rules_with_labels_above_them():
    rules, labels = charts.reference_lines([1.0, 2.5], ["floor", "cap"], color=charts.PALETTE[1], dy=-5)
    spec = alt.layer(toy_chart(), rules, labels).to_dict()
    rule, text = spec["layer"][1], spec["layer"][2]
    assert rule["mark"] == {"type": "rule", "strokeDash": [4, 4], "color": charts.PALETTE[1]}
    assert rule["encoding"] == {"y": {"field": "y", "type": "quantitative"}}
    assert text["mark"] == {"type": "text", "align": "left", "color": charts.TEXT, "dy": -5}
    assert text["encoding"]["text"] == {"field": "label", "type": "nominal"}
    assert text["encoding"]["x"] == {"value": 0}
    rows = spec["datasets"][rule["data"]["name"]]
    assert rows == [{"y": 1.0, "label": "floor"}, {"y": 2.5, "label": "cap"}]


# ----------------------------------------------------------------------------- the measuring font
# vl-convert lays a chart out at build time; a browser draws its text with the site's fonts. Where
# the two measure a line differently, the line's end falls outside the drawing (a source line
# "… §四(三)" lost its ")"): the browser test is test_page_budget's
# test_every_chart_text_lies_inside_its_drawing; these check the cause, without a browser.


def _drawn_width(text: str, size: float = 100, weight: str = "normal", font: str = charts.FONT) -> float:
    """Width of the SVG vl-convert draws for ``text`` alone (``size`` px, no padding)."""
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 1,
        "height": 1,
        "padding": 0,
        "config": {"font": font, "view": {"stroke": None}},
        "data": {"values": [{}]},
        "mark": {"type": "text", "text": text, "fontSize": size, "fontWeight": weight, "align": "left"},
        "encoding": {"x": {"value": 0}, "y": {"value": 0}},
    }
    return charts._svg_width(
        charts._vl_convert().vegalite_to_svg(spec, vl_version=charts.vega_lite_version())
    )


def _browser_width(text: str, size: float, weight: str = "normal") -> tuple[float, int]:
    """How wide a browser draws ``text`` with the site's fonts, and in how many runs: each CJK
    character in Book Sans SC (Noto Sans CJK SC's advance), each run of other characters in DejaVu
    Sans (as vl-convert measures the run alone in DejaVu Sans, kerning included)."""
    from helpers.build import fonts

    cjk, width, runs = _cjk_advances(), 0.0, 0
    for is_cjk, run in itertools.groupby(text, fonts.is_cjk):
        run = "".join(run)
        if is_cjk:
            width += sum(size * cjk[ord(c)] / 1000 for c in run)
        else:
            # between bars: an SVG text drops its leading and trailing spaces, a run's are inside
            width += _drawn_width(f"|{run}|", size, weight, "'DejaVu Sans'") - _drawn_width(
                "||", size, weight, "'DejaVu Sans'"
            )
            runs += 2
    return width, runs


@functools.cache
def _cjk_advances():
    from helpers.build import chart_fonts

    return chart_fonts.cjk_advances()


@pytest.mark.parametrize(
    "text, bold",
    [
        ("report 2024Q1 (May 2024), §二(一); §四(三)", False),  # the cycle chapter's cut source line
        ("§一(六) para 2; 图表11", False),
        ("房价指数 2024", True),
        ("四", False),
        ("Trillion yuan", True),
    ],
)
def test_vl_convert_measures_mixed_latin_and_chinese_as_a_browser_draws_it(text, bold):
    """On main, vl-convert measured every line holding a Chinese character in the first Noto CJK
    face of the machine (Latin letters a tenth narrower than DejaVu's): 35 px short on a 480 px line.
    Drawn 1,000 px high, so that rounding to whole px is small against what is compared."""
    size, weight = 1000, "bold" if bold else "normal"
    expected, runs = _browser_width(text, size, weight)
    # each width vl-convert gives is rounded up to a whole px: 1 px per run
    assert _drawn_width(text, size, weight) == pytest.approx(expected, abs=runs + 1)


def test_the_measuring_fonts_are_what_chart_fonts_makes_from_the_shipped_fonts():
    """The committed fonts hold DejaVu's glyphs and advances unchanged plus Noto Sans CJK SC's
    advance for each of its CJK code points (scaled to DejaVu's em), and their digests are recorded."""
    from fontTools.ttLib import TTFont

    from helpers.build import chart_fonts

    advances = _cjk_advances()
    assert len(advances) > 20_000 and advances[ord("四")] == 1000
    for style, (latin_name, name) in chart_fonts.FACES.items():
        path = charts.FONTS / name
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:16] == charts.MEASURING_FONTS[name]
        made = chart_fonts.measuring_font(charts.FONTS / latin_name, advances, style)
        font, latin = TTFont(str(path)), TTFont(str(charts.FONTS / latin_name))
        cmap, upm = font.getBestCmap(), font["head"].unitsPerEm
        widths = {cp: font["hmtx"][g][0] for cp, g in cmap.items()}
        assert widths == {cp: made["hmtx"][g][0] for cp, g in made.getBestCmap().items()}
        for cp, glyph in latin.getBestCmap().items():
            assert widths[cp] == latin["hmtx"][glyph][0], f"{chr(cp)!r} in {name}"
        for cp, advance in advances.items():
            assert widths[cp] == round(advance * upm / 1000), f"U+{cp:04X} in {name}"
        assert font["name"].getDebugName(1) == chart_fonts.FAMILY and font["name"].getDebugName(2) == style


def test_chart_font_names_only_fonts_the_site_ships():
    """Every family of the charts' font list is a web font of the site (offline: nothing the reader's
    machine may lack), or the generic family; the first is the measuring fonts' family."""
    from helpers.build import chart_fonts

    root = charts.FONTS.parents[3]
    css = (root / "_static" / "book.css").read_text() + (
        root / "_static" / "fonts" / "book-fonts.css"
    ).read_text()
    shipped = set(re.findall(r'@font-face\s*{[^}]*font-family:\s*"([^"]+)"', css))
    families = [f.strip().strip("'\"") for f in charts.FONT.split(",")]
    assert families[0] == chart_fonts.FAMILY
    assert set(families) - {"sans-serif"} <= shipped, shipped


def test_the_page_draws_chart_text_in_the_fonts_it_was_measured_with():
    """The site's rule for chart text names the charts' own fonts in their order (not system-ui,
    a narrower font on macOS and Windows), and DejaVu Sans prefers the reader's own copy, so a
    system that has it downloads nothing."""
    root = charts.FONTS.parents[3]
    fonts_css = (root / "_static" / "fonts" / "book-fonts.css").read_text()
    rule = re.search(r"\.vega-chart svg text[^{]*\{\s*font-family:\s*([^;]+);", fonts_css).group(1)
    page = [f.strip().strip("'\"") for f in rule.split(",")]
    assert page == [f.strip().strip("'\"") for f in charts.FONT.split(",")]
    book_css = (root / "_static" / "book.css").read_text()
    faces = re.findall(r'@font-face\s*{[^}]*font-family:\s*"DejaVu Sans";[^}]*}', book_css)
    assert len(faces) == 2
    for face in faces:
        src = re.search(r"src:\s*([^;]+);", face).group(1)
        assert src.index("local(") < src.index("url("), face
