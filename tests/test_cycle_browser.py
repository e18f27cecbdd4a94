"""The cycle chapter's sliders work in the static page, without a kernel, as a reader uses them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import settle

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (SITE / "chapters" / "cycle.html").exists(), reason="run `make book` first"),
]


def chart_text(chart) -> str:
    return " ".join(chart.locator(".vega-live svg text").all_text_contents())


def stated_losses(chart) -> list[str]:
    """The chart's own sentence, e.g. "At 7.8 %: losses 4.7 trn yuan," (it follows the sliders)."""
    return [t for t in chart.locator(".vega-live svg text").all_text_contents() if "%: losses" in t]


def test_moving_a_slider_changes_the_losses_the_chart_states(site_url, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "chapters/cycle.html")
    settle(page)
    chart = page.locator('.vega-chart[data-wake="visible"]').first
    # a reader scrolls to the chart (the wheel counts as reading; a programmatic scroll does not)
    page.mouse.move(400, 400)
    page.mouse.wheel(0, 300)
    chart.scroll_into_view_if_needed()
    page.mouse.wheel(0, 50)
    chart.locator(".vega-live svg").first.wait_for(state="attached", timeout=30_000)
    lgd = chart.locator(".vega-bind", has_text="Loss given default").locator("input[type=range]")
    lgd.wait_for(timeout=10_000)
    before = chart_text(chart)
    stated_before = stated_losses(chart)
    low, high = float(lgd.get_attribute("min")), float(lgd.get_attribute("max"))
    lgd.fill(str(high))  # the reader drags the loss-given-default slider to its top
    page.wait_for_function(
        "([el, old]) => [...el.querySelectorAll('.vega-live svg text')].map(t => t.textContent).join(' ') !== old",
        arg=[chart.element_handle(), before],
        timeout=10_000,
    )
    stated_after = stated_losses(chart)
    page.close()
    assert stated_before and stated_after, before
    # a higher loss given default never lowers the losses the sentence states
    number = lambda s: float(s[0].split("losses", 1)[1].split()[0])  # noqa: E731
    assert high > low and number(stated_after) > number(stated_before), (stated_before, stated_after)
    assert not errors, errors
