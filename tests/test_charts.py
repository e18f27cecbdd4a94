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


def test_renderer_emits_local_vega_embed_and_no_cdn(monkeypatch):
    monkeypatch.delenv("BOOK_BUILD", raising=False)
    bundle = charts.finish(toy_chart(), source="s", description="d <b>")._repr_mimebundle_()
    html = bundle["text/html"]
    assert "vegaEmbed(el," in html
    assert 'aria-label="d &lt;b&gt;"' in html
    assert "cdn" not in html.lower() and "https://" not in html.split("vegaEmbed")[0]
    assert any(k.startswith("application/vnd.vegalite") for k in bundle)
    spec_text = re.search(r"vegaEmbed\(el, (\{.*\}), \{", html).group(1)
    assert json.loads(spec_text)["description"] == "d <b>"


def test_element_ids_are_deterministic_per_spec_and_unique():
    a = charts.chart_html({"description": "x", "mark": "bar"})
    b = charts.chart_html({"description": "x", "mark": "bar"})
    ida, idb = (re.search(r'id="(vg-[0-9a-f]+)-(\d+)"', h).groups() for h in (a, b))
    assert ida[0] == idb[0] and ida[1] != idb[1]


def test_script_cannot_be_closed_by_spec_text():
    html = charts.chart_html({"description": "</script><script>alert(1)</script>"})
    assert html.count("</script>") == 1


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
    spec = {"description": "x", "data": {"values": [{"note": "<!-- <script>alert(1)</script> & more"}]}}
    html = charts.chart_html(spec)
    script = html.split("<script>", 1)[1]
    assert "<!--" not in script and "<script" not in script and script.count("</script>") == 1
    embedded = re.search(r"vegaEmbed\(el, (\{.*\}), \{", script).group(1)
    assert json.loads(embedded)["data"]["values"][0]["note"] == "<!-- <script>alert(1)</script> & more"


def test_bundle_written_once_and_defines_globals(tmp_path):
    path = charts.write_bundle(tmp_path / "vega.js")
    text = path.read_text()
    assert "window.vegaEmbed" in text and len(text) > 100_000
    mtime = path.stat().st_mtime_ns
    charts.write_bundle(path)
    assert path.stat().st_mtime_ns == mtime


def test_build_output_is_html_only(monkeypatch):
    monkeypatch.setenv("BOOK_BUILD", "1")
    assert list(charts.book_renderer({"description": "x"})) == ["text/html"]


def test_in_the_lab_a_chart_is_svg_drawn_by_the_pinned_vega_lite(monkeypatch):
    monkeypatch.setenv("BOOK_LAB", "1")
    bundle = charts.book_renderer(charts.finish(toy_chart(), source="s", description="d").to_dict())
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"].startswith("<svg") and 'fill="#0072B2"' in bundle["image/svg+xml"]
    assert bundle["text/plain"] == "d"
